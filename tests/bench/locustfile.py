"""The locust user of the harness: GET one path as fast as it answers (closed loop).

Configured by the harness through the environment: BENCH_PATH, and BENCH_TOKENS_FILE (a JSON
list of session tokens; each simulated client takes the next one, so the clients are distinct
logged-in users). Not meant to be run by hand, but it can be:
    BENCH_PATH=/bench/bare/json/ locust -f tests/bench/locustfile.py --headless -u 4 -t 10s -H ...
"""

import itertools
import json
import os
from pathlib import Path

from locust import FastHttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/bench/bare/json/")
_tokens_file = os.environ.get("BENCH_TOKENS_FILE")
TOKENS = json.loads(Path(_tokens_file).read_text()) if _tokens_file else []
_next_token = itertools.count()


class BenchClient(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.headers = {}
        if TOKENS:
            self.headers["X-Session-Token"] = TOKENS[next(_next_token) % len(TOKENS)]

    @task
    def get(self):
        self.client.get(PATH, headers=self.headers, name=PATH)
