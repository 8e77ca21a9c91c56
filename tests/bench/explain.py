"""EXPLAIN (ANALYZE, BUFFERS) of every query the hot requests run, on a seeded bench database.

    .venv/bin/python -m tests.bench.explain --pg-url postgres://postgres@127.0.0.1:5432/ttdn_bench_scale

In one Django process with the bench environment (tests/bench/environment.py): a bench trainee
logs in through allauth's headless login, then each hot request runs through Django's test client
under `CaptureQueriesContext`: GET /api/v1/me/, the course outline with my progress, lesson
complete, quiz start / autosave / submit (on a seeded quiz whose module the trainee has done), and
the staff roll-up of the whole bench tree (`courses.api.unit_rollup`, what /admin/report runs).
Every captured statement (transaction control left out) is then explained inside a transaction
that is rolled back, so an explained write changes nothing.

A plan is flagged when it reads a big table (over --big rows, 100,000 by default, from
pg_class.reltuples) with a Seq Scan, or takes over --slow-ms. Writes
`<out>/explain/<request>.txt` (each statement, its plan) and `<out>/explain/summary.md`; exits
1 if anything is flagged and --strict is given. PostgreSQL only (SQLite has no such plans).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import datetime
from pathlib import Path

from tests.bench.environment import ROOT, BenchDatabase, bench_env

SKIP = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SET |SHOW )", re.I)
SEQ = re.compile(r"Seq Scan on (\w+)")
EXEC = re.compile(r"Execution Time: ([\d.]+) ms")


def _setup(pg_url: str) -> None:
    env = bench_env(BenchDatabase.choose("postgres", pg_url))
    for key in [k for k in os.environ if k.startswith(("DJANGO_", "CELERY_", "REDIS_", "CACHE_"))]:
        del os.environ[key]
    os.environ.update(env)
    import django

    django.setup()


def _requests():
    """(name, callable(client) -> None) of the hot paths; run in this order."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from backend.bench_seeding import BENCH_PASSWORD, EMAIL_DOMAIN

    with connection.cursor() as cursor:
        # A trainee of a course whose first module is done but not the course: the outline has
        # progress and locks, a lesson is open, and the module's quiz can be started.
        cursor.execute(
            "SELECT e.user_id, e.course_id FROM courses_enrolment e JOIN accounts_user u ON u.id = "
            "e.user_id WHERE u.email LIKE %s AND e.percent BETWEEN 30 AND 60 "
            # A trainee only: a trainer or an administrator without TOTP gets 403 mfa_required.
            "AND NOT EXISTS (SELECT 1 FROM accounts_roleassignment r WHERE r.user_id = u.id "
            "AND r.role <> 'trainee') ORDER BY e.id LIMIT 1",
            [f"u%@{EMAIL_DOMAIN}"])
        user_id, course_id = cursor.fetchone()
        cursor.execute(
            "SELECT l.id FROM courses_lesson l JOIN courses_module m ON m.id = l.module_id "
            "WHERE l.course_id = %s AND l.kind <> 'quiz' AND NOT EXISTS (SELECT 1 FROM "
            "courses_lessonprogress p JOIN courses_enrolment e ON e.id = p.enrolment_id "
            "WHERE p.lesson_id = l.id AND e.user_id = %s) ORDER BY m.position, l.position LIMIT 1",
            [course_id, user_id])
        open_lesson = cursor.fetchone()[0]
        cursor.execute(
            "SELECT q.id FROM assessments_quiz q JOIN courses_lesson l ON l.id = q.lesson_id "
            "JOIN courses_module m ON m.id = l.module_id WHERE q.course_id = %s "
            "ORDER BY m.position LIMIT 1", [course_id])
        quiz_id = cursor.fetchone()[0]
    email = get_user_model().objects.get(pk=user_id).email
    state: dict = {}

    def login(client):
        response = client.post("/_allauth/app/v1/auth/login", {"email": email, "password": BENCH_PASSWORD},
                               content_type="application/json")
        assert response.status_code == 200, response.content[:300]
        state["token"] = response.json()["meta"]["session_token"]

    def get(path):
        def run(client):
            response = client.get(path, HTTP_X_SESSION_TOKEN=state["token"])
            assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return run

    def post(path, method="post", body=None, key=None):
        def run(client):
            call = getattr(client, method)
            response = call(path.format(**state), json.dumps(body or {}), content_type="application/json",
                            HTTP_X_SESSION_TOKEN=state["token"])
            assert response.status_code in (200, 201), (path, response.status_code, response.content[:300])
            if key:
                state[key] = response.json()
        return run

    def start(client):
        post(f"/api/v1/quizzes/{quiz_id}/attempts/", key="attempt")(client)
        state["attempt_id"] = state["attempt"]["id"]
        question = state["attempt"]["questions"][0]
        state["save"] = {"responses": [{"position": question["position"],
                                        "answer": question["choices"][0]["id"]}]}

    def autosave(client):
        post("/api/v1/attempts/{attempt_id}/", method="patch", body=state["save"])(client)

    def rollup(_client):
        from courses.api import unit_rollup

        with connection.cursor() as cursor:
            cursor.execute("SELECT path FROM accounts_organisation WHERE code = 'bench-central'")
            root = cursor.fetchone()[0]
        unit_rollup(scope_paths=[root], course_id=None)

    return [
        ("login", login),
        ("me", get("/api/v1/me/")),
        ("course-outline", get(f"/api/v1/courses/{course_id}/outline/")),
        ("lesson-complete", post(f"/api/v1/lessons/{open_lesson}/complete/")),
        ("quiz-start", start),
        ("quiz-autosave", autosave),
        ("quiz-submit", post("/api/v1/attempts/{attempt_id}/submit/")),
        ("staff-rollup", rollup),
    ]


