"""English words on a Vietnamese page, beyond the msgids our catalogues know.

catalogue.english_msgids() finds a whole English msgid that shows untranslated; this module finds
single English words, whatever produced them: Django's and allauth's own messages, a placeholder
("---------"), text a script wrote, CSS content (Quill's "Normal"), a hard-coded title.

A word counts as English when it is in the English vocabulary (every word of the English msgids
of our catalogue, locale/vendor, Django's and allauth's catalogues, plus a few UI words no
msgid spells) and in none of: the Vietnamese vocabulary (words our Vietnamese translations use,
such as "video" or "e-mail"), the site's own content (course titles, names, e-mail addresses),
and ALLOWED (proper nouns and formats that read the same in both languages).
Addresses, e-mail addresses and file names are left out before words are read.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import allauth
import django

from tests.e2e import catalogue

# Proper nouns and formats, the same in Vietnamese (docs/glossary.md).
ALLOWED = frozenset(w.lower() for w in (
    "H5P", "PDF", "E-mail", "email", "TOTP", "GIFT", "Aiken", "SCORM", "XLSX", "CSV", "API", "URL",
    "UTF", "JSON", "UUID", "QR", "HTML", "IPv4", "IPv6", "OK", "Moodle", "Unicode", "PNG", "JPEG",
    "MP4", "WebM", "ZIP", "xAPI", "NUL", "UTC", "ID", "Chromium", "Quill", "DEBUG"))

# UI words that no msgid of the catalogues spells but a library may show.
EXTRA_ENGLISH = frozenset((
    "normal", "heading", "visit", "enter", "edit", "save", "remove", "link", "browse", "chosen",
    "selected", "loading", "submit", "reset", "choose", "select", "file", "files", "none", "undo",
    "redo", "bold", "italic", "underline", "quote", "clean", "formula", "embed", "huge", "large",
    "small", "serif", "monospace", "sans", "next", "previous", "close", "menu", "skip", "content",
))

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]|[A-Za-z]")
_NOT_WORDS = re.compile(r"\S*[@/\\]\S*|\S+\.(?:pdf|csv|xlsx|h5p|zip|png|jpe?g|txt|json|xml|docx?)\b"
                        r"|\b[a-z]+(?:[-_][a-z0-9]+)+\b|%\(\w+\)[sdfi]|\{\w*\}", re.I)
DJANGO = Path(django.__file__).parent
THIRD_PARTY_ENGLISH = (
    DJANGO / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po",
    DJANGO / "contrib" / "auth" / "locale" / "en" / "LC_MESSAGES" / "django.po",
    Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po",
)


def words(text: str) -> list[str]:
    """Words of a text, lowercased, addresses and file names left out."""
    return [w.lower().strip("'’") for w in _WORD.findall(_NOT_WORDS.sub(" ", text))]


@cache
def english_vocabulary() -> frozenset[str]:
    out = set(EXTRA_ENGLISH)
    sources = [catalogue.OUR_PO, catalogue.VENDOR_PO, *THIRD_PARTY_ENGLISH]
    for path in sources:
        for entry in catalogue.read_po(path):
            for text in (entry.msgid, entry.plural or ""):
                out.update(w for w in words(catalogue.PLACEHOLDER.sub(" ", text)) if len(w) >= 3)
    for msgid in catalogue.pending_translations():
        out.update(w for w in words(catalogue.PLACEHOLDER.sub(" ", msgid)) if len(w) >= 3)
    return frozenset(out)


@cache
def vietnamese_vocabulary() -> frozenset[str]:
    out: set[str] = set()
    for path in (catalogue.OUR_PO, catalogue.VENDOR_PO):
        for entry in catalogue.read_po(path):
            for text in entry.msgstrs:
                out.update(words(text))
    for text in catalogue.pending_translations().values():
        out.update(words(text))
    return frozenset(out)


def english_words(text: str, *, content: str = "") -> list[str]:
    """English words in `text` (a Vietnamese page's text), each once, with a little context."""
    allowed = ALLOWED | vietnamese_vocabulary() | set(words(content))
    english = english_vocabulary()
    found: dict[str, str] = {}
    cleaned = _NOT_WORDS.sub(" ", text)
    for match in _WORD.finditer(cleaned):
        word = match.group(0).lower().strip("'’")
        if len(word) >= 3 and word in english and word not in allowed and word not in found:
            start, end = max(match.start() - 30, 0), min(match.end() + 30, len(cleaned))
            found[word] = cleaned[start:end].strip()
    out = [f"{word!r} in “…{context}…”" for word, context in found.items()]
    if "---------" in text:
        out.append("Django's empty choice '---------'")
    out += [f"date not in dd/mm/yyyy: {d!r}" for d in re.findall(r"\b20\d\d-\d\d-\d\d\b", text)]
    return out
