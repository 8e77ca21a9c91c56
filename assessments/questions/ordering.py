"""Ordering: put the items in the right order.

Data: {"items": [{"id", "text"}] (in the right order), "grading", "general_feedback"}.
A response is the list of all item ids in the trainee's order. ``grading``:

- ``longest_ordered_subset`` (default, as Moodle's qtype_ordering): the largest set of items
  that appear in the right relative order, not necessarily next to each other; score =
  its size / number of items, and 0 when that set has a single item;
- ``absolute_position``: items in their exact right position / number of items;
- ``all_or_nothing``: 1 only for the exact order.
"""

from __future__ import annotations

import bisect
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .base import (
    QuestionType,
    assign_ids,
    check_unique,
    clean_general_feedback,
    clean_items,
    clean_text,
    general_feedback,
    item_mapping,
    require_mapping,
    shuffled,
)

GRADING_METHODS = ("longest_ordered_subset", "absolute_position", "all_or_nothing")


def longest_increasing_run(values: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting, O(n log n))."""
    tails: list[int] = []
    for value in values:
        at = bisect.bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
        else:
            tails[at] = value
    return len(tails)


class Ordering(QuestionType):
    name = "ordering"

    def validate(self, data: dict) -> dict:
        data = require_mapping(data)
        raw = clean_items(data.get("items"), "items", minimum=2, too_few=_("At least two items are needed."))
        items = []
        for number, item in enumerate(raw, start=1):
            label = _("Item %(n)s") % {"n": number}
            item = item_mapping(item, "items", label)
            cleaned = {"text": clean_text(item.get("text"), "items", label=label)}
            if item.get("id") not in (None, ""):
                cleaned["id"] = item["id"]
            items.append(cleaned)
        check_unique([i["text"] for i in items], "items", _("Two items have the same text."))
        assign_ids(items, "items")
        grading = data.get("grading") or GRADING_METHODS[0]
        if grading not in GRADING_METHODS:
            raise ValidationError({"grading": _("Unknown grading method.")})
        return {
            "items": [{"id": i["id"], "text": i["text"]} for i in items],
            "grading": grading,
            "general_feedback": clean_general_feedback(data),
        }

    def grade(self, data: dict, response: Any) -> float:
        try:
            order = self.validate_response(data, response)
        except ValidationError:
            return 0.0
        right = [i["id"] for i in data["items"]]
        if len(order) != len(right):  # not answered (empty)
            return 0.0
        method = data.get("grading", GRADING_METHODS[0])
        if method == "all_or_nothing":
            return 1.0 if order == right else 0.0
        if method == "absolute_position":
            return sum(1 for a, b in zip(order, right, strict=True) if a == b) / len(right)
        position = {item_id: index for index, item_id in enumerate(right)}
        longest = longest_increasing_run([position[item_id] for item_id in order])
        return longest / len(right) if longest > 1 else 0.0

    def public(self, data: dict, seed: int, shuffle: bool) -> dict:
        # Always shuffled, whatever the switch says: the authored order is the answer. Uniformly,
        # the authored order included: a shuffle that avoided it would tell the answer (with two
        # items, the order shown would always be the wrong one).
        items = [{"id": i["id"], "text": i["text"]} for i in data["items"]]
        return {"items": shuffled(items, seed)}

    def feedback(self, data: dict, response: Any) -> dict:
        return {"general": general_feedback(data), "specific": {}}

    def correct_response(self, data: dict) -> list[str]:
        return [i["id"] for i in data["items"]]

    def validate_response(self, data: dict, response: Any) -> list[str]:
        if response is None:
            return []
        ids = [i["id"] for i in data["items"]]
        if (not isinstance(response, list) or not all(isinstance(r, str) for r in response)
                or sorted(response) != sorted(ids)):
            raise ValidationError({"response": _("Send every item id exactly once, in your order.")})
        return list(response)
