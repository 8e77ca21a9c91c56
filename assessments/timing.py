"""Placeholder: replaced by the time-rules branch.

The rules that apply to one person on one quiz. Here they are the quiz's own fields for everyone;
the time-rules branch adds per-person and per-cohort overrides and accommodations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from assessments.models import Quiz


@dataclass(frozen=True)
class EffectiveRules:
    opens_at: datetime | None
    closes_at: datetime | None
    time_limit_seconds: int | None
    max_attempts: int


def _base(quiz: Quiz) -> EffectiveRules:
    return EffectiveRules(opens_at=quiz.opens_at, closes_at=quiz.closes_at,
                          time_limit_seconds=quiz.time_limit_seconds,
                          max_attempts=quiz.max_attempts)


def effective_rules(quiz: Quiz, user) -> EffectiveRules:
    return _base(quiz)


def effective_rules_for_many(quiz: Quiz, user_ids: Iterable[int]) -> dict[int, EffectiveRules]:
    rules = _base(quiz)
    return {user_id: rules for user_id in user_ids}


def quizzes_with_dates_between(field: str, lower: datetime, upper: datetime):
    """Quizzes whose base `field` (opens_at / closes_at), or any override of it, falls in
    (lower, upper]. Here only the base field; the time-rules branch adds the overrides."""
    return Quiz.objects.filter(**{f"{field}__gt": lower, f"{field}__lte": upper})
