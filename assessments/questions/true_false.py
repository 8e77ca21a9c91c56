"""True/false: {"answer": bool, "feedback_true", "feedback_false", "general_feedback"}.

``feedback_true`` is shown to whoever answered "true" (right or wrong), likewise for false.
A response is a bool; the strings "true"/"false" are accepted and normalised.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .base import QuestionType, clean_general_feedback, clean_text, general_feedback, require_mapping


def _as_bool(response: Any) -> bool | None:
    if isinstance(response, bool):
        return response
    if isinstance(response, str) and response.strip().lower() in ("true", "false"):
        return response.strip().lower() == "true"
    return None


class TrueFalse(QuestionType):
    name = "true_false"

    def validate(self, data: dict) -> dict:
        data = require_mapping(data)
        answer = data.get("answer")
        if not isinstance(answer, bool):
            raise ValidationError({"answer": _("Say whether the statement is true or false.")})
        return {
            "answer": answer,
            "feedback_true": clean_text(data.get("feedback_true"), "feedback_true", required=False),
            "feedback_false": clean_text(data.get("feedback_false"), "feedback_false", required=False),
            "general_feedback": clean_general_feedback(data),
        }

    def grade(self, data: dict, response: Any) -> float:
        value = _as_bool(response)
        return 1.0 if value is not None and value == data["answer"] else 0.0

    def public(self, data: dict, seed: int, shuffle: bool) -> dict:
        # Fixed ids and order: "true" and "false" are the same for every question, nothing to hide.
        return {"choices": [{"id": "true", "text": _("True")}, {"id": "false", "text": _("False")}]}

    def feedback(self, data: dict, response: Any) -> dict:
        value = _as_bool(response)
        specific = {}
        if value is True and data["feedback_true"]:
            specific["true"] = data["feedback_true"]
        if value is False and data["feedback_false"]:
            specific["false"] = data["feedback_false"]
        return {"general": general_feedback(data), "specific": specific}

    def correct_response(self, data: dict) -> bool:
        return data["answer"]

    def validate_response(self, data: dict, response: Any) -> bool | None:
        if response is None:
            return None
        value = _as_bool(response)
        if value is None:
            raise ValidationError({"response": _("Answer true or false.")})
        return value
