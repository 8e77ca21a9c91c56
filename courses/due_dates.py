"""Placeholder: replaced by the time-rules branch.

The effective due date of an enrolment. Here it is the course's due date only; the time-rules
branch adds the per-person extension (Enrolment.due_at) in front of it.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, QuerySet

from courses.models import Enrolment


def with_effective_due_at(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotate `effective_due_at` (set-based: usable in filters over millions of rows)."""
    return enrolments.annotate(effective_due_at=F("course__due_at"))


def effective_due_at(enrolment: Enrolment) -> datetime | None:
    return enrolment.course.due_at
