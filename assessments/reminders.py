"""Quiz reminders (opening; closing soon with no attempt) and the "essay graded" notice.

Candidates are found set-based: the quizzes whose base (or, with the time-rules branch, any
override) open/close date falls in the window; then, per candidate quiz only, the effective rules
of its learners in one call (`effective_rules_for_many`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assessments.models import Attempt, Quiz
from assessments.timing import effective_rules_for_many, quizzes_with_dates_between
from backend.notifications.api import Item, Kind, Producer, notify, register_kind, register_producer
from courses.api import learner_ids

QUIZ_OPENING = "quiz_opening"
QUIZ_CLOSING = "quiz_closing"
ESSAY_GRADED = "essay_graded"
SUBJECT = ("assessments", "quiz")


def _quiz_url(quiz: Quiz) -> str:
    return f"/quiz/{quiz.pk}/"


def _chunked(items: list[Item]) -> Iterator[list[Item]]:
    size = settings.NOTIFICATIONS_CHUNK
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _item(kind: str, quiz: Quiz, user_id: int, offset: str, rules) -> Item:
    return Item(recipient_id=user_id, kind=kind, subject=(*SUBJECT, quiz.pk), offset=offset,
                url=_quiz_url(quiz), context={"quiz_title": quiz.title, "opens_at": rules.opens_at,
                                              "closes_at": rules.closes_at,
                                              "hours": int(offset[:-1]) if offset else 0})


def _not_attempted(quiz: Quiz, user_ids: list[int]) -> list[int]:
    tried = set(Attempt.objects.filter(quiz=quiz, user_id__in=user_ids)
                .values_list("user_id", flat=True))
    return [u for u in user_ids if u not in tried]


def collect(now: datetime) -> Iterator[list[Item]]:
    lookback = now - timedelta(days=settings.NOTIFICATIONS_LOOKBACK_DAYS)
    # Opening: the quiz (for this person) opened since the lookback and has not closed.
    for quiz in quizzes_with_dates_between("opens_at", lookback, now).iterator():
        rules = effective_rules_for_many(quiz, learner_ids(course_id=quiz.course_id))
        items = [_item(QUIZ_OPENING, quiz, u, "", r) for u, r in rules.items()
                 if r.opens_at and lookback < r.opens_at <= now
                 and (r.closes_at is None or r.closes_at > now)]
        yield from _chunked(items)
    # Closing within N hours, no attempt yet: the nearest offset only (as for due dates).
    lower = now
    for hours in sorted(set(settings.NOTIFICATIONS_QUIZ_CLOSING_HOURS)):
        upper = now + timedelta(hours=hours)
        for quiz in quizzes_with_dates_between("closes_at", lower, upper).iterator():
            people = _not_attempted(quiz, learner_ids(course_id=quiz.course_id))
            rules = effective_rules_for_many(quiz, people)
            items = [_item(QUIZ_CLOSING, quiz, u, f"{hours}h", r) for u, r in rules.items()
                     if r.closes_at and lower < r.closes_at <= upper
                     and (r.opens_at is None or r.opens_at <= now)]
            yield from _chunked(items)
        lower = upper


def still_true(kind: str, rows: list[tuple[int, int | None, str]], now: datetime) -> set:
    keep = set()
    quizzes = Quiz.objects.in_bulk({r[1] for r in rows})
    for quiz_id, quiz in quizzes.items():
        mine = [r for r in rows if r[1] == quiz_id]
        users = learner_ids(course_id=quiz.course_id, user_ids=[r[0] for r in mine])
        if kind == QUIZ_CLOSING:
            users = _not_attempted(quiz, users)
        rules = effective_rules_for_many(quiz, users)
        for row in mine:
            r = rules.get(row[0])
            if r is None:
                continue
            if kind == QUIZ_OPENING:
                open_now = (r.opens_at is None or r.opens_at <= now) and (
                    r.closes_at is None or r.closes_at > now)
            else:
                hours = int(row[2][:-1]) if row[2] else 0
                open_now = r.closes_at is not None and now < r.closes_at <= now + timedelta(hours=hours)
            if open_now:
                keep.add(row)
    return keep


def essay_graded_notify(attempt: Attempt) -> None:
    """Once per attempt, when its last essay is graded (in the grading transaction)."""
    if attempt.needs_grading:
        return
    notify([Item(recipient_id=attempt.user_id, kind=ESSAY_GRADED,
                 subject=("assessments", "attempt", attempt.pk),
                 url=f"/quiz/attempt/{attempt.pk}/review/",
                 context={"quiz_title": attempt.quiz.title, "percentage": attempt.percentage})])


def register() -> None:
    register_kind(Kind(QUIZ_OPENING, _("Quiz opening"), "email",
                       "assessments/notifications/opening"))
    register_kind(Kind(QUIZ_CLOSING, _("Quiz closing soon, not attempted"), "email",
                       "assessments/notifications/closing"))
    register_kind(Kind(ESSAY_GRADED, _("Essay graded"), "email",
                       "assessments/notifications/essay_graded"))
    register_producer(Producer("assessments", collect, still_true,
                               kinds=(QUIZ_OPENING, QUIZ_CLOSING)))
