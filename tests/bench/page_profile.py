"""cProfile of the trainee's pages in the bench environment (issue 14 part 4).

    .venv/bin/python -m tests.bench.page_profile --pg-url postgres://…/ttdn_bench_pages [--requests 200]

Against a seeded bench database (`make bench … --only page-outline` leaves one behind), in one
process with the bench's production settings (DEBUG off, cached templates, the static
manifest): a bench trainee signed in through Django's test client asks for its outline page,
a lesson page and, when the pages scenarios made them, a quiz start page and the player
of an attempt in progress, `--requests` times each
after a warm-up, first without the profiler (the plain ms per page, the figure to compare
between commits), then under it. Writes bench-results/profiles/page-<name>.prof (open with snakeviz or
`python -m pstats`) and page-<name>.txt (the top functions by cumulative and own time), and
prints ms per page.
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
    parser = argparse.ArgumentParser(prog="python -m tests.bench.page_profile")
    parser.add_argument("--pg-url", default=PG_DEFAULT)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "profiles")
    parser.add_argument("--label", default="", help="suffix of the file names (before/after)")
    args = parser.parse_args(argv)
    os.environ.update(bench_env(BenchDatabase.choose("postgres", args.pg_url)))

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from backend.accounts.models import Role, User
    from courses.models import Enrolment, Lesson

    user = (User.objects.filter(email__startswith="u0", email__endswith="@bench.invalid",
                                role_assignments__role=Role.TRAINEE).order_by("email").first())
    enrolment = Enrolment.objects.filter(user=user).exclude(status="withdrawn").order_by("id").first()
    lesson = (Lesson.objects.filter(course_id=enrolment.course_id, kind="text")
              .order_by("module__position", "position").first())
    pages = {"outline": f"/courses/{enrolment.course_id}/learn/", "lesson": f"/learn/lessons/{lesson.pk}/"}
    from assessments.models import Quiz

    quiz_course = (Enrolment.objects.filter(user=user, course__title__startswith="Khóa học có bài kiểm tra")
                   .order_by("-course_id").values_list("course_id", flat=True).first())
    quiz = Quiz.objects.filter(course_id=quiz_course).order_by("id").first() if quiz_course else None
    if quiz is not None:
        pages["quiz"] = f"/quiz/{quiz.pk}/"
        from assessments.models import Attempt

        attempt = (Attempt.objects.filter(user=user, quiz__course_id=quiz_course, status="in_progress")
                   .order_by("id").first())
        if attempt is not None:
            pages["attempt"] = f"/quiz/attempt/{attempt.pk}/"
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    for name, path in pages.items():
        for _ in range(10):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        queries: list[str] = []

        def record(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        # An execute wrapper, not CaptureQueriesContext: a request's start resets the latter's log.
        with connection.execute_wrapper(record):
            client.get(path)
        started = time.perf_counter()
        for _ in range(args.requests):
            client.get(path)
        plain_ms = (time.perf_counter() - started) * 1000 / args.requests
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for _ in range(args.requests):
            client.get(path)
        profile.disable()
        ms = (time.perf_counter() - started) * 1000 / args.requests
        profile.dump_stats(args.out / f"page-{name}{suffix}.prof")
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text)
        text.write(f"{path}: {ms:.1f} ms per page under the profiler, {len(queries)} queries, "
                   f"{len(response.content)} bytes\n")
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        (args.out / f"page-{name}{suffix}.txt").write_text(text.getvalue())
        print(f"{name:8s} {path:28s} {plain_ms:6.1f} ms/page, {ms:6.1f} profiled, {len(queries)} queries, "
              f"{len(response.content)} bytes")


if __name__ == "__main__":
    main()
