"""Courses scenarios: the outline with my progress, and marking a lesson complete, each by many
distinct trainees on the seeded data set (courses/bench_seed.py: 200 courses of 30 lessons,
200,000 enrolments, ~3,000,000 progress rows for 20,000 users).

Every simulated client cycles through the requests of a few distinct logged-in users (the
outlines of their own courses, or their own next lessons), so no two requests hit the same
rows the way a single hot user would.
"""

from __future__ import annotations

import time
from collections import defaultdict
from itertools import zip_longest

from backend.bench_seeding import BENCH_PASSWORD, EMAIL_DOMAIN
from tests.bench import load
from tests.bench.environment import query
from tests.bench.scenarios import BenchContext, scenario

USERS_PER_CLIENT = 3
OUTLINE = "/api/v1/courses/{id}/outline/"
COMPLETE = "/api/v1/lessons/{id}/complete/"
SELF_COMPLETED = ("text", "video", "file")


_trainees: list[tuple[str, str]] = []


def trainee_emails(ctx: BenchContext, count: int) -> list[str]:
    """The first `count` bench trainees' e-mail addresses, in a stable order."""
    return [row[0] for row in query(
        ctx.database,
        "SELECT u.email FROM accounts_user u JOIN accounts_roleassignment r ON r.user_id = u.id "
        f"WHERE r.role = 'trainee' AND u.email LIKE 'u%@{EMAIL_DOMAIN}' "
        f"ORDER BY u.email LIMIT {int(count)}")]


def _users(ctx: BenchContext) -> list[tuple[str, str]]:
    """(email, token) of clients x USERS_PER_CLIENT distinct bench trainees, logged in once per
    run. Trainees only: trainers and administrators must set up TOTP before using the API."""
    count = ctx.clients * USERS_PER_CLIENT
    if len(_trainees) < count:
        emails = trainee_emails(ctx, count)
        started = time.perf_counter()
        _trainees[:] = list(zip(emails, load.login_many(ctx.host, emails, BENCH_PASSWORD), strict=True))
        ctx.log(f"logged in {len(emails)} bench trainees in {time.perf_counter() - started:.1f} s")
    return _trainees[:count]


def _enrolments(ctx: BenchContext, emails: list[str]) -> dict[str, list[tuple[int, int]]]:
    """email -> [(course id, percent)] of live enrolments."""
    listed = ", ".join(f"'{e}'" for e in emails)  # generated addresses, no user input
    rows = query(ctx.database,
                 "SELECT u.email, e.course_id, e.percent FROM courses_enrolment e "
                 "JOIN accounts_user u ON u.id = e.user_id "
                 f"WHERE u.email IN ({listed}) AND e.status <> 'withdrawn' ORDER BY e.id")
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for email, course_id, percent in rows:
        out[email].append((course_id, percent))
    return out


def _interleave(lists: list[list]) -> list:
    return [item for group in zip_longest(*lists) for item in group if item is not None]


def _plans(users: list[tuple[str, str]], per_user: dict[str, list]) -> list[list]:
    """One plan per client: its users' requests, round-robin so consecutive ones differ."""
    plans = []
    for start in range(0, len(users), USERS_PER_CLIENT):
        group = users[start:start + USERS_PER_CLIENT]
        plans.append(_interleave([per_user[email] for email, _token in group]))
    return plans


def measure_plans(ctx: BenchContext, name: str, path: str, plans: list[list],
                  extra_env: dict[str, str] | None = None) -> None:
    """Closed-loop load of the clients' plans for the run's duration, reported under `name`."""
    stats = load.run_locust(name=name, host=ctx.host, path=path, tokens=[], clients=ctx.clients,
                            seconds=ctx.duration, out_dir=ctx.out_dir, plans=plans,
                            extra_env=extra_env)
    ctx.report.http.append(stats)
    ctx.log(f"{name}: {stats.rps:.0f} req/s, p50 {stats.p50:.0f} ms, p99 {stats.p99:.0f} ms, "
            f"{stats.failures} errors")


def _run(ctx: BenchContext, name: str, path: str, plans: list[list]) -> None:
    token, _method, first = next((p[0] for p in plans if p), (None, "GET", None))
    if first is None:
        raise SystemExit(f"{name}: the bench users have nothing to request; seed courses first.")
    warm = first if first.endswith("/outline/") else None
    if warm:
        load.warm_up(ctx.host, warm, token)
    measure_plans(ctx, name, path, plans)


@scenario("course-outline", compared=True,
          help="GET /api/v1/courses/{id}/outline/ (with my progress) as distinct enrolled trainees")
def course_outline(ctx: BenchContext) -> None:
    users = _users(ctx)
    enrolled = _enrolments(ctx, [email for email, _ in users])
    tokens = dict(users)
    per_user = {email: [(tokens[email], "GET", OUTLINE.format(id=course_id))
                        for course_id, _percent in enrolled.get(email, [])] for email, _ in users}
    _run(ctx, "course-outline", OUTLINE, _plans(users, per_user))


@scenario("lesson-complete", compared=True,
          help="POST /api/v1/lessons/{id}/complete/ on each trainee's own open lessons")
def lesson_complete(ctx: BenchContext) -> None:
    users = _users(ctx)
    enrolled = _enrolments(ctx, [email for email, _ in users])
    course_ids = sorted({c for rows in enrolled.values() for c, _ in rows})
    if not course_ids:
        raise SystemExit("lesson-complete: no enrolments; seed courses first.")
    lessons: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for course_id, lesson_id, kind in query(
            ctx.database,
            "SELECT l.course_id, l.id, l.kind FROM courses_lesson l "
            "JOIN courses_module m ON m.id = l.module_id "
            f"WHERE l.course_id IN ({', '.join(map(str, course_ids))}) "
            "ORDER BY l.course_id, m.position, l.position"):
        lessons[course_id].append((lesson_id, kind))
    listed = ", ".join(f"'{email}'" for email, _ in users)  # generated addresses
    done = {(email, lesson_id) for email, lesson_id in query(
        ctx.database,
        "SELECT u.email, p.lesson_id FROM courses_lessonprogress p "
        "JOIN courses_enrolment e ON e.id = p.enrolment_id JOIN accounts_user u ON u.id = e.user_id "
        f"WHERE u.email IN ({listed}) AND p.status = 'completed'")}
    tokens = dict(users)
    per_user = {}
    for email, _ in users:
        # Only quizzes carry prerequisites in the bench courses, so every text or video lesson
        # not done yet is open; quizzes are completed by their quiz, not by hand.
        per_user[email] = _interleave([
            [(tokens[email], "POST", COMPLETE.format(id=lesson_id))
             for lesson_id, kind in lessons[course_id]
             if kind in SELF_COMPLETED and (email, lesson_id) not in done]
            for course_id, _percent in enrolled.get(email, [])])
    plans = _plans(users, per_user)
    fresh = sum(len(p) for p in plans)
    ctx.log(f"lesson-complete: {fresh} open lessons among {len(users)} users; "
            "beyond that a client repeats (an idempotent re-complete)")
    # Warm up on the outline: a POST here would use up lessons.
    email, token = users[0]
    load.warm_up(ctx.host, OUTLINE.format(id=enrolled[email][0][0]), token)
    _run(ctx, "lesson-complete", COMPLETE, plans)
    ctx.report.meta["lesson_complete_open_lessons"] = fresh
