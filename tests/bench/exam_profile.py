"""cProfile of the exam's requests in the bench environment (issue 14: quiz start and submit).

    .venv/bin/python -m tests.bench.exam_profile --pg-url postgres://…/ttdn_bench [--trainees 100]

Against a seeded bench database on which the `exam` scenario ran (it leaves its 30-of-60 quiz
behind), in one process with the bench's production settings: `--trainees` enrolled trainees of
that quiz each start an attempt, autosave three answers and submit, through the REST API and
Django's test client (the views, serializers and services, as a worker runs them; not the network
or gunicorn). Each phase is timed and profiled on its own after a warm-up of 5 trainees and writes
bench-results/profiles/exam-<phase>[-label].prof|txt; prints ms per request and the queries of one.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time
from pathlib import Path

from tests.bench.environment import PG_DEFAULT, ROOT, BenchDatabase, bench_env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.exam_profile")
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument("--trainees", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "profiles")
    parser.add_argument("--label", default="", help="suffix of the file names (before/after)")
    parser.add_argument("--sql", action="store_true", help="print the statements of one request per phase")
    args = parser.parse_args(argv)
    os.environ.update(bench_env(BenchDatabase.choose("postgres", args.pg_url)))

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from assessments.models import Attempt, Quiz
    from backend.accounts.models import Role, User
    from courses import enrolments
    from courses.models import Enrolment

    quiz = Quiz.objects.filter(title="Bài thi", slots__count=30).order_by("-pk").first()
    if quiz is None:
        raise SystemExit("no exam quiz: run the bench's `exam` scenario on this database first")
    busy = Attempt.objects.filter(quiz=quiz).values("user_id")
    enrolled = Enrolment.objects.filter(course_id=quiz.course_id).values("user_id")
    fresh = (User.objects.filter(email__endswith="@bench.invalid", is_active=True,
                                 role_assignments__role=Role.TRAINEE)
             .exclude(pk__in=busy).exclude(pk__in=enrolled).order_by("pk"))
    missing = args.trainees + 5 - enrolled.exclude(user_id__in=busy).count()
    if missing > 0:  # the exam scenario's trainees all have an attempt: enrol the next ones
        enrolments.enrolments_add(actor=None, course_id=quiz.course_id,
                                  user_ids=list(fresh.values_list("pk", flat=True)[:missing]))
    users = list(User.objects.filter(pk__in=enrolled.exclude(user_id__in=busy)).order_by("pk")
                 [: args.trainees + 5])
    clients = []
    for user in users:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        if clients:  # one handler (the middleware loads once, as in a worker)
            client.handler = clients[0].handler
        clients.append(client)
    warm, measured = clients[:5], clients[5:]
    attempts: dict[int, dict] = {}

    def start(i, client):
        response = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts/", content_type="application/json")
        assert response.status_code in (200, 201), response.content[:300]
        attempts[i] = response.json()

    def autosave(i, client):
        body = attempts[i]
        for item in body["questions"][:3]:
            response = client.patch(f"/api/v1/attempts/{body['id']}/", content_type="application/json",
                                    data={"responses": [{"position": item["position"], "answer": None}]})
            assert response.status_code == 200, response.content[:300]

    def submit(i, client):
        response = client.post(f"/api/v1/attempts/{attempts[i]['id']}/submit/",
                               content_type="application/json")
        assert response.status_code == 200, response.content[:300]

    args.out.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    for name, step, per in (("start", start, 1), ("autosave", autosave, 3), ("submit", submit, 1)):
        for i, client in enumerate(warm):
            step(-1 - i, client)
        queries: list[str] = []

        def record(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(record):
            step(0, measured[0])
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for i, client in enumerate(measured[1:], start=1):
            step(i, client)
        profile.disable()
        ms = (time.perf_counter() - started) * 1000 / ((len(measured) - 1) * per)
        profile.dump_stats(args.out / f"exam-{name}{suffix}.prof")
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text)
        text.write(f"{name}: {ms:.1f} ms per request under the profiler, {len(queries) // per} queries\n")
        stats.sort_stats("cumulative").print_stats(50)
        stats.sort_stats("tottime").print_stats(30)
        (args.out / f"exam-{name}{suffix}.txt").write_text(text.getvalue())
        print(f"{name:9s} {ms:6.1f} ms/request (profiled), {len(queries) // per} queries")
        if args.sql:
            for sql in queries[: len(queries) // per]:
                print(f"    {sql[:240]}")


if __name__ == "__main__":
    main()
