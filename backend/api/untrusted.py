"""Checks on untrusted request input that would otherwise end in a server error, in one place.

PostgreSQL refuses text containing NUL (``\\u0000``) and integers beyond 64 bits; Python's JSON
decoder raises RecursionError on deeply nested input; a JSON ``Infinity`` cannot be stored. Each
of these used to surface as a 500 somewhere. The request adapters (the DRF JSON parser, the
request middleware) call these functions and answer 400, naming the field.
"""

from __future__ import annotations

import json
import math

from django.utils.translation import gettext as _

MAX_JSON_DEPTH = 64  # the deepest real body (an xAPI statement) nests about 8 levels
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class InputError(Exception):
    """One bad value: `field` names where it is (``responses.0.answer``; "" for the whole body)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def reads_own_upload(view):
    """Mark a page view that parses its own multipart body: it installs its own upload handler
    (the "verify this file" page keeps the file in memory, bounded), which must happen before
    anything reads request.POST, so RefuseUnsafeInputMiddleware leaves that body to the view.
    The view must then check the fields it reads itself (check_query)."""
    view.reads_own_upload = True
    return view


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def nul_message() -> str:
    return _("The text contains a NUL character (\\u0000), which is not allowed.")


def check_text_file(field: str, content: str | bytes) -> None:
    """An uploaded text file (CSV, GIFT): NUL means it is not UTF-8 text (UTF-16 is full of it)."""
    if ("\x00" if isinstance(content, str) else b"\x00") in content:
        raise InputError(field, _("The file contains NUL characters: save it as UTF-8 text."))


def check_text(field: str, value: str) -> None:
    if "\x00" in value:
        raise InputError(field, nul_message())


def check_json_value(value: object, path: str = "") -> None:
    """Walk a decoded JSON value without recursion: depth, NUL in text and keys, numbers that
    fit the database (64-bit integers, finite floats)."""
    stack: list[tuple[object, str, int]] = [(value, path, 1)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise InputError("", _("The JSON is nested too deeply (more than %(n)d levels).")
                                 % {"n": MAX_JSON_DEPTH})
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(key, str):
                    check_text(where, key)
                stack.append((child, _join(where, key), depth + 1))
        elif isinstance(item, str):
            check_text(where, item)
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not INT64_MIN <= item <= INT64_MAX:
                raise InputError(where, _("The number is out of range."))
        elif isinstance(item, float) and not math.isfinite(item):
            raise InputError(where, _("Numbers must be finite."))


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def load_json(raw: bytes | str) -> object:
    """Decode a JSON text and check it (`check_json_value`). RecursionError never escapes."""
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError:
        raise InputError("", _("The JSON is nested too deeply (more than %(n)d levels).")
                         % {"n": MAX_JSON_DEPTH}) from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise InputError("", _("The request body is not valid JSON.")) from exc
    check_json_value(value)
    return value


def parse_id(raw: object) -> int | None:
    """An id typed by someone: ASCII digits that fit a 64-bit column, else None.

    ``str.isdigit`` is not enough: it accepts "²" (which int() refuses) and any number of digits
    (which SQLite cannot bind: OverflowError)."""
    text = str(raw)
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= INT64_MAX else None


def check_query(params) -> None:
    """Every name and value of a query string or form (a QueryDict)."""
    for name, values in params.lists():
        check_text(name, name)
        for value in values:
            check_text(name, value)
