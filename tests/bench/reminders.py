"""The reminder job (`backend.notifications.job.run`) over many enrolments: rows/s and peak memory.

    .venv/bin/python -m tests.bench.reminders                                  # 100,000 / 10,000
    .venv/bin/python -m tests.bench.reminders --enrolments 1000000 --people 100000   # full size

PostgreSQL only (database `ttdn_bench_notify`, dropped and rebuilt each run). Seeds P people, C
courses with due dates spread from 10 days ago to 20 days ahead, and E enrolments (E/P per person,
30% completed) with set-based INSERT ... SELECT; then, in a fresh process with e-mail to the dummy
backend and the outbox sent in-process, runs the job three times at the same instant:

1. first run: every due-soon / overdue enrolment gets its notification and outbox row;
2. second run: nothing new (the steady state every 15 minutes: the anti-join finds nothing);
3. a run a day later (new windows).

Reports, per run, seconds, enrolments covered per second (the population the job considers:
E / seconds), notifications created per second, and peak RSS growth over the process's baseline
(ru_maxrss after Django setup); flat peak memory across sizes = nothing grows with E.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

from tests.bench.environment import ROOT, BenchDatabase, bench_env, manage

PG_URL = "postgres://postgres@127.0.0.1:5432/ttdn_bench_notify"
UNIT = "bench-notify"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _seed(enrolments: int, people: int, courses: int) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from backend.accounts.models import Organisation
    from courses.models import Course

    started = time.perf_counter()
    unit = Organisation.objects.create(code=UNIT, name="Bộ Ngoại giao", kind="ministry")
    now = timezone.now()
    Course.objects.bulk_create([
        Course(title=f"Thông tin đối ngoại {i + 1}", organisation=unit, status="published",
               due_at=now + timezone.timedelta(days=(i % 30) - 10, hours=i % 24))
        for i in range(courses)])
    course_ids = list(Course.objects.filter(organisation=unit).order_by("pk")
                      .values_list("pk", flat=True))
    per_person = max(1, enrolments // people)
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO accounts_user (password, last_login, is_superuser, email, full_name,
                search_name, language, organisation_id, is_active, is_staff, date_joined, invited_at)
            SELECT '!', NULL, false, 'nguoi' || n || '@bench.vn', 'Nguyễn Văn Học ' || n,
                   'nguyen van hoc ' || n, 'vi', %s, true, false, now(), NULL
            FROM generate_series(1, %s) AS n""", [unit.pk, people])
        cursor.execute("SELECT min(id) FROM accounts_user WHERE organisation_id = %s", [unit.pk])
        first_user = cursor.fetchone()[0]
        cursor.execute("""
            INSERT INTO courses_enrolment (user_id, course_id, status, source, enrolled_at, percent,
                completed_at, withdrawn_at, enrolled_by_id, last_lesson_id, notified_at)
            SELECT %(first)s + p, c.ids[1 + ((p + j * 7) %% %(c)s)],
                   CASE WHEN (p + j) %% 10 < 3 THEN 'completed' ELSE 'active' END, 'staff',
                   now() - interval '30 days', 0,
                   CASE WHEN (p + j) %% 10 < 3 THEN now() ELSE NULL END, NULL, NULL, NULL, now()
            FROM generate_series(0, %(people)s - 1) AS p, generate_series(0, %(per)s - 1) AS j,
                 (SELECT %(ids)s::bigint[] AS ids) AS c""",
                       {"first": first_user, "c": len(course_ids), "people": people,
                        "per": per_person, "ids": course_ids})
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM courses_enrolment")
        total = cursor.fetchone()[0]
    return {"enrolments": total, "people": people, "courses": courses,
            "seconds": round(time.perf_counter() - started, 1)}


def _run() -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from backend.notifications.job import run

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM courses_enrolment")
        enrolments = cursor.fetchone()[0]
    baseline = _rss_mb()
    now = timezone.now()
    runs = []
    for label, at in (("first", now), ("again", now), ("next day", now + timezone.timedelta(days=1))):
        started = time.perf_counter()
        report = run(now=at, keep_examples=0)
        seconds = time.perf_counter() - started
        created = sum(report.created.values())
        runs.append({"run": label, "seconds": round(seconds, 2),
                     "enrolments_per_s": round(enrolments / seconds),
                     "created": created, "created_per_s": round(created / seconds),
                     "emails": report.outbox.get("sent", 0),
                     "peak_growth_mb": round(_rss_mb() - baseline, 1)})
    return {"enrolments": enrolments, "baseline_mb": round(baseline, 1), "runs": runs}


def _child(env: dict, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "tests.bench.reminders", "--child", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"reminder bench step {args[0]} failed:\n{done.stdout[-3000:]}"
                         f"{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_bench(enrolments: int, people: int, courses: int, log=print) -> dict:
    database = BenchDatabase("postgres", PG_URL)
    database.recreate()
    env = bench_env(database)
    env.pop("CELERY_BROKER_URL")
    env["CELERY_TASK_ALWAYS_EAGER"] = "1"
    env["NOTIFICATIONS_CHUNK"] = "2000"
    log(f"migrating and seeding {enrolments} enrolments, {people} people, {courses} courses...")
    manage(env, "migrate", "--no-input", "-v0")
    seeded = _child(env, "seed", str(enrolments), str(people), str(courses))
    log(f"seeded in {seeded['seconds']} s; running the job...")
    result = _child(env, "run")
    result["seed"] = seeded
    return result


def table(result: dict) -> str:
    lines = [f"reminder job over {result['enrolments']:,} enrolments "
             f"(process baseline {result['baseline_mb']} MB)",
             "| run | seconds | enrolments/s | notifications | notifications/s | e-mails sent | "
             "peak RSS growth MB |", "|---|---|---|---|---|---|---|"]
    for r in result["runs"]:
        lines.append(f"| {r['run']} | {r['seconds']} | {r['enrolments_per_s']:,} | {r['created']:,} | "
                     f"{r['created_per_s']:,} | {r['emails']:,} | {r['peak_growth_mb']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
        step, *rest = argv[1:]
        out = _seed(*map(int, rest)) if step == "seed" else _run()
        print(json.dumps(out))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enrolments", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--courses", type=int, default=300)
    args = parser.parse_args(argv)
    result = run_bench(args.enrolments, args.people, args.courses,
                       log=lambda m: print(f"[reminders] {m}", file=sys.stderr, flush=True))
    print(json.dumps(result))
    print(table(result))


if __name__ == "__main__":
    main()
