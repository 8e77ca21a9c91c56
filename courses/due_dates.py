"""When a course is due for one person: their enrolment's extension, else the course's due date
(decision 0061). Every page, reminder and report reads these two functions, so an extension
given on the learners list shows everywhere at once.

``with_effective_due_at`` is set-based (one annotation, no Python loop), for jobs over a million
enrolments; ``effective_due_at`` is the same rule for one enrolment already in hand.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce


def with_effective_due_at(enrolments_qs: QuerySet) -> QuerySet:
    """The enrolments annotated with ``effective_due_at`` = COALESCE(enrolment.due_at, course.due_at)."""
    return enrolments_qs.annotate(effective_due_at=Coalesce(F("due_at"), F("course__due_at")))


def effective_due_at(enrolment, course=None) -> datetime | None:
    """The extension if one is set, else the course's due date (None: no due date). Pass the
    `course` when it is already in hand, so reading it costs no query."""
    annotated = getattr(enrolment, "effective_due_at", None)
    if annotated is not None:
        return annotated
    if enrolment.due_at is not None:
        return enrolment.due_at
    return (course or enrolment.course).due_at
