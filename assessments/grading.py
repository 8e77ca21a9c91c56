"""Scores and grades, as pure functions: no attempt or quiz rows here, only numbers.

- ``attempt_score``: question fractions x marks -> mark, max mark, percentage;
- ``quiz_grade``: the grade of a trainee from their attempts, by grading method;
- ``passed``: against a pass mark in percent.

Percentages are rounded to ``PERCENT_DECIMALS`` places so that 69.99999999 (a float sum of
thirds) is 70 and a pass mark of 70 is met.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PERCENT_DECIMALS = 5


class GradingMethod(enum.StrEnum):
    HIGHEST = "highest"
    AVERAGE = "average"
    FIRST = "first"
    LAST = "last"


@dataclass(frozen=True)
class QuestionMark:
    """One question in an attempt: fraction earned (None = waits for a person) and its marks."""

    fraction: float | None
    max_mark: float


@dataclass(frozen=True)
class AttemptScore:
    mark: float
    max_mark: float
    percentage: float | None  # None when the attempt has no marks at all (max 0)
    needs_grading: bool  # some question waits for manual grading: the score is provisional


@dataclass(frozen=True)
class AttemptResult:
    """What ``quiz_grade`` needs of an attempt. ``number`` orders attempts (1 = first)."""

    number: int
    finished: bool
    percentage: float | None  # None: finished but waiting for manual grading


def _clean_fraction(value: float | None) -> float:
    if value is None or not math.isfinite(value):
        return 0.0
    return max(0.0, min(1.0, value))


def attempt_score(questions: Iterable[QuestionMark | tuple[float | None, float]]) -> AttemptScore:
    """Sum of fraction x max mark. Ungraded questions count 0 until graded and flag the score."""
    mark = max_mark = 0.0
    pending = False
    for item in questions:
        fraction, question_max = (item.fraction, item.max_mark) if isinstance(item, QuestionMark) else item
        if question_max < 0:
            raise ValueError("A question's max mark cannot be negative.")
        pending = pending or fraction is None
        mark += _clean_fraction(fraction) * question_max
        max_mark += question_max
    return AttemptScore(mark=mark, max_mark=max_mark, percentage=percentage(mark, max_mark),
                        needs_grading=pending)


def percentage(mark: float, max_mark: float) -> float | None:
    if max_mark <= 0:
        return None
    return round(100.0 * mark / max_mark, PERCENT_DECIMALS)


def scale(percent: float, out_of: float) -> float:
    """A percentage expressed on the quiz's own scale (e.g. out of 10)."""
    return round(percent * out_of / 100.0, PERCENT_DECIMALS)


def quiz_grade(attempts: Sequence[AttemptResult], method: GradingMethod | str) -> float | None:
    """The trainee's grade in percent, or None when there is none yet.

    Unfinished attempts are ignored. A finished attempt still waiting for manual grading
    (``percentage`` None) makes the grade None when it could change it: for FIRST/LAST when it
    is that attempt, for HIGHEST/AVERAGE whenever there is one.
    """
    method = GradingMethod(method)
    done = sorted((a for a in attempts if a.finished), key=lambda a: a.number)
    if not done:
        return None
    if method is GradingMethod.FIRST:
        return done[0].percentage
    if method is GradingMethod.LAST:
        return done[-1].percentage
    scores = [a.percentage for a in done]
    if any(s is None for s in scores):
        return None
    if method is GradingMethod.HIGHEST:
        return max(scores)
    return round(sum(scores) / len(scores), PERCENT_DECIMALS)


def passed(percent: float | None, pass_mark: float | None) -> bool | None:
    """True/False against the pass mark (percent, inclusive); None if no grade or no pass mark."""
    if percent is None or pass_mark is None:
        return None
    return round(percent, PERCENT_DECIMALS) >= round(pass_mark, PERCENT_DECIMALS)
