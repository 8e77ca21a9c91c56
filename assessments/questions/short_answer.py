"""Short answer: typed text compared with accepted answers, each worth a fraction.

Data: {"answers": [{"text", "fraction", "feedback"}], "case_sensitive": false,
"ignore_accents": false, "general_feedback"}. Both sides are NFC-normalised, trimmed and
have runs of white space collapsed before comparing. ``ignore_accents`` compares the
accent-free search keys ("Hà Nội" == "ha noi"); those keys are case-folded too, so it also
implies case-insensitive comparison. The best matching answer gives the fraction.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.accounts.api import search_key

from .base import (
    QuestionType,
    clean_bool,
    clean_fraction,
    clean_general_feedback,
    clean_items,
    clean_text,
    general_feedback,
    item_mapping,
    require_mapping,
)

MAX_RESPONSE_LENGTH = 1000


def _key(text: str, data: dict) -> str:
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if data.get("ignore_accents"):
        return search_key(text)
    return text if data.get("case_sensitive") else text.casefold()


class ShortAnswer(QuestionType):
    name = "short_answer"

    def validate(self, data: dict) -> dict:
        data = require_mapping(data)
        cleaned_flags = {
            "case_sensitive": clean_bool(data.get("case_sensitive"), "case_sensitive", False),
            "ignore_accents": clean_bool(data.get("ignore_accents"), "ignore_accents", False),
        }
        raw = clean_items(data.get("answers"), "answers", minimum=1,
                          too_few=_("Give at least one accepted answer."))
        answers = []
        for number, item in enumerate(raw, start=1):
            label = _("Answer %(n)s") % {"n": number}
            item = item_mapping(item, "answers", label)
            fraction = item.get("fraction", 1.0)
            answers.append({
                "text": clean_text(item.get("text"), "answers", label=label),
                "fraction": clean_fraction(fraction, "answers", label),
                "feedback": clean_text(item.get("feedback"), "answers", required=False, label=label),
            })
        if not any(a["fraction"] == 1.0 for a in answers):
            raise ValidationError({"answers": _("One accepted answer must be fully correct (fraction 1).")})
        keys = [_key(a["text"], cleaned_flags) for a in answers]
        if len(set(keys)) != len(keys):
            raise ValidationError({"answers": _("Two accepted answers are the same once compared.")})
        return {"answers": answers, **cleaned_flags,
                "general_feedback": clean_general_feedback(data)}

    def _match(self, data: dict, response: Any) -> dict | None:
        if not isinstance(response, str) or not response.strip() or len(response) > MAX_RESPONSE_LENGTH:
            return None
        wanted = _key(response, data)
        matches = [a for a in data["answers"] if _key(a["text"], data) == wanted]
        return max(matches, key=lambda a: a["fraction"], default=None)

    def grade(self, data: dict, response: Any) -> float:
        match = self._match(data, response)
        return match["fraction"] if match else 0.0

    def public(self, data: dict, seed: int, shuffle: bool) -> dict:
        return {"max_length": MAX_RESPONSE_LENGTH}

    def feedback(self, data: dict, response: Any) -> dict:
        match = self._match(data, response)
        specific = {"answer": match["feedback"]} if match and match["feedback"] else {}
        return {"general": general_feedback(data), "specific": specific}

    def correct_response(self, data: dict) -> str:
        return next(a["text"] for a in data["answers"] if a["fraction"] == 1.0)

    def validate_response(self, data: dict, response: Any) -> str:
        if response is None:
            return ""
        if not isinstance(response, str):
            raise ValidationError({"response": _("The answer must be text.")})
        if len(response) > MAX_RESPONSE_LENGTH:
            raise ValidationError({"response": _("The answer is too long.")})
        return unicodedata.normalize("NFC", response).strip()
