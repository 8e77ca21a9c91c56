"""`make bench` / `python -m tests.bench.run [options]`: seed, load, report. See README.md.

1. drop and create the bench database (PostgreSQL `ttdn_bench` by default, or SQLite under
   var/bench/), migrate, and seed it with `manage.py bench_seed --users N`;
2. start gunicorn (production settings, BENCH_ENDPOINTS=1) on a free loopback port;
3. run the selected scenarios (tests/bench/scenarios.py), the bare baselines among them;
4. print a table and write JSON + markdown to bench-results/.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from tests.bench import flame
from tests.bench.environment import (
    PG_DEFAULT,
    ROOT,
    BenchDatabase,
    bench_env,
    clear_bench_cache,
    manage,
)
from tests.bench.report import Report, format_text, write_results
from tests.bench.scenarios import BenchContext, selected
from tests.bench.server import WORKER_CLASSES, Gunicorn

_started = time.perf_counter()


def log(message: str) -> None:
    print(f"[bench {time.perf_counter() - _started:6.1f}s] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--pg-url", default=PG_DEFAULT,
                        help="PostgreSQL URL; the database name must start with ttdn_bench.")
    parser.add_argument("--users", type=int, default=20_000, help="bench users to seed")
    parser.add_argument("--clients", type=int, default=10,
                        help="concurrent simulated clients (each a distinct logged-in user)")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per scenario")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", choices=WORKER_CLASSES,
                        default=os.environ.get("BENCH_WORKER_CLASS", "sync"),
                        help="gunicorn worker model (env BENCH_WORKER_CLASS; default sync)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", "4")),
                        help="threads per gthread worker (env BENCH_THREADS; default 4)")
    parser.add_argument("--worker-connections", type=int,
                        default=int(os.environ.get("BENCH_WORKER_CONNECTIONS", "1000")),
                        help="gthread/gevent: simultaneous connections per worker")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--exam-trainees", type=int, default=500,
                        help="exam scenario: trainees starting the quiz (report 500 and 2000)")
    parser.add_argument("--exam-autosaves", type=int, default=30,
                        help="exam scenario: autosaves per trainee (one answer each)")
    parser.add_argument("--surge-window", type=float,
                        default=float(os.environ.get("SURGE_WINDOW", "15")),
                        help="exam-surge: seconds over which the --exam-trainees arrive (env SURGE_WINDOW)")
    parser.add_argument("--surge-think", type=float, default=float(os.environ.get("SURGE_THINK", "8")),
                        help="exam-surge: mean think time before each answer, s (env SURGE_THINK)")
    parser.add_argument("--only", default="", help="comma-separated scenarios (default: all)")
    parser.add_argument("--reuse-db", action="store_true",
                        help="keep the existing bench database (skip drop/create/migrate)")
    parser.add_argument("--explain", action="store_true",
                        help="after seeding, EXPLAIN (ANALYZE, BUFFERS) the hot requests' queries "
                             "into <out>/<stamp>/explain/ (tests/bench/explain.py; PostgreSQL)")
    parser.add_argument("--profile", action="store_true",
                        help="py-spy flame graph of the workers per scenario (flame-<name>.svg)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results")
    parser.add_argument("--list", action="store_true", help="list the scenarios and stop")
    return parser.parse_args(argv)


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    return done.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> Report:
    args = parse_args(argv)
    scenarios = selected({s.strip() for s in args.only.split(",") if s.strip()} or None)
    if args.list:
        from tests.bench.scenarios import SCENARIOS

        for s in SCENARIOS.values():
            print(f"{s.name:12s} {s.help}")
        raise SystemExit(0)

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = args.out / stamp
    out_dir.mkdir(parents=True, exist_ok=True)
    database = BenchDatabase.choose(args.db, args.pg_url)
    env = bench_env(database)
    report = Report(meta={
        "started": datetime.now().isoformat(timespec="seconds"), "db": database.kind,
        "users": args.users, "clients": args.clients, "duration": args.duration,
        "workers": args.workers, "worker_class": args.worker_class, "import_rows": args.import_rows,
        "commit": _commit(),
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "scenarios": [s.name for s in scenarios],
    })

    if not args.reuse_db:
        log(f"recreating the {database.kind} bench database")
        database.recreate()
        manage(env, "migrate", "--no-input", "-v0")
    log(f"seeding {args.users} users")
    started = time.perf_counter()
    manage(env, "bench_seed", "--users", str(args.users))
    report.meta["seed_seconds"] = round(time.perf_counter() - started, 1)
    database.analyze()
    # The pages need the static manifest under production settings (else every page is a 500).
    manage(env, "collectstatic", "--no-input", "-v0")
    if args.explain and database.kind == "postgres":
        log("explaining the hot requests' queries")
        subprocess.run([sys.executable, "-m", "tests.bench.explain", "--pg-url", database.url,
                        "--out", str(out_dir)], cwd=ROOT, check=False)
    server = Gunicorn(env, workers=args.workers, log_dir=out_dir, worker_class=args.worker_class,
                      threads=args.threads, worker_connections=args.worker_connections)
    report.meta["server"] = server.model
    log(f"seeded in {report.meta['seed_seconds']} s; starting gunicorn ({server.model})")

    try:
        with server:
            if args.profile:
                flame.enable(server.process.pid)
            ctx = BenchContext(database=database, env=env, server=server, out_dir=out_dir,
                               clients=args.clients, duration=args.duration,
                               import_rows=args.import_rows, report=report, log=log,
                               exam_trainees=args.exam_trainees, exam_autosaves=args.exam_autosaves,
                               surge_window=args.surge_window, surge_think=args.surge_think)
            for scenario in scenarios:
                log(f"scenario {scenario.name}")
                if scenario.setup:
                    scenario.setup(ctx)
                scenario.run(ctx)
    finally:
        clear_bench_cache(env)  # this run's sessions and cached facts

    json_path, md_path = write_results(report, args.out, stamp)
    print(format_text(report))
    print(f"\nWritten: {json_path.relative_to(ROOT) if json_path.is_relative_to(ROOT) else json_path}"
          f", {md_path.name}; logs in {out_dir}")
    return report


if __name__ == "__main__":
    main()
