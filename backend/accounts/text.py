"""Text rules for Vietnamese names: normal form and accent-free search keys."""

import unicodedata

# đ/Đ are letters of their own, not a d with a combining mark: NFD does not split them.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def normalise_name(value: str) -> str:
    """NFC with single spaces: NFD input would render stacked accents and break equality."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def search_key(value: str) -> str:
    """Lower-case, accent-free form: 'Nguyễn Trọng' -> 'nguyen trong'."""
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
