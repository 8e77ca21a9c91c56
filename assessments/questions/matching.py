"""Matching: pair each left item with one of the right options; credit per right pair.

Data: {"pairs": [{"id", "left", "right", "right_id"}], "distractors": [{"id", "text"}],
"shuffle": true, "general_feedback"}. Pairs sharing a right text share its ``right_id``
(one option shown once). Distractors are extra right options matching nothing.
A response maps left id -> right option id; the score is right pairs / all pairs.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .base import (
    QuestionType,
    assign_ids,
    check_unique,
    clean_bool,
    clean_general_feedback,
    clean_items,
    clean_text,
    general_feedback,
    item_mapping,
    require_mapping,
    shuffled,
)


class Matching(QuestionType):
    name = "matching"
    shuffles = True

    def validate(self, data: dict) -> dict:
        data = require_mapping(data)
        raw = clean_items(data.get("pairs"), "pairs", minimum=2, too_few=_("At least two pairs are needed."))
        pairs = []
        for number, item in enumerate(raw, start=1):
            label = _("Pair %(n)s") % {"n": number}
            item = item_mapping(item, "pairs", label)
            pair = {"left": clean_text(item.get("left"), "pairs", label=label),
                    "right": clean_text(item.get("right"), "pairs", label=label)}
            for key in ("id", "right_id"):
                if item.get(key) not in (None, ""):
                    pair[key] = item[key]
            pairs.append(pair)
        check_unique([p["left"] for p in pairs], "pairs", _("Two pairs have the same left item."))
        assign_ids(pairs, "pairs")

        raw_extra = clean_items(data.get("distractors"), "distractors", minimum=0, too_few="")
        distractors = []
        for number, item in enumerate(raw_extra, start=1):
            label = _("Extra option %(n)s") % {"n": number}
            item = item_mapping(item, "distractors", label)
            extra = {"text": clean_text(item.get("text"), "distractors", label=label)}
            if item.get("id") not in (None, ""):
                extra["id"] = item["id"]
            distractors.append(extra)

        # One right option per distinct right text, then the distractors: ids unique across all.
        options: dict[str, dict] = {}
        for pair in pairs:
            option = options.setdefault(pair["right"], {"text": pair["right"]})
            if "right_id" in pair and "id" not in option:
                option["id"] = pair["right_id"]
        if any(d["text"] in options for d in distractors):
            raise ValidationError({"distractors": _("An extra option repeats a right-hand item.")})
        check_unique([d["text"] for d in distractors], "distractors",
                     _("Two extra options have the same text."))
        all_options = list(options.values()) + distractors
        assign_ids(all_options, "pairs")
        if {o["id"] for o in all_options} & {p["id"] for p in pairs}:
            raise ValidationError({"pairs": _("Left and right items must not share ids.")})
        for pair in pairs:
            pair["right_id"] = options[pair["right"]]["id"]
        return {
            "pairs": [{k: p[k] for k in ("id", "left", "right", "right_id")} for p in pairs],
            "distractors": [{"id": d["id"], "text": d["text"]} for d in distractors],
            "shuffle": clean_bool(data.get("shuffle"), "shuffle", True),
            "general_feedback": clean_general_feedback(data),
        }

    def _options(self, data: dict) -> list[dict]:
        seen: dict[str, dict] = {}
        for pair in data["pairs"]:
            seen.setdefault(pair["right_id"], {"id": pair["right_id"], "text": pair["right"]})
        return list(seen.values()) + [dict(d) for d in data.get("distractors", [])]

    def grade(self, data: dict, response: Any) -> float:
        try:
            answer = self.validate_response(data, response)
        except ValidationError:
            return 0.0
        right = sum(1 for p in data["pairs"] if answer.get(p["id"]) == p["right_id"])
        return right / len(data["pairs"])

    def public(self, data: dict, seed: int, shuffle: bool) -> dict:
        left = [{"id": p["id"], "text": p["left"]} for p in data["pairs"]]
        if shuffle and data.get("shuffle", True):
            left = shuffled(left, seed)
        # The right-hand options are always shuffled: in authored order they would line up
        # with the left items and give the answer away.
        return {"left": left, "right": shuffled(self._options(data), seed + 1)}

    def feedback(self, data: dict, response: Any) -> dict:
        return {"general": general_feedback(data), "specific": {}}

    def correct_response(self, data: dict) -> dict[str, str]:
        return {p["id"]: p["right_id"] for p in data["pairs"]}

    def validate_response(self, data: dict, response: Any) -> dict[str, str]:
        if response is None:
            return {}
        if not isinstance(response, dict):
            raise ValidationError({"response": _("Send an object mapping each left item to an option.")})
        lefts = {p["id"] for p in data["pairs"]}
        rights = {o["id"] for o in self._options(data)}
        cleaned = {}
        for key, value in response.items():
            if key not in lefts:
                raise ValidationError({"response": _("Unknown item: %(id)s.") % {"id": key}})
            if value is None:
                continue
            if not isinstance(value, str) or value not in rights:
                raise ValidationError({"response": _("Unknown option for item %(id)s.") % {"id": key}})
            cleaned[key] = value
        return cleaned
