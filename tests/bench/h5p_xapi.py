"""H5P xAPI ingest under load (registered in scenarios.py): statements/s and latency at
`--clients` concurrent learners, as ratios to the bare DRF list.

- `h5p-xapi`: "interacted" statements (stored, deduplicated; no attempt), 1 in 10 a retry.
- `h5p-xapi-answered`: every 4th statement a scored "answered" on the root content (an attempt,
  the lesson re-scored and reported to courses under the learner's lock).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.bench import load
from tests.bench.environment import ROOT
from tests.bench.scenarios import BenchContext, scenario

LOCUSTFILE = Path(__file__).with_name("locust_xapi.py")
_lesson: dict = {}


def _setup(ctx: BenchContext) -> None:
    if _lesson:
        return
    done = subprocess.run([sys.executable, "-m", "tests.bench.h5p_setup", "--users", str(ctx.clients)],
                          cwd=ROOT, env=ctx.env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"h5p setup failed:\n{done.stdout}{done.stderr}")
    _lesson.update(json.loads(done.stdout.strip().splitlines()[-1]))
    ctx.log(f"h5p lesson {_lesson['lesson_id']}, {_lesson['enrolled']} learners enrolled")


def _run(ctx: BenchContext, name: str, answered_every: int) -> None:
    path = f"/api/v1/lessons/{_lesson['lesson_id']}/xapi/"
    indexes = _lesson["user_indexes"]
    tokens = ctx.tokens(max(indexes))
    stats = load.run_locust(name=name, host=ctx.host, path=path, tokens=[tokens[i - 1] for i in indexes],
                            clients=ctx.clients, seconds=ctx.duration, out_dir=ctx.out_dir,
                            locustfile=LOCUSTFILE,
                            extra_env={"BENCH_XAPI_OBJECT": _lesson["object"],
                                       "BENCH_XAPI_ANSWERED_EVERY": str(answered_every)})
    ctx.report.http.append(stats)
    ctx.log(f"{name}: {stats.rps:.0f} statements/s, p95 {stats.p95:.0f} ms, {stats.failures} errors")


@scenario("h5p-xapi", setup=_setup, compared=True,
          help="POST xAPI statements (interacted, 1 in 10 a retried id) as enrolled learners")
def h5p_xapi(ctx: BenchContext) -> None:
    _run(ctx, "h5p-xapi", 0)


@scenario("h5p-xapi-answered", setup=_setup, compared=True,
          help="POST xAPI statements, every 4th a scored answer (attempt + lesson result)")
def h5p_xapi_answered(ctx: BenchContext) -> None:
    _run(ctx, "h5p-xapi-answered", 4)