def _big_tables(cursor, big: int) -> dict[str, int]:
    cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' "
                   "AND relnamespace = 'public'::regnamespace AND reltuples >= %s", [big])
    return dict(cursor.fetchall())


def explain(sql: str) -> tuple[str, float | None]:
    from django.db import connection, transaction

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
    except Exception as error:
        return f"(not explained: {error})", None
    found = EXEC.search(plan)
    return plan, float(found.group(1)) if found else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/ttdn_bench_scale")
    parser.add_argument("--out", type=Path, default=None,
                        help="directory (default bench-results/<stamp>); plans go to <out>/explain/")
    parser.add_argument("--big", type=int, default=100_000, help="rows that make a table big")
    parser.add_argument("--slow-ms", type=float, default=20.0, help="execution time that is slow")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a plan is flagged")
    args = parser.parse_args(argv)
    if not args.pg_url.rsplit("/", 1)[-1].startswith("ttdn_bench"):
        raise SystemExit("The database name must start with ttdn_bench.")
    _setup(args.pg_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out = (args.out or ROOT / "bench-results" / datetime.now().strftime("%Y%m%d-%H%M%S")) / "explain"
    out.mkdir(parents=True, exist_ok=True)
    with connection.cursor() as cursor:
        big = _big_tables(cursor, args.big)
    client = Client(HTTP_HOST="127.0.0.1")
    summary = [f"# EXPLAIN of the hot requests ({args.pg_url.rsplit('/', 1)[-1]})", "",
               "Big tables (rows, estimated): " + ", ".join(f"{t} {n:,}" for t, n in
                                                            sorted(big.items(), key=lambda x: -x[1])),
               "", "| request | statements | total ms (explained) | flagged |", "|---|---|---|---|"]
    flagged_any = False
    for name, run in _requests():
        with CaptureQueriesContext(connection) as captured:
            run(client)
        statements = [q["sql"] for q in captured.captured_queries if not SKIP.match(q["sql"])]
        text, flags, total = [], [], 0.0
        for n, sql in enumerate(statements, 1):
            plan, ms = explain(sql)
            total += ms or 0.0
            seq = [t for t in SEQ.findall(plan) if t in big]
            why = []
            if seq:
                why.append("Seq Scan on " + ", ".join(sorted(set(seq))))
            if ms is not None and ms > args.slow_ms:
                why.append(f"{ms:.1f} ms")
            if why:
                flags.append(f"#{n}: {'; '.join(why)}")
            text += [f"-- #{n}{'  FLAGGED: ' + '; '.join(why) if why else ''}", sql, "", plan, ""]
        (out / f"{name}.txt").write_text("\n".join(text), encoding="utf-8")
        flagged_any |= bool(flags)
        summary.append(f"| {name} | {len(statements)} | {total:.1f} | {'<br>'.join(flags) or '–'} |")
        print(f"{name:16s} {len(statements):3d} statements {total:8.1f} ms  {'; '.join(flags) or 'ok'}")
    (out / "summary.md").write_text("\n".join(summary) + "\n", encoding="utf-8")
    print(f"Plans in {out}")
    return 1 if flagged_any and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
