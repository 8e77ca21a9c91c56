"""Text rules for Vietnamese names: normal form and accent-free search keys.

`search_key` is THE search rule of the site: every searchable thing (names, cohorts, courses,
lessons, question banks and questions) stores the key of its text, and a search compares the
key of what was typed with `contains` (see `search_q`), so "nguyen" finds "Nguyễn" everywhere.
"""

import unicodedata

from django.db.models import Q

# đ/Đ are letters of their own, not a d with a combining mark: NFD does not split them.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def _visible(ch: str) -> str:
    if ch.isspace():
        return " "
    return "" if unicodedata.category(ch) in ("Cf", "Cc") else ch


def normalise_name(value: str) -> str:
    """NFC with single spaces: NFD input would render stacked accents and break equality.

    Format and control characters (Unicode Cf and Cc: zero-width spaces and joiners, bidi
    embeddings, overrides and isolates, soft hyphens, NUL) are removed: no Vietnamese name
    needs them, and they make a name look like another or reverse it on a certificate. A name
    made only of them is empty, which every caller refuses as a missing name."""
    visible = "".join(_visible(ch) for ch in value or "")
    return " ".join(unicodedata.normalize("NFC", visible).split())


def search_key(value: str) -> str:
    """Lower-case, accent-free form: 'Nguyễn Trọng' -> 'nguyen trong'."""
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def search_q(query: str, *fields: str) -> Q | None:
    """Q matching rows whose stored key in any of `fields` contains the key of `query`; None
    when the query holds nothing searchable. Keys are already lower-case: `contains` (LIKE),
    not `icontains`, so PostgreSQL can use a trigram index where one exists."""
    key = search_key(query)
    if not key:
        return None
    q = Q()
    for field in fields:
        q |= Q(**{f"{field}__contains": key})
    return q
