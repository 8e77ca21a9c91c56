"""The locust user of the harness: GET one path as fast as it answers (closed loop).

Configured by the harness through the environment: BENCH_PATH, and BENCH_TOKENS_FILE (a JSON
list of session tokens; each simulated client takes the next one, so the clients are distinct
logged-in users). Or BENCH_PLAN_FILE: a JSON list of plans, one per client, each a list of
[token, method, path] requests the client cycles through (per-user paths such as "my course's
outline" or "complete my next lesson"), reported under BENCH_NAME. With BENCH_AUTH=cookie the
"token" is a browser's Cookie header (session + CSRF cookies from the real login form), for
the server-rendered pages.
Not meant to be run by hand, but it can be:
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
_plan_file = os.environ.get("BENCH_PLAN_FILE")
PLANS = json.loads(Path(_plan_file).read_text()) if _plan_file else []
NAME = os.environ.get("BENCH_NAME", PATH)
COOKIE = os.environ.get("BENCH_AUTH") == "cookie"


def _auth(token: str) -> dict[str, str]:
    return {"Cookie": token} if COOKIE else {"X-Session-Token": token}
_next_token = itertools.count()


class BenchClient(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.headers = {}
        self.plan = None
        if PLANS:
            self.plan = itertools.cycle(PLANS[next(_next_token) % len(PLANS)])
        elif TOKENS:
            self.headers.update(_auth(TOKENS[next(_next_token) % len(TOKENS)]))

    @task
    def get(self):
        if self.plan is not None:
            token, method, path = next(self.plan)
            self._send(method, path, _auth(token), NAME)
            return
        self._send("GET", PATH, self.headers, PATH)

    def _send(self, method, path, headers, name):
        if not COOKIE:
            self.client.request(method, path, headers=headers, name=name)
            return
        # A page answers 200; a redirect (to the sign-in page, say) is a failure, not a page.
        with self.client.request(method, path, headers=headers, name=name, allow_redirects=False,
                                 catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")
