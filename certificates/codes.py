"""Verification codes printed on certificates and typed in on the public verification page.

16 symbols of Crockford base32 = 80 random bits from `secrets`: unguessable even without rate
limiting, yet short enough to read over the phone, shown as XXXX-XXXX-XXXX-XXXX.
Crockford's alphabet has no I, L, O or U, so the usual misreadings can be repaired on input.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # symbols; 5 bits each
GROUP = 4
CODE_BITS = CODE_LENGTH * 5

# Crockford decoding: I/L read as 1, O as 0. U is not a symbol and stays invalid.
_REPAIRS = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = str.maketrans("", "", " -_.\t\u00a0\u2010\u2011\u2012\u2013\u2014")
_MAX_INPUT = 64  # refuse pasted essays before doing any work on them


def _group(symbols: str) -> str:
    return "-".join(symbols[i : i + GROUP] for i in range(0, len(symbols), GROUP))


def new_verification_code() -> str:
    """A fresh random code in canonical form, e.g. '7KQ2-M9ZD-0VXH-4RTA'."""
    return _group("".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))


def normalise_code(user_input: str | None) -> str | None:
    """Canonical form of what a person typed, or None when it cannot be a code.

    Case-insensitive; ignores spaces, dashes and dots; repairs I/L->1 and O->0. Needs no database,
    so malformed input is rejected before any lookup.
    """
    if not isinstance(user_input, str) or len(user_input) > _MAX_INPUT:
        return None
    symbols = user_input.strip().upper().translate(_SEPARATORS).translate(_REPAIRS)
    if len(symbols) != CODE_LENGTH or any(ch not in ALPHABET for ch in symbols):
        return None
    return _group(symbols)
