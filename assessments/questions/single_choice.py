"""Single choice: pick one; each choice carries a fraction in [0, 1] (one of them 1)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ._choices import choice_feedback, clean_choices, public_choices
from .base import QuestionType


class SingleChoice(QuestionType):
    name = "single_choice"
    shuffles = True

    def validate(self, data: dict) -> dict:
        cleaned = clean_choices(
            data, allow_negative=False, correct_fraction=lambda correct, _n, _w: 1.0 if correct else 0.0
        )
        if not any(c["fraction"] == 1.0 for c in cleaned["choices"]):
            raise ValidationError({"choices": _("One choice must be fully correct (fraction 1).")})
        return cleaned

    def grade(self, data: dict, response: Any) -> float:
        for choice in data["choices"]:
            if choice["id"] == response:
                return choice["fraction"]
        return 0.0

    def public(self, data: dict, seed: int, shuffle: bool) -> dict:
        return public_choices(data, seed, shuffle)

    def feedback(self, data: dict, response: Any) -> dict:
        return choice_feedback(data, [response] if isinstance(response, str) else [])

    def correct_response(self, data: dict) -> str:
        return next(c["id"] for c in data["choices"] if c["fraction"] == 1.0)

    def validate_response(self, data: dict, response: Any) -> str | None:
        if response is None:  # cleared
            return None
        if not isinstance(response, str) or response not in {c["id"] for c in data["choices"]}:
            raise ValidationError({"response": _("Choose one of the offered choices.")})
        return response
