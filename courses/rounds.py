"""A new round of a completed enrolment (recertification by re-taking the course).

The enrolment stays the same row (one per person and course, as everywhere else); the finished
round is copied into `EnrolmentRound` with its lesson results, then the results are cleared, so
progress, prerequisites and completion work exactly as for a first round. Assessments count
quiz attempts from `round_started_at` on (attempts themselves are never deleted).
"""

from __future__ import annotations

import functools
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from backend import raw_rows
from courses.models import Enrolment, EnrolmentRound, EnrolmentStatus, LessonProgress


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def enrolment_new_round(*, user_id: int, course_id: int, reason: str = "") -> Enrolment | None:
    """Close the finished round and start an empty one. A round still open (not completed) is
    left alone: the person just carries on. None when the person has no live enrolment."""
    enrolment = (Enrolment.objects.select_for_update()
                 .filter(user_id=user_id, course_id=course_id)
                 .exclude(status=EnrolmentStatus.WITHDRAWN).first())
    if enrolment is None or enrolment.completed_at is None:
        return enrolment
    now = timezone.now()
    # Lock order: enrolment, then its lesson progress (as in courses.learning).
    rows = list(LessonProgress.objects.select_for_update().filter(enrolment=enrolment).order_by("pk"))
    number = EnrolmentRound.objects.filter(enrolment=enrolment).count() + 1
    EnrolmentRound.objects.create(
        enrolment=enrolment, number=number, enrolled_at=enrolment.enrolled_at,
        completed_at=enrolment.completed_at, percent=enrolment.percent, reason=reason[:64],
        closed_at=now,
        progress=[{"lesson": p.lesson_id, "status": p.status, "score": p.score, "passed": p.passed,
                   "attempts": p.attempts, "time_spent_seconds": p.time_spent_seconds,
                   "started_at": _iso(p.started_at), "completed_at": _iso(p.completed_at)}
                  for p in rows])
    LessonProgress.objects.filter(pk__in=[p.pk for p in rows]).delete()
    enrolment.completed_at = None
    enrolment.percent = 0
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.last_lesson = None
    enrolment.save(update_fields=["completed_at", "percent", "status", "last_lesson"])
    return enrolment


@functools.cache
def _round_started_sql() -> str:
    rounds, enrolments = EnrolmentRound._meta.db_table, Enrolment._meta.db_table
    return (f"SELECT r.closed_at FROM {rounds} r JOIN {enrolments} e ON e.id = r.enrolment_id "  # noqa: S608
            "WHERE e.user_id = %s AND e.course_id = %s ORDER BY r.number DESC LIMIT 1")


def round_started_at(*, user_id: int, course_id: int) -> datetime | None:
    """When the person's current round of the course began, if it is not their first (results
    before it belong to an earlier round); None for a first round. Written as SQL: every quiz
    submit asks, and the ORM's join cost more to build than to run (decision 0075's pattern)."""
    with connection.cursor() as cursor:
        cursor.execute(_round_started_sql(), [user_id, course_id])
        row = cursor.fetchone()
    return None if row is None else raw_rows.value(EnrolmentRound, "closed_at", row[0])
