"""Frozen values assessments hands to the apps above it (certificates, frontend)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuizData:
    id: int
    lesson_id: int
    course_id: int
    title: str
    pass_mark: float | None


@dataclass(frozen=True)
class QuizResultData:
    quiz_id: int
    user_id: int
    grade: float | None  # percent by the quiz's grading method; None: none yet / awaiting grading
    passed: bool | None
    attempts: int
