"""The contract every question type keeps, and the small cleaning helpers they share.

A question's definition (``data``) is a JSON-able dict owned by its type. The model layer
stores it as is; every rule about it lives here, so it can be tested without a database:

- ``validate(data)``: author input -> cleaned definition (or ``ValidationError`` naming the field);
- ``grade(data, response)``: fraction in [0, 1], ``None`` only when a person must grade;
- ``public(data, seed, shuffle)``: what a trainee may see (never a key, fraction or feedback);
- ``feedback(data, response)`` / ``correct_response(data)``: for the review page, when allowed;
- ``validate_response(data, response)``: normalise what a client autosaves.

Trainee input never makes ``grade`` raise: a malformed response is simply worth 0.
"""

from __future__ import annotations

import math
import random
import re
import secrets
import unicodedata
from abc import ABC, abstractmethod
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Fractions are kept to 7 decimals (as Moodle stores them) so that 1/3 written as
# 33.33333% in GIFT and 0.3333333 in JSON are the same number after a round trip.
FRACTION_DECIMALS = 7
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class QuestionType(ABC):
    """One closed kind of question; instances are stateless singletons in ``QUESTION_TYPES``."""

    name: str = ""
    #: True when ``grade`` answers ``None`` (a person grades it).
    manual: bool = False
    #: True when ``public`` honours the caller's shuffle switch (choice-like types).
    shuffles: bool = False

    @abstractmethod
    def validate(self, data: dict) -> dict: ...

    @abstractmethod
    def grade(self, data: dict, response: Any) -> float | None: ...

    @abstractmethod
    def public(self, data: dict, seed: int, shuffle: bool) -> dict: ...

    @abstractmethod
    def feedback(self, data: dict, response: Any) -> dict: ...

    @abstractmethod
    def correct_response(self, data: dict) -> Any: ...

    @abstractmethod
    def validate_response(self, data: dict, response: Any) -> Any: ...

    def __repr__(self) -> str:
        return f"<QuestionType {self.name}>"


# --- cleaning helpers (author input) ----------------------------------------------------


def require_mapping(data: Any) -> dict:
    if not isinstance(data, dict):
        raise ValidationError({"data": _("The question definition must be an object.")})
    return data


def clean_text(value: Any, field: str, *, required: bool = True, label: str = "") -> str:
    """NFC, trimmed; Vietnamese letters kept as typed (only their Unicode form is unified)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: _("%(what)s must be text.") % {"what": label or _("This value")}})
    text = unicodedata.normalize("NFC", value).strip()
    if required and not text:
        raise ValidationError({field: _("%(what)s is required.") % {"what": label or _("This value")}})
    return text


def clean_bool(value: Any, field: str, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ValidationError({field: _("Must be true or false.")})
    return value


def clean_number(value: Any, field: str, label: str, *, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError({field: _("%(what)s must be a number.") % {"what": label}})
    number = float(value)
    if not math.isfinite(number):
        raise ValidationError({field: _("%(what)s must be a finite number.") % {"what": label}})
    if minimum is not None and number < minimum:
        message = _("%(what)s must be at least %(min)s.") % {"what": label, "min": minimum}
        raise ValidationError({field: message})
    return number


def clean_fraction(value: Any, field: str, label: str, *, allow_negative: bool = False) -> float:
    number = clean_number(value, field, label)
    low = -1.0 if allow_negative else 0.0
    if not low <= number <= 1.0:
        raise ValidationError(
            {field: _("%(what)s: the fraction must be between %(low)s and 1.") % {"what": label, "low": low}}
        )
    return round(number, FRACTION_DECIMALS)


def clean_items(value: Any, field: str, *, minimum: int, too_few: str) -> list:
    if value is None:
        value = []
    if not isinstance(value, list):
        raise ValidationError({field: _("Must be a list.")})
    if len(value) < minimum:
        raise ValidationError({field: too_few})
    return value


def item_mapping(item: Any, field: str, label: str) -> dict:
    if isinstance(item, str):  # a bare string is a convenient short form for {"text": ...}
        return {"text": item}
    if not isinstance(item, dict):
        raise ValidationError({field: _("%(what)s must be an object.") % {"what": label}})
    return item


def assign_ids(items: list[dict], field: str, key: str = "id") -> None:
    """Keep author/stored ids (so edits keep responses valid), give new items a random one.

    Random rather than "c1".."cN": sequential ids would tell a trainee the authored order,
    which for ordering and matching questions is the answer itself.
    """
    seen: set[str] = set()
    for item in items:
        value = item.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, str) or not _ID_RE.match(value):
            raise ValidationError({field: _("Invalid id %(id)r.") % {"id": value}})
        if value in seen:
            raise ValidationError({field: _("Duplicate id %(id)r.") % {"id": value}})
        seen.add(value)
    for item in items:
        if item.get(key) in (None, ""):
            new = _new_id()
            while new in seen:
                new = _new_id()
            item[key] = new
            seen.add(new)


def _new_id() -> str:
    return "c" + secrets.token_hex(4)


def strip_ids(data: Any) -> Any:
    """The definition without generated ids: what two equal definitions share (GIFT round trips)."""
    if isinstance(data, dict):
        return {k: strip_ids(v) for k, v in data.items() if k not in ("id", "right_id")}
    if isinstance(data, list):
        return [strip_ids(v) for v in data]
    return data


def check_unique(texts: list[str], field: str, message: str) -> None:
    if len(set(texts)) != len(texts):
        raise ValidationError({field: message})


# --- helpers for trainee-facing code ------------------------------------------------------


def shuffled(items: list, seed: int) -> list:
    out = list(items)
    random.Random(seed).shuffle(out)  # noqa: S311 - a reproducible order, not a secret
    return out


def clamp01(value: float) -> float:
    return max(0.0, min(1.0, value))


def by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}


def general_feedback(data: dict) -> str:
    return data.get("general_feedback", "") if isinstance(data, dict) else ""


def clean_general_feedback(data: dict) -> str:
    return clean_text(data.get("general_feedback"), "general_feedback", required=False)
