"""Open-loop exam surge: N trainees *arrive* within a window to start the same quiz, then each
autosaves K answers with think time between them and submits.

Closed loops (a fixed number of clients, each sending its next request when the last one came
back) slow down with the server and so hide queueing: here every trainee's start is due at its
arrival time, t0 + i * window / N, whatever the server's speed, and every latency is measured
from the moment the request was *due*, not from when the client got round to sending it (so a
queue, on the server or in this driver, shows in the figures; "coordinated omission").

Each trainee is one greenlet (gevent) with one connection per request, as behind a reverse proxy
that opens a fresh upstream connection per request (nginx's default): an idle keep-alive
connection between answers would hold a gunicorn slot and then be closed under the client.
After its start a trainee answers the questions in order, one autosave each, sleeping a think
time drawn uniformly from [think / 2, 3 * think / 2] before each, then submits after one more
think time. A request is due when its think time ends.

Run by the harness's `exam-surge` scenario (tests/bench/scenarios.py) as
    python -m tests.bench.exam_surge --host http://127.0.0.1:PORT --setup setup.json \
        --window 15 --think 8 --autosaves 30
where setup.json is what tests/bench/exam_probe.py prints ({"quiz_id", "tokens"}); prints one
JSON object per line at the end: {"phases": {...}, "driver": {...}}. The pure parts (the
arrival schedule, the summary) are imported without gevent by tests/bench_smoke.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

PHASES = ("start", "autosave", "submit")


def arrival_schedule(count: int, window: float) -> list[float]:
    """Offsets (s) from t0 at which each of `count` trainees arrives: evenly over the window, so
    the arrival rate is count / window from the first to the last."""
    if count <= 0:
        return []
    if count == 1 or window <= 0:
        return [0.0] * count
    step = window / count
    return [i * step for i in range(count)]


def think_times(rng: random.Random, think: float, count: int) -> list[float]:
    """`count` think times, uniform in [think / 2, 3 * think / 2] (mean `think`)."""
    return [rng.uniform(think / 2, think * 1.5) if think > 0 else 0.0 for _ in range(count)]


@dataclass(frozen=True)
class Sample:
    phase: str
    due: float  # when the request should have left (monotonic seconds)
    sent: float  # when it did
    done: float  # when its response (or its error) was back
    status: int  # 0: no response (connection refused, reset, timeout)

    @property
    def latency_ms(self) -> float:
        return (self.done - self.due) * 1000

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarise(samples: Sequence[Sample]) -> dict[str, dict]:
    """Per phase: requests, errors (non-2xx or no response, by status), latency from the due
    time p50/p95/p99/max (ms), the client's own lag (sent - due, p99 ms: if it is large the
    driver, not the server, was late), and the throughput over the phase's span."""
    out: dict[str, dict] = {}
    for phase in PHASES:
        rows = [s for s in samples if s.phase == phase]
        if not rows:
            continue
        latencies = [s.latency_ms for s in rows]
        lags = [(s.sent - s.due) * 1000 for s in rows]
        span = max(s.done for s in rows) - min(s.due for s in rows)
        errors: dict[str, int] = {}
        for s in rows:
            if not s.ok:
                errors[str(s.status)] = errors.get(str(s.status), 0) + 1
        out[phase] = {
            "requests": len(rows),
            "errors": sum(errors.values()),
            "errors_by_status": errors,
            "p50": round(percentile(latencies, 0.50), 1),
            "p95": round(percentile(latencies, 0.95), 1),
            "p99": round(percentile(latencies, 0.99), 1),
            "max": round(max(latencies), 1),
            "client_lag_p99": round(percentile(lags, 0.99), 1),
            "seconds": round(span, 1),
            "rps": round(len(rows) / span, 1) if span > 0 else 0.0,
        }
    return out


def answer_body(question: dict) -> dict:
    from tests.bench.exam import answer_for

    return {"responses": [{"position": question["position"], "answer": answer_for(question)}]}


