"""Review policy, as a pure function: what a trainee may see of a finished attempt, and when.

Each of the four things (score, own responses, correct answers, feedback) has its own moment:
right after submitting, after the quiz closes, or never. Nothing is shown while the attempt is
still in progress (the trainee then sees only the questions and their own saved answers).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

SCORE, RESPONSES, CORRECT, FEEDBACK = "score", "responses", "correct", "feedback"
ITEMS = (SCORE, RESPONSES, CORRECT, FEEDBACK)
IMMEDIATELY, AFTER_CLOSE, NEVER = "immediately", "after_close", "never"


def visible(
    policy: Mapping[str, str], *, finished: bool, closes_at: datetime | None, now: datetime
) -> frozenset[str]:
    """The items of ``policy`` ({item: when}) the trainee may see now.

    "After the quiz closes" needs a close date in the past; a quiz without one never closes,
    so those items stay hidden (the quiz settings page says so).
    """
    if not finished:
        return frozenset()
    closed = closes_at is not None and now >= closes_at
    shown = set()
    for item in ITEMS:
        when = policy.get(item, NEVER)
        if when == IMMEDIATELY or (when == AFTER_CLOSE and closed):
            shown.add(item)
    return frozenset(shown)
