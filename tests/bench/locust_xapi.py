"""Locust user for the H5P xAPI scenarios: POST statements as the player does (a fresh UUID
each; every 10th POST repeats the previous id, as a client retry would).

Environment: BENCH_PATH (/api/v1/lessons/{id}/xapi/), BENCH_TOKENS_FILE, BENCH_XAPI_OBJECT (the
lesson's activity IRI), BENCH_XAPI_ANSWERED_EVERY (n: every n-th statement is a scored
"answered" on the root content, which makes an attempt and re-scores the lesson; 0: never).
"""

import itertools
import json
import os
import uuid
from pathlib import Path

from locust import FastHttpUser, constant, task

PATH = os.environ["BENCH_PATH"]
OBJECT = os.environ["BENCH_XAPI_OBJECT"]
ANSWERED_EVERY = int(os.environ.get("BENCH_XAPI_ANSWERED_EVERY", "0"))
TOKENS = json.loads(Path(os.environ["BENCH_TOKENS_FILE"]).read_text())
_next_token = itertools.count()
VERBS = "http://adlnet.gov/expapi/verbs/"


def statement(statement_id: str, answered: bool) -> dict:
    data = {"id": statement_id, "actor": {"name": "x", "mbox": "mailto:x@example.org"},
            "verb": {"id": VERBS + ("answered" if answered else "interacted")},
            "object": {"id": OBJECT, "objectType": "Activity"}}
    if answered:
        data["result"] = {"score": {"min": 0, "max": 1, "raw": 1, "scaled": 1}, "success": True,
                          "completion": True}
    return data


class XAPIClient(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.headers = {"X-Session-Token": TOKENS[next(_next_token) % len(TOKENS)],
                        "Content-Type": "application/json"}
        self.count = 0
        self.last = None

    @task
    def post(self):
        self.count += 1
        retry = self.last is not None and self.count % 10 == 0
        statement_id = self.last if retry else str(uuid.uuid4())
        answered = bool(ANSWERED_EVERY) and self.count % ANSWERED_EVERY == 0
        self.last = statement_id
        self.client.post(PATH, data=json.dumps(statement(statement_id, answered)), headers=self.headers,
                         name=PATH)