def run(host: str, quiz_id: int, tokens: list[str], *, window: float, think: float,
        autosaves: int, seed: int = 1, timeout: float = 120.0) -> dict:
    """Drive the surge (gevent must already have patched the standard library)."""
    import http.client
    from urllib.parse import urlparse

    import gevent

    parsed = urlparse(host)
    netloc = (parsed.hostname, parsed.port)
    samples: list[Sample] = []
    in_flight = [0, 0]  # now, peak

    def call(phase: str, due: float, method: str, path: str, token: str, body: dict | None):
        delay = due - time.monotonic()
        if delay > 0:
            gevent.sleep(delay)
        headers = {"X-Session-Token": token, "Accept": "application/json", "Connection": "close"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        sent = time.monotonic()
        in_flight[0] += 1
        in_flight[1] = max(in_flight[1], in_flight[0])
        status, payload = 0, None
        conn = http.client.HTTPConnection(*netloc, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            status = response.status
            if phase == "start" and status in (200, 201):
                payload = json.loads(raw)
        except (OSError, http.client.HTTPException, ValueError):
            status = 0
        finally:
            conn.close()
            in_flight[0] -= 1
        done = time.monotonic()
        samples.append(Sample(phase, due, sent, done, status))
        return status, payload, done

    def trainee(index: int, token: str, arrival: float):
        rng = random.Random(f"{seed}:{index}")
        _status, attempt, done = call("start", arrival, "POST", f"/api/v1/quizzes/{quiz_id}/attempts/",
                                      token, None)
        if attempt is None:
            return
        thinks = think_times(rng, think, autosaves + 1)
        for question, pause in zip(attempt["questions"][:autosaves], thinks, strict=False):
            _s, _p, done = call("autosave", done + pause, "PATCH", f"/api/v1/attempts/{attempt['id']}/",
                                token, answer_body(question))
        call("submit", done + thinks[-1], "POST", f"/api/v1/attempts/{attempt['id']}/submit/", token, {})

    t0 = time.monotonic() + 1.0
    offsets = arrival_schedule(len(tokens), window)
    started = time.time()
    greenlets = [gevent.spawn(trainee, i, token, t0 + offset)
                 for i, (token, offset) in enumerate(zip(tokens, offsets, strict=True))]
    gevent.joinall(greenlets)
    return {
        "phases": summarise(samples),
        "driver": {"trainees": len(tokens), "window": window, "think": think, "autosaves": autosaves,
                   "arrival_rate": round(len(tokens) / window, 1) if window else None,
                   "peak_in_flight": in_flight[1], "seconds": round(time.time() - started, 1)},
    }


class ConnectionSampler:
    """Samples the bench database's connections (all, and those running a query) once a second
    while the surge runs: what the web tier holds open on PostgreSQL."""

    def __init__(self, database):
        import threading

        self.database, self.peak, self.peak_active = database, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        from tests.bench.environment import query

        sql = ("SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'active') FROM pg_stat_activity "
               f"WHERE datname = '{self.database.name}' AND pid <> pg_backend_pid()")
        while not self._stop.wait(1.0):
            try:
                total, active = query(self.database, sql)[0]
            except Exception:  # a missed sample is not a failure of the surge
                continue
            self.peak, self.peak_active = max(self.peak, total), max(self.peak_active, active)

    def __enter__(self) -> ConnectionSampler:
        if self.database.kind == "postgres":
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def surge(ctx) -> list:
    """The `exam-surge` scenario: set up (tests/bench/exam_probe.py), drive in a subprocess
    (gevent stays out of the harness), check every attempt was graded, and report per phase."""
    import subprocess
    import sys

    from tests.bench.environment import ROOT
    from tests.bench.exam import exam_setup, finished_attempts
    from tests.bench.report import LoadStats

    setup = exam_setup(ctx, ctx.exam_trainees)
    setup_path = ctx.out_dir / "exam-surge-setup.json"
    setup_path.write_text(json.dumps(setup))
    trainees = len(setup["tokens"])
    ctx.log(f"exam-surge: quiz {setup['quiz_id']}, {trainees} trainees arriving over {ctx.surge_window:g} s, "
            f"{ctx.exam_autosaves} autosaves each (think {ctx.surge_think:g} s), gunicorn {ctx.server.model}")
    cpu_before = ctx.server.cpu_seconds()
    with ConnectionSampler(ctx.database) as connections:
        done = subprocess.run(
            [sys.executable, "-m", "tests.bench.exam_surge", "--host", ctx.host,
             "--setup", str(setup_path), "--window", str(ctx.surge_window), "--think", str(ctx.surge_think),
             "--autosaves", str(ctx.exam_autosaves)],
            cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"exam-surge driver failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    driver = result["driver"]
    cpu = ctx.server.cpu_seconds() - cpu_before
    finished = finished_attempts(ctx.database, setup["quiz_id"])
    driver.update({
        "server": ctx.server.model,
        "web_cpu_seconds": round(cpu, 1),
        "web_cores_busy": round(cpu / driver["seconds"], 2) if driver["seconds"] else None,
        "db_connections_peak": connections.peak,
        "db_connections_active_peak": connections.peak_active,
        "finished_attempts": finished,
    })
    ctx.report.meta["exam_surge"] = {**driver, "phases": result["phases"]}
    (ctx.out_dir / "exam-surge.json").write_text(json.dumps(result | {"driver": driver}, indent=2))
    paths = {"start": f"POST /api/v1/quizzes/{setup['quiz_id']}/attempts/",
             "autosave": "PATCH /api/v1/attempts/{id}/", "submit": "POST /api/v1/attempts/{id}/submit/"}
    stats = []
    for phase, figures in result["phases"].items():
        failures = figures["errors"] + (trainees - finished if phase == "submit" else 0)
        stats.append(LoadStats(
            name=f"exam-surge-{phase}", path=paths[phase], requests=figures["requests"],
            failures=failures,
            rps=figures["rps"], p50=figures["p50"], p95=figures["p95"], p99=figures["p99"],
            clients=trainees, seconds=figures["seconds"]))
        ctx.log(f"exam-surge-{phase}: {figures['requests']} requests, {figures['rps']:.0f} req/s, "
                f"p50 {figures['p50']:.0f} / p95 {figures['p95']:.0f} / p99 {figures['p99']:.0f} ms "
                f"(max {figures['max']:.0f}), {failures} errors, "
                f"client lag p99 {figures['client_lag_p99']:.0f} ms")
    ctx.log(f"exam-surge: {finished} of {trainees} attempts graded; web tier {cpu:.0f} CPU s "
            f"({driver['web_cores_busy']} cores busy on average), peak {connections.peak} database "
            f"connections ({connections.peak_active} active), "
            f"peak {driver['peak_in_flight']} requests in flight")
    return stats


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", required=True)
    parser.add_argument("--setup", required=True, help="exam_probe's JSON output (quiz_id, tokens)")
    parser.add_argument("--window", type=float, default=15.0, help="seconds over which trainees arrive")
    parser.add_argument("--think", type=float, default=8.0, help="mean think time before each answer (s)")
    parser.add_argument("--autosaves", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from gevent import monkey

    monkey.patch_all()
    with open(args.setup, encoding="utf-8") as handle:
        setup = json.load(handle)
    result = run(args.host, setup["quiz_id"], setup["tokens"], window=args.window, think=args.think,
                 autosaves=args.autosaves, seed=args.seed)
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
