"""The public face of assessments for certificates and frontend.

For certificates: frozen dataclasses only (`quiz_get`, `quiz_for_lesson`, `quiz_result_for`).

The web pages (`frontend`) reach this app only through this module, which also re-exports
for them the selectors, services, enumerations and, for querysets and forms, the model
classes they use (docs/decisions/0060-what-frontend-may-import.md). Other apps keep to the
dataclass functions.
"""

from __future__ import annotations

from assessments import overrides as _overrides
from assessments.attempts import attempt_expire_if_due, attempt_start, quiz_result
from assessments.dashboard import awaiting_grade_for, grading_todo, quiz_deadlines, recent_submissions
from assessments.data import OverrideData, QuizData, QuizResultData
from assessments.grading import GradingMethod
from assessments.manual_grading import grading_queue, response_grade
from assessments.models import (
    AttemptStatus,
    Category,
    Question,
    QuestionBank,
    QuestionType,
    Quiz,
    ReviewWhen,
    Tag,
)
from assessments.payloads import attempt_payload, quiz_for_trainee
from assessments.questions import QUESTION_TYPES
from assessments.questions.ordering import GRADING_METHODS
from assessments.reporting import CSV_COLUMNS as QUIZ_REPORT_CSV_COLUMNS
from assessments.reporting import WHICH as QUIZ_REPORT_WHICH
from assessments.reporting import quiz_report, report_csv, report_csv_rows
from assessments.selectors import (
    attempt_get_for_viewer,
    bank_get_for_author,
    banks_for_author,
    can_author_in,
    questions_search,
    quiz_get_for_learner,
    quiz_get_for_staff,
    user_attempts,
)
from assessments.services import (
    QUIZ_LIMITS,
    bank_create,
    bank_export_gift,
    category_get_or_create,
    question_create,
    question_update,
    questions_import,
    quiz_create,
    quiz_update,
)
from assessments.timing import EffectiveRules, effective_rules, effective_rules_for_many

__all__ = [
    "GRADING_METHODS",
    "QUESTION_TYPES",
    "QUIZ_LIMITS",
    "QUIZ_REPORT_CSV_COLUMNS",
    "QUIZ_REPORT_WHICH",
    "AttemptStatus",
    "Category",
    "EffectiveRules",
    "GradingMethod",
    "OverrideData",
    "Question",
    "QuestionBank",
    "QuestionType",
    "Quiz",
    "QuizData",
    "QuizResultData",
    "ReviewWhen",
    "Tag",
    "attempt_expire_if_due",
    "attempt_get_for_viewer",
    "attempt_payload",
    "attempt_start",
    "awaiting_grade_for",
    "bank_create",
    "bank_export_gift",
    "bank_get_for_author",
    "banks_for_author",
    "can_author_in",
    "category_get_or_create",
    "effective_rules",
    "effective_rules_for_many",
    "grading_queue",
    "grading_todo",
    "question_create",
    "question_update",
    "questions_import",
    "questions_search",
    "quiz_create",
    "quiz_deadlines",
    "quiz_for_lesson",
    "quiz_for_trainee",
    "quiz_get",
    "quiz_get_for_learner",
    "quiz_get_for_staff",
    "quiz_override_create",
    "quiz_override_delete",
    "quiz_override_get_for_staff",
    "quiz_override_update",
    "quiz_overrides_for_staff",
    "quiz_report",
    "quiz_result_for",
    "quiz_update",
    "recent_submissions",
    "report_csv",
    "report_csv_rows",
    "response_grade",
    "user_attempts",
]


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
