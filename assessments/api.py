"""The public face of assessments for certificates and frontend: frozen dataclasses only."""

from __future__ import annotations

from assessments.attempts import quiz_result
from assessments.data import QuizData, QuizResultData
from assessments.models import Quiz
from assessments.timing import EffectiveRules, effective_rules, effective_rules_for_many

__all__ = ["EffectiveRules", "QuizData", "QuizResultData", "effective_rules",
           "effective_rules_for_many", "quiz_for_lesson", "quiz_get", "quiz_result_for"]


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
