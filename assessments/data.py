"""Frozen values assessments hands to the apps above it (certificates, frontend)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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


@dataclass(frozen=True)
class OverrideData:
    """One quiz override (decision 0061): for a person (``user_id``) or a cohort (``cohort_id``);
    a field None is not overridden, a limit 0 means "no limit"."""

    id: int
    quiz_id: int
    user_id: int | None
    user_name: str
    cohort_id: int | None
    cohort_name: str
    opens_at: datetime | None
    closes_at: datetime | None
    time_limit_seconds: int | None
    max_attempts: int | None
    running_attempts: int = 0
