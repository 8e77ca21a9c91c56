"""Numerical: a number within an absolute tolerance of an accepted value.

Data: {"answers": [{"value", "tolerance", "fraction", "feedback"}], "general_feedback"}.
An answer accepts ``value - tolerance <= response <= value + tolerance``; the best fraction
among accepting answers wins. A response is a number, or text such as "3.14" or "3,14"
(Vietnamese decimal comma, accepted when there is no dot). Thousands separators are not
guessed: "1.000" is one, not a thousand.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .base import (
    QuestionType,
    clean_fraction,
    clean_general_feedback,
    clean_items,
    clean_number,
    clean_text,
    general_feedback,
    item_mapping,
    require_mapping,
)

# Binary floats: 0.1 + 0.2 must still be "within 0 of 0.3".
_EPSILON = 1e-9


def parse_number(response: Any) -> float | None:
    if isinstance(response, bool):
        return None
    if isinstance(response, int | float):
        value = float(response)
    elif isinstance(response, str):
        text = "".join(response.split())
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        if not text or len(text) > 64 or not all(ch in "0123456789+-.eE" for ch in text):
            return None
        try:
            value = float(text)
        except ValueError:
            return None
    else:
        return None
    return value if math.isfinite(value) else None


class Numerical(QuestionType):
    name = "numerical"

    def validate(self, data: dict) -> dict:
        data = require_mapping(data)
        raw = clean_items(data.get("answers"), "answers", minimum=1,
                          too_few=_("Give at least one accepted answer."))
        answers = []
        for number, item in enumerate(raw, start=1):
            label = _("Answer %(n)s") % {"n": number}
            item = item_mapping(item, "answers", label)
            answers.append({
                "value": clean_number(item.get("value"), "answers", label),
                "tolerance": clean_number(item.get("tolerance", 0.0), "answers", label, minimum=0.0),
                "fraction": clean_fraction(item.get("fraction", 1.0), "answers", label),
                "feedback": clean_text(item.get("feedback"), "answers", required=False, label=label),
            })
        if not any(a["fraction"] == 1.0 for a in answers):
            raise ValidationError({"answers": _("One accepted answer must be fully correct (fraction 1).")})
        return {"answers": answers,
                "general_feedback": clean_general_feedback(data)}

    def _match(self, data: dict, response: Any) -> dict | None:
        value = parse_number(response)
        if value is None:
            return None
        accepting = [
            a for a in data["answers"]
            if abs(value - a["value"]) <= a["tolerance"] + _EPSILON * max(1.0, abs(a["value"]))
        ]
        return max(accepting, key=lambda a: a["fraction"], default=None)

    def grade(self, data: dict, response: Any) -> float:
        match = self._match(data, response)
        return match["fraction"] if match else 0.0

    def public(self, data: dict, seed: int, shuffle: bool) -> dict:
        return {}

    def feedback(self, data: dict, response: Any) -> dict:
        match = self._match(data, response)
        specific = {"answer": match["feedback"]} if match and match["feedback"] else {}
        return {"general": general_feedback(data), "specific": specific}

    def correct_response(self, data: dict) -> float:
        return next(a["value"] for a in data["answers"] if a["fraction"] == 1.0)

    def validate_response(self, data: dict, response: Any) -> float | None:
        if response is None or response == "":
            return None
        value = parse_number(response)
        if value is None:
            raise ValidationError({"response": _("Enter a number, for example 3.14.")})
        return value
