"""Server-rendered trainee pages (issue 14 part 4): the course outline, a lesson, a quiz's start
page and the quiz player, each as a browser asks for it (signed in through the real login form;
the session cookie on every request), on the seeded data set.

Every simulated client cycles through the pages of a few distinct trainees (their own courses
and lessons), as tests/bench/courses.py does for the API. The quiz pages need quizzes, which the
seeded courses do not have: `pages_probe.py` makes a course of the same size with five quizzes
and enrols the same trainees (once per run).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import defaultdict
from urllib.parse import urlparse

from backend.bench_seeding import BENCH_PASSWORD
from tests.bench import load
from tests.bench.courses import (
    SELF_COMPLETED,
    USERS_PER_CLIENT,
    _enrolments,
    _plans,
    measure_plans,
    trainee_emails,
)
from tests.bench.environment import ROOT, query
from tests.bench.scenarios import BenchContext, scenario

OUTLINE = "/courses/{id}/learn/"
LESSON = "/learn/lessons/{id}/"
QUIZ = "/quiz/{id}/"
QUIZ_START = "/quiz/{id}/start/"
ATTEMPT = "/quiz/attempt/{id}/"

_browsers: list[tuple[str, dict[str, str]]] = []
_quizzes: dict = {}


def _users(ctx: BenchContext) -> list[tuple[str, dict[str, str]]]:
    """(email, cookies) of clients x USERS_PER_CLIENT distinct bench trainees, each signed in
    once per run through the login page."""
    count = ctx.clients * USERS_PER_CLIENT
    if len(_browsers) < count:
        emails = trainee_emails(ctx, count)
        started = time.perf_counter()
        _browsers[:] = list(zip(emails, load.browser_login_many(ctx.host, emails, BENCH_PASSWORD),
                                strict=True))
        ctx.log(f"signed in {len(emails)} bench trainees through the login page in "
                f"{time.perf_counter() - started:.1f} s")
    return _browsers[:count]


def _cookie_plans(users, per_user: dict[str, list[str]]) -> list[list]:
    cookies = {email: load.cookie_header(jar) for email, jar in users}
    return _plans([(email, None) for email, _ in users],
                  {email: [(cookies[email], "GET", path) for path in per_user.get(email, [])]
                   for email, _ in users})


def _run(ctx: BenchContext, name: str, path: str, plans: list[list]) -> None:
    first = next((p[0] for p in plans if p), None)
    if first is None:
        raise SystemExit(f"{name}: the bench users have no such page; seed courses first.")
    load.warm_up(ctx.host, first[2], None, cookie=first[0])
    measure_plans(ctx, name, path, plans, extra_env={"BENCH_AUTH": "cookie"})


@scenario("page-outline", compared=True,
          help="GET /courses/{id}/learn/ (the outline page) as distinct signed-in trainees")
def page_outline(ctx: BenchContext) -> None:
    users = _users(ctx)
    enrolled = _enrolments(ctx, [email for email, _ in users])
    per_user = {email: [OUTLINE.format(id=c) for c, _ in enrolled.get(email, [])]
                for email, _ in users}
    _run(ctx, "page-outline", OUTLINE, _cookie_plans(users, per_user))


@scenario("page-lesson", compared=True,
          help="GET /learn/lessons/{id}/ (a reading or video with the course index) as trainees")
def page_lesson(ctx: BenchContext) -> None:
    users = _users(ctx)
    enrolled = _enrolments(ctx, [email for email, _ in users])
    course_ids = sorted({c for rows in enrolled.values() for c, _ in rows})
    lessons: dict[int, list[int]] = defaultdict(list)
    for course_id, lesson_id, kind in query(
            ctx.database,
            "SELECT l.course_id, l.id, l.kind FROM courses_lesson l "
            "JOIN courses_module m ON m.id = l.module_id "
            f"WHERE l.course_id IN ({', '.join(map(str, course_ids))}) "
            "ORDER BY l.course_id, m.position, l.position"):
        if kind in SELF_COMPLETED:  # only the quizzes carry prerequisites: these are all open
            lessons[course_id].append(lesson_id)
    per_user = {email: [LESSON.format(id=lesson) for c, _ in enrolled.get(email, [])
                        for lesson in lessons[c][::4]] for email, _ in users}
    _run(ctx, "page-lesson", LESSON, _cookie_plans(users, per_user))


def _quiz_course(ctx: BenchContext) -> dict:
    if not _quizzes:
        emails = [email for email, _ in _users(ctx)]
        done = subprocess.run([sys.executable, "-m", "tests.bench.pages_probe", *emails], cwd=ROOT,
                              env=ctx.env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"pages probe failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        _quizzes.update(json.loads(done.stdout.strip().splitlines()[-1]))
        ctx.log(f"quiz pages: course {_quizzes['course_id']} with quizzes {_quizzes['quiz_ids']}")
    return _quizzes


@scenario("page-quiz", compared=True,
          help="GET /quiz/{id}/ (a quiz's start page with the course index) as enrolled trainees")
def page_quiz(ctx: BenchContext) -> None:
    users = _users(ctx)
    quizzes = _quiz_course(ctx)
    per_user = {email: [QUIZ.format(id=q) for q in quizzes["quiz_ids"]] for email, _ in users}
    _run(ctx, "page-quiz", QUIZ, _cookie_plans(users, per_user))


@scenario("page-attempt", compared=True,
          help="GET /quiz/attempt/{id}/ (the quiz player page of an attempt in progress)")
def page_attempt(ctx: BenchContext) -> None:
    users = _users(ctx)
    quizzes = _quiz_course(ctx)
    per_user: dict[str, list[str]] = {}
    started = time.perf_counter()
    for email, jar in users:
        per_user[email] = []
        for quiz_id in quizzes["quiz_ids"][:2]:
            # The start page's own form (POST with its CSRF token), as the button sends it.
            status, location = load.post_form(ctx.host, QUIZ_START.format(id=quiz_id), jar,
                                              page=QUIZ.format(id=quiz_id))
            if status != 302 or "/quiz/attempt/" not in location:
                raise SystemExit(f"page-attempt: starting quiz {quiz_id} answered {status} {location}")
            per_user[email].append(urlparse(location).path)
    ctx.log(f"page-attempt: started {sum(map(len, per_user.values()))} attempts in "
            f"{time.perf_counter() - started:.1f} s")
    _run(ctx, "page-attempt", ATTEMPT, _cookie_plans(users, per_user))
