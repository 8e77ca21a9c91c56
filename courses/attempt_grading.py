"""How an activity's attempts add up to one lesson score: the grading methods a trainer picks
for an H5P or SCORM lesson, and the rule that applies them. Pure: no request, no ORM.

Shared by courses.h5p and courses.scorm (published through `courses.api`; the two apps import
this module directly, as it holds no tables). Quizzes keep their own rules in assessments.grading
(a quiz grade is in points and has its own `QuizGradingMethodEnum`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest attempt")
    LAST = "last", _("Last attempt")
    AVERAGE = "average", _("Average of attempts")
    FIRST = "first", _("First attempt")


def aggregate_score(attempt_scores: Iterable[float | None],
                    method: str = GradingMethod.HIGHEST) -> float | None:
    """Combine per-attempt fractions (0..1, oldest first). None entries (no score) are skipped;
    None when no attempt has a score. An unknown method is a programming error (ValueError)."""
    scores = [s for s in attempt_scores if s is not None]
    if method not in GradingMethod.values:
        raise ValueError(f"unknown aggregation method: {method!r}")
    if not scores:
        return None
    if method == GradingMethod.HIGHEST:
        return max(scores)
    if method == GradingMethod.LAST:
        return scores[-1]
    if method == GradingMethod.FIRST:
        return scores[0]
    return sum(scores) / len(scores)
