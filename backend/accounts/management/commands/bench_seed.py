"""`manage.py bench_seed`: the large synthetic data set of the benchmark harness (tests/bench).

Runs every registered seed step (backend/bench_seeding.py) in order. Idempotent; `--reset`
first deletes bench data (reverse order). Refused unless BENCH_ENDPOINTS or DEBUG is on, since
bench accounts share a known password.
"""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backend.bench_seeding import SeedContext, seed_steps


class Command(BaseCommand):
    help = "Seed the benchmark data set (organisation tree, users, ...). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=20_000, help="Bench users (default 20000).")
        parser.add_argument("--seed", type=int, default=2026, help="RNG seed (same seed, same data).")
        parser.add_argument("--reset", action="store_true", help="Delete bench data first.")
        parser.add_argument("--only", default="", help="Comma-separated step names to run.")
        parser.add_argument("--list", action="store_true", help="List the steps and stop.")

    def handle(self, *args, users: int, seed: int, reset: bool, only: str, list: bool, **options):
        steps = seed_steps({s.strip() for s in only.split(",") if s.strip()} or None)
        if list:
            for step in steps:
                self.stdout.write(f"{step.order:4d}  {step.name}")
            return
        if not (settings.BENCH_ENDPOINTS or settings.DEBUG):
            raise CommandError("bench_seed needs BENCH_ENDPOINTS=1 or DEBUG (never in production).")
        if users < 0:
            raise CommandError("--users must be >= 0.")
        if reset:
            for step in reversed(steps):
                if step.reset:
                    step.reset()
                    self.stdout.write(f"reset {step.name}")
        ctx = SeedContext(users=users, rng=random.Random(seed),  # noqa: S311 (synthetic data)
                          log=self.stdout.write)
        for step in steps:
            started = time.perf_counter()
            step.run(ctx)
            self.stdout.write(f"  ({step.name}: {time.perf_counter() - started:.1f} s)")
        self.stdout.write(self.style.SUCCESS("Bench data is ready."))
