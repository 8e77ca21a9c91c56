"""Multiple choice: pick any number; fractions in [-1, 1] summed, never below 0.

Right choices carry positive fractions adding up to 1 (100 %), wrong ones zero or negative
(penalties). The score is the sum of the picked fractions, clamped to [0, 1]. With the
``correct: true/false`` shortcut a right choice is worth 1/(number right) and a wrong one
costs 1/(number wrong), so ticking every box scores 0.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ._choices import choice_feedback, clean_choices, public_choices
from .base import QuestionType, clamp01

# Weights like 33.33333 % leave the sum a hair off 100 %; authors should not have to care.
_SUM_TOLERANCE = 0.01


def _shortcut(correct: bool, n_correct: int, n_wrong: int) -> float:
    if correct:
        return 1.0 / n_correct
    return -1.0 / n_wrong if n_wrong else 0.0


class MultipleChoice(QuestionType):
    name = "multiple_choice"
    shuffles = True

    def validate(self, data: dict) -> dict:
        cleaned = clean_choices(data, allow_negative=True, correct_fraction=_shortcut)
        positive = sum(c["fraction"] for c in cleaned["choices"] if c["fraction"] > 0)
        if abs(positive - 1.0) > _SUM_TOLERANCE:
            raise ValidationError(
                {"choices": _("The fractions of the right choices must add up to 1 (100%%); "
                              "they add up to %(sum)s.") % {"sum": round(positive, 4)}}
            )
        return cleaned

    def grade(self, data: dict, response: Any) -> float:
        try:
            picked = set(self.validate_response(data, response) or [])
        except ValidationError:
            return 0.0
        positive = sum(c["fraction"] for c in data["choices"] if c["fraction"] > 0)
        total = sum(c["fraction"] for c in data["choices"] if c["id"] in picked)
        # Dividing by the positive sum makes "all right, nothing wrong" exactly 1.
        return clamp01(total / positive) if positive else 0.0

    def public(self, data: dict, seed: int, shuffle: bool) -> dict:
        return public_choices(data, seed, shuffle)

    def feedback(self, data: dict, response: Any) -> dict:
        picked = [r for r in response if isinstance(r, str)] if isinstance(response, list) else []
        return choice_feedback(data, picked)

    def correct_response(self, data: dict) -> list[str]:
        return [c["id"] for c in data["choices"] if c["fraction"] > 0]

    def validate_response(self, data: dict, response: Any) -> list[str]:
        if response is None:
            return []
        if not isinstance(response, list) or not all(isinstance(r, str) for r in response):
            raise ValidationError({"response": _("Send the list of chosen choice ids.")})
        known = [c["id"] for c in data["choices"]]
        unknown = set(response) - set(known)
        if unknown:
            message = _("Unknown choice: %(ids)s.") % {"ids": ", ".join(sorted(unknown))}
            raise ValidationError({"response": message})
        chosen = set(response)
        return [cid for cid in known if cid in chosen]  # authored order, no duplicates
