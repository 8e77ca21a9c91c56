"""Certificate serial numbers ("Số: 0001/2026/GCN") from a configurable pattern. Pure."""

from __future__ import annotations

import string

from django.utils.translation import gettext as _

DEFAULT_SERIAL_PATTERN = "{seq:04d}/{year}/GCN"
ALLOWED_FIELDS = frozenset({"seq", "year", "org_code"})
MAX_SERIAL_LENGTH = 64


def validate_serial_pattern(pattern: str) -> None:
    """Raise ValueError unless `pattern` is a safe format string that contains {seq}.

    Only the plain fields seq/year/org_code are allowed: no attribute or index access
    ("{seq.__class__}"), no positional fields, so an administrator's pattern cannot reach
    into Python objects.
    """
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError(_("The serial pattern is empty."))
    if len(pattern) > MAX_SERIAL_LENGTH:
        raise ValueError(_("The serial pattern is longer than %(max)s characters.")
                         % {"max": MAX_SERIAL_LENGTH})
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:  # unbalanced braces
        raise ValueError(_("The serial pattern has a “{” or “}” without its pair.")) from None
    fields = set()
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in ALLOWED_FIELDS:
            # The person may write the field in their language ({năm}): name the three that exist.
            raise ValueError(
                _("Unknown field {%(field)s} in the serial pattern; use {seq}, {year} or {org_code}.")
                % {"field": field})
        if conversion is not None or (spec and "{" in spec):
            raise ValueError(_("Conversions and nested fields are not allowed in the serial pattern."))
        fields.add(field)
    if "seq" not in fields:
        raise ValueError(_("The serial pattern must contain {seq}, or two certificates would share a "
                           "number."))
    try:  # the format spec must fit its value type (e.g. {org_code:04d} would fail at issue time)
        format_serial(pattern, seq=1, year=2026, org_code="ORG", _validated=True)
    except (ValueError, TypeError):
        raise ValueError(_("The serial pattern cannot be formatted: a format after “:” does not fit "
                           "its field (e.g. {seq:04d} for the number).")) from None


def format_serial(pattern: str, *, seq: int, year: int, org_code: str = "", _validated: bool = False) -> str:
    """format_serial("{seq:04d}/{year}/GCN", seq=1, year=2026, org_code="") -> "0001/2026/GCN"."""
    if not _validated:
        validate_serial_pattern(pattern)
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError("seq must be a positive integer.")
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ValueError("year must be a four-digit year.")
    serial = pattern.format(seq=seq, year=year, org_code=org_code or "")
    if len(serial) > MAX_SERIAL_LENGTH:
        raise ValueError(f"The serial is longer than {MAX_SERIAL_LENGTH} characters.")
    return serial
