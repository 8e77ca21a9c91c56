"""Reads for the dashboards at `/`: quiz close dates, results waiting for a grader, the grading
to do and the latest submissions. Fixed query counts, frozen dataclasses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min

from assessments.manual_grading import essay_responses
from assessments.models import Attempt, AttemptStatus, Quiz
from assessments.timing import effective_rules_for_quizzes

RECENT = 5


@dataclass(frozen=True)
class QuizDeadline:
    quiz_id: int
    lesson_id: int
    course_id: int
    title: str
    closes_at: datetime


@dataclass(frozen=True)
class AwaitingGrade:
    attempt_id: int
    quiz_id: int
    lesson_id: int
    course_id: int
    quiz_title: str
    finished_at: datetime | None


@dataclass(frozen=True)
class GradingTodo:
    quiz_id: int
    course_id: int
    quiz_title: str
    waiting: int  # essay responses without a grade
    oldest: datetime | None


@dataclass(frozen=True)
class Submission:
    attempt_id: int
    quiz_id: int
    course_id: int
    quiz_title: str
    learner_name: str
    finished_at: datetime
    percentage: float | None
    needs_grading: bool


def quiz_deadlines(lesson_ids: Iterable[int], user_id: int | None = None) -> list[QuizDeadline]:
    """Quizzes with a close date among the given lessons, soonest first. With `user_id`, the close
    date that applies to that person (their overrides, assessments.timing): four queries."""
    qs = Quiz.objects.filter(lesson_id__in=list(lesson_ids))
    if user_id is None:
        qs = qs.filter(closes_at__isnull=False)
        closes = {q.pk: q.closes_at for q in qs}
        quizzes = list(qs)
    else:
        quizzes = list(qs)
        closes = {pk: r.closes_at for pk, r in effective_rules_for_quizzes(quizzes, user_id).items()}
    out = [QuizDeadline(quiz_id=q.pk, lesson_id=q.lesson_id, course_id=q.course_id, title=q.title,
                        closes_at=closes[q.pk]) for q in quizzes if closes.get(q.pk) is not None]
    return sorted(out, key=lambda d: (d.closes_at, d.quiz_id))


def awaiting_grade_for(user_id: int) -> list[AwaitingGrade]:
    """The user's finished attempts whose essays wait for a grader: one query."""
    qs = (Attempt.objects.filter(user_id=user_id, status=AttemptStatus.FINISHED, needs_grading=True)
          .select_related("quiz").order_by("-finished_at"))
    return [AwaitingGrade(attempt_id=a.pk, quiz_id=a.quiz_id, lesson_id=a.quiz.lesson_id,
                          course_id=a.quiz.course_id, quiz_title=a.quiz.title, finished_at=a.finished_at)
            for a in qs[:20]]


def grading_todo(course_ids: Iterable[int]) -> list[GradingTodo]:
    """Per quiz of the given courses: essays waiting for a grade, oldest wait first: one query."""
    rows = (essay_responses().filter(fraction__isnull=True, attempt__quiz__course_id__in=list(course_ids))
            .values("attempt__quiz_id", "attempt__quiz__course_id", "attempt__quiz__title")
            .annotate(n=Count("pk"), oldest=Min("attempt__finished_at")).order_by("oldest"))
    return [GradingTodo(quiz_id=r["attempt__quiz_id"], course_id=r["attempt__quiz__course_id"],
                        quiz_title=r["attempt__quiz__title"], waiting=r["n"], oldest=r["oldest"])
            for r in rows]


def recent_submissions(course_ids: Iterable[int], *, limit: int = RECENT) -> list[Submission]:
    qs = (Attempt.objects.filter(quiz__course_id__in=list(course_ids), status=AttemptStatus.FINISHED)
          .select_related("quiz", "user").order_by("-finished_at", "-id")[:limit])
    return [Submission(attempt_id=a.pk, quiz_id=a.quiz_id, course_id=a.quiz.course_id,
                       quiz_title=a.quiz.title, learner_name=a.user.full_name or a.user.email,
                       finished_at=a.finished_at, percentage=a.final_percentage,
                       needs_grading=a.needs_grading) for a in qs]
