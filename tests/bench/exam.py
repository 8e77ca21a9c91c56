"""Exam-start surge: N trainees start the same 30-question random quiz within a short window,
autosave every answer one by one, and submit.

Three phases over `clients` concurrent keep-alive connections (each request carries one
trainee's session token): all N starts, then N x 30 autosaves (round-robin over the trainees,
so every attempt is written to at once, as in a real exam room), then N submits. Per phase:
requests, errors (any non-2xx or broken connection; target 0), p50/p95/p99 and req/s; the
report sets req/s beside the bare DRF endpoint measured in the same run. Afterwards the
database must hold N finished, graded attempts.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from urllib.parse import urlparse

from tests.bench import flame
from tests.bench.environment import ROOT, query
from tests.bench.report import LoadStats


def answer_for(question: dict):
    """A valid (not necessarily right) answer from the public question, as a trainee might give."""
    kind = question["type"]
    if kind == "single_choice":
        return question["choices"][0]["id"]
    if kind == "multiple_choice":
        return [c["id"] for c in question["choices"][:2]]
    if kind == "true_false":
        return True
    if kind == "short_answer":
        return "hiện đại"
    if kind == "numerical":
        return "2030"
    if kind == "matching":
        return {left["id"]: question["right"][0]["id"] for left in question["left"]}
    if kind == "ordering":
        return [item["id"] for item in question["items"]]
    return "Bài viết"


class Client:
    """One keep-alive connection; reconnects after an error."""

    def __init__(self, host: str):
        parsed = urlparse(host)
        self.netloc = (parsed.hostname, parsed.port)
        self.conn = None

    def call(self, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict, float]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"X-Session-Token": token, "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(*self.netloc, timeout=120)
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.conn = None
            return 0, {}, (time.perf_counter() - started) * 1000
        elapsed = (time.perf_counter() - started) * 1000
        try:
            payload = json.loads(raw or b"{}")
        except ValueError:
            payload = {}
        return status, payload, elapsed


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_phase(host: str, clients: int, jobs: Iterable, handle) -> tuple[list[float], int, float]:
    """Run `handle(client, job) -> (status, ms)` over the jobs with `clients` threads."""
    jobs = list(jobs)
    lock = threading.Lock()
    index = [0]
    latencies: list[float] = []
    errors = [0]

    def worker():
        client = Client(host)
        while True:
            with lock:
                if index[0] >= len(jobs):
                    return
                job = jobs[index[0]]
                index[0] += 1
            status, ms = handle(client, job)
            with lock:
                latencies.append(ms)
                if not 200 <= status < 300:
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0], time.perf_counter() - started


def _stats(
    name: str, path: str, latencies: list[float], errors: int, seconds: float, clients: int
) -> LoadStats:
    return LoadStats(
        name=name,
        path=path,
        requests=len(latencies),
        failures=errors,
        rps=round(len(latencies) / seconds, 1) if seconds else 0.0,
        p50=round(_percentile(latencies, 0.50), 1),
        p95=round(_percentile(latencies, 0.95), 1),
        p99=round(_percentile(latencies, 0.99), 1),
        clients=clients,
        seconds=round(seconds, 1),
    )


def exam_setup(ctx, trainees: int) -> dict:
    """A fresh 30-of-60 quiz with `trainees` enrolled and logged in: {"quiz_id", "tokens"}."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.exam_probe", "--trainees", str(trainees)],
        cwd=ROOT,
        env=ctx.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"exam set-up failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    setup = json.loads(done.stdout.strip().splitlines()[-1])
    if len(setup["tokens"]) < trainees:
        ctx.log(f"exam: only {len(setup['tokens'])} bench trainees exist (seed more users)")
    return setup


def finished_attempts(database, quiz_id: int) -> int:
    return query(
        database,
        f"SELECT COUNT(*) FROM assessments_attempt WHERE quiz_id = {int(quiz_id)} "
        "AND status = 'finished' AND percentage IS NOT NULL",
    )[0][0]


def exam_surge(ctx, trainees: int, autosaves: int) -> list[LoadStats]:
    setup = exam_setup(ctx, trainees)
    quiz_id, tokens = setup["quiz_id"], setup["tokens"]
    ctx.log(f"exam: quiz {quiz_id}, {len(tokens)} trainees, {ctx.clients} concurrent clients")
    attempts: dict[str, dict] = {}

    def start(client, token):
        status, body, ms = client.call("POST", f"/api/v1/quizzes/{quiz_id}/attempts/", token)
        if status in (200, 201):
            attempts[token] = body
        return status, ms

    with flame.phase("exam-start", ctx.out_dir):
        lat, err, secs = run_phase(ctx.host, ctx.clients, tokens, start)
    results = [_stats("exam-start", f"POST /api/v1/quizzes/{quiz_id}/attempts/", lat, err, secs, ctx.clients)]

    saves = []
    for n in range(autosaves):
        for token, body in attempts.items():
            if n < len(body["questions"]):
                question = body["questions"][n]
                saves.append((token, body["id"], question["position"], answer_for(question)))

    def autosave(client, job):
        token, attempt_id, position, answer = job
        status, _body, ms = client.call(
            "PATCH",
            f"/api/v1/attempts/{attempt_id}/",
            token,
            {"responses": [{"position": position, "answer": answer}]},
        )
        return status, ms

    with flame.phase("exam-autosave", ctx.out_dir):
        lat, err, secs = run_phase(ctx.host, ctx.clients, saves, autosave)
    results.append(_stats("exam-autosave", "PATCH /api/v1/attempts/{id}/", lat, err, secs, ctx.clients))

    def submit(client, item):
        token, body = item
        status, _body, ms = client.call("POST", f"/api/v1/attempts/{body['id']}/submit/", token, {})
        return status, ms

    with flame.phase("exam-submit", ctx.out_dir):
        lat, err, secs = run_phase(ctx.host, ctx.clients, list(attempts.items()), submit)
    results.append(_stats("exam-submit", "POST /api/v1/attempts/{id}/submit/", lat, err, secs, ctx.clients))

    finished = finished_attempts(ctx.database, quiz_id)
    ctx.log(f"exam: {finished} of {len(tokens)} attempts finished and graded")
    if finished != len(tokens):
        results[-1] = LoadStats(
            **{**results[-1].__dict__, "failures": results[-1].failures + len(tokens) - finished}
        )
    return results
