"""Essay: free text graded by a person (``grade`` returns None).

Data: {"min_words": 0, "max_words": 0 (0 = no limit), "template": "", "grader_info": "",
"general_feedback"}. ``grader_info`` is for graders only and never shown to trainees.
Word limits are advice shown to the trainee and checked with ``word_count`` at submission by
the caller; an autosave of a draft must not be refused for being short.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .base import QuestionType, clean_general_feedback, clean_text, general_feedback, require_mapping

MAX_ESSAY_LENGTH = 50_000


def word_count(text: str) -> int:
    return len(text.split()) if isinstance(text, str) else 0


def _limit(value: Any, field: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError({field: _("Must be a whole number, 0 or more.")})
    return value


class Essay(QuestionType):
    name = "essay"
    manual = True

    def validate(self, data: dict) -> dict:
        data = require_mapping(data)
        low, high = _limit(data.get("min_words"), "min_words"), _limit(data.get("max_words"), "max_words")
        if high and low > high:
            raise ValidationError({"max_words": _("The maximum must not be below the minimum.")})
        return {
            "min_words": low,
            "max_words": high,
            "template": clean_text(data.get("template"), "template", required=False),
            "grader_info": clean_text(data.get("grader_info"), "grader_info", required=False),
            "general_feedback": clean_general_feedback(data),
        }

    def grade(self, data: dict, response: Any) -> None:
        return None

    def public(self, data: dict, seed: int, shuffle: bool) -> dict:
        return {"min_words": data["min_words"], "max_words": data["max_words"], "template": data["template"],
                "max_length": MAX_ESSAY_LENGTH}

    def feedback(self, data: dict, response: Any) -> dict:
        return {"general": general_feedback(data), "specific": {}}

    def correct_response(self, data: dict) -> None:
        return None

    def validate_response(self, data: dict, response: Any) -> str:
        if response is None:
            return ""
        if not isinstance(response, str):
            raise ValidationError({"response": _("The answer must be text.")})
        if len(response) > MAX_ESSAY_LENGTH:
            raise ValidationError({"response": _("The answer is too long.")})
        return unicodedata.normalize("NFC", response)
