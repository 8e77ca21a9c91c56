"""The public face of assessments for certificates and frontend: frozen dataclasses only."""

from __future__ import annotations

from assessments import overrides as _overrides
from assessments.attempts import quiz_result
from assessments.data import OverrideData, QuizData, QuizResultData
from assessments.models import Quiz
from assessments.timing import EffectiveRules, effective_rules, effective_rules_for_many

__all__ = ["EffectiveRules", "OverrideData", "QuizData", "QuizResultData", "effective_rules",
           "effective_rules_for_many", "quiz_for_lesson", "quiz_get", "quiz_override_create",
           "quiz_override_delete", "quiz_override_get_for_staff", "quiz_override_update",
           "quiz_overrides_for_staff", "quiz_result_for"]


def _data(quiz: Quiz) -> QuizData:
    return QuizData(
        id=quiz.pk,
        lesson_id=quiz.lesson_id,
        course_id=quiz.course_id,
        title=quiz.title,
        pass_mark=quiz.pass_mark,
    )


def quiz_get(quiz_id: int) -> QuizData | None:
    quiz = Quiz.objects.filter(pk=quiz_id).first()
    return _data(quiz) if quiz else None


def quiz_for_lesson(lesson_id: int) -> QuizData | None:
    quiz = Quiz.objects.filter(lesson_id=lesson_id).first()
    return _data(quiz) if quiz else None


def quiz_result_for(*, quiz_id: int, user_id: int) -> QuizResultData | None:
    quiz = Quiz.objects.filter(pk=quiz_id).first()
    if quiz is None:
        return None
    grade, passed, count = quiz_result(quiz, user_id)
    return QuizResultData(quiz_id=quiz.pk, user_id=user_id, grade=grade, passed=passed, attempts=count)


# --- time overrides (decision 0061), for the pages; the REST views call the same services ------

def _override_data(row, running: int = 0) -> OverrideData:
    return OverrideData(
        id=row.pk, quiz_id=row.quiz_id, user_id=row.user_id,
        user_name=(row.user.full_name or row.user.email) if row.user_id else "",
        cohort_id=row.cohort_id, cohort_name=row.cohort.name if row.cohort_id else "",
        opens_at=row.opens_at, closes_at=row.closes_at, time_limit_seconds=row.time_limit_seconds,
        max_attempts=row.max_attempts, running_attempts=running)


def quiz_overrides_for_staff(*, user, quiz_id: int) -> tuple[QuizData, list[OverrideData]]:
    """The quiz and its overrides, for the staff of its course (DomainError 404 otherwise)."""
    quiz, rows = _overrides.overrides_for_staff(user, quiz_id)
    return _data(quiz), [_override_data(r) for r in rows]


def quiz_override_get_for_staff(*, user, override_id: int) -> OverrideData:
    return _override_data(_overrides.override_get_for_staff(user, override_id))


def quiz_override_create(*, actor, quiz_id: int, user_id: int | None = None, cohort_id: int | None = None,
                         **fields) -> OverrideData:
    write = _overrides.override_create(actor=actor, quiz_id=quiz_id, user_id=user_id, cohort_id=cohort_id,
                                       **fields)
    row = _overrides.override_get_for_staff(actor, write.override.pk) if actor else write.override
    return _override_data(row, write.running_attempts)


def quiz_override_update(*, actor, override_id: int, **fields) -> OverrideData:
    write = _overrides.override_update(actor=actor, override_id=override_id, **fields)
    return _override_data(write.override, write.running_attempts)


def quiz_override_delete(*, actor, override_id: int) -> None:
    _overrides.override_delete(actor=actor, override_id=override_id)
