"""What single- and multiple-choice questions share: cleaning the choice list, rendering it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .base import (
    assign_ids,
    check_unique,
    clean_bool,
    clean_fraction,
    clean_general_feedback,
    clean_items,
    clean_text,
    general_feedback,
    item_mapping,
    require_mapping,
    shuffled,
)


def clean_choices(data: Any, *, allow_negative: bool, correct_fraction) -> dict:
    """Cleaned {"choices": [{id, text, fraction, feedback}], "shuffle", "general_feedback"}.

    A choice gives either ``fraction`` or the shortcut ``correct: true/false``; the shortcut is
    turned into fractions by ``correct_fraction(is_correct, n_correct, n_wrong)``.
    """
    data = require_mapping(data)
    raw = clean_items(data.get("choices"), "choices", minimum=2,
                      too_few=_("At least two choices are needed."))
    choices = []
    for number, item in enumerate(raw, start=1):
        label = _("Choice %(n)s") % {"n": number}
        item = item_mapping(item, "choices", label)
        choice = {"text": clean_text(item.get("text"), "choices", label=label)}
        if item.get("id") not in (None, ""):
            choice["id"] = item["id"]
        choice["_fraction"] = item.get("fraction")
        choice["_correct"] = item.get("correct")
        choice["feedback"] = clean_text(item.get("feedback"), "choices", required=False, label=label)
        choices.append(choice)
    check_unique([c["text"] for c in choices], "choices", _("Two choices have the same text."))

    flags = [c["_correct"] for c in choices]
    n_correct = sum(1 for f in flags if f is True)
    n_wrong = len(choices) - n_correct
    for number, choice in enumerate(choices, start=1):
        label = _("Choice %(n)s") % {"n": number}
        fraction, correct = choice.pop("_fraction"), choice.pop("_correct")
        if fraction is None:
            if correct is not None and not isinstance(correct, bool):
                message = _("%(what)s: “correct” must be true or false.") % {"what": label}
                raise ValidationError({"choices": message})
            fraction = correct_fraction(bool(correct), n_correct, n_wrong)
        choice["fraction"] = clean_fraction(fraction, "choices", label, allow_negative=allow_negative)
    assign_ids(choices, "choices")
    # A stable key order keeps stored JSON and round trips tidy.
    choices = [{k: c[k] for k in ("id", "text", "fraction", "feedback")} for c in choices]
    return {
        "choices": choices,
        "shuffle": clean_bool(data.get("shuffle"), "shuffle", True),
        "general_feedback": clean_general_feedback(data),
    }


def public_choices(data: dict, seed: int, shuffle: bool) -> dict:
    choices = [{"id": c["id"], "text": c["text"]} for c in data["choices"]]
    if shuffle and data.get("shuffle", True):
        choices = shuffled(choices, seed)
    return {"choices": choices}


def choice_feedback(data: dict, selected: list[str]) -> dict:
    wanted = set(selected)
    return {
        "general": general_feedback(data),
        "specific": {c["id"]: c["feedback"] for c in data["choices"] if c["id"] in wanted and c["feedback"]},
    }
