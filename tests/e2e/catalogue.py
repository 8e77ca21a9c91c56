"""Our translation catalogues, read for the quality checks, and the text a person sees on a page.

Two questions are asked of a rendered page:
- Vietnamese page: does an English msgid show where its Vietnamese should be (untranslated)?
- English page: does a Vietnamese msgstr show where English should be (a stale language)?
Only strings that identify a leak are used: msgids of >= 2 words or >= 8 letters whose translation
differs from them ("H5P", "E-mail" and "PDF" read the same in both languages).
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

OUR_PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
VENDOR_PO = Path(settings.BASE_DIR) / "locale" / "vendor" / "vi" / "LC_MESSAGES" / "django.po"
# New strings of a branch wait here ({"msgid": "Vietnamese"}) until the integrator merges them
# into the catalogue; they count as known, so a page showing one in English is reported.
PENDING = Path(settings.BASE_DIR) / "locale" / "pending"

PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\w*\}")


@dataclass(frozen=True)
class Entry:
    msgid: str
    plural: str | None
    msgstrs: tuple[str, ...]
    ctxt: str | None
    flags: frozenset[str]
    refs: tuple[str, ...]
    obsolete: bool

    @property
    def translated(self) -> bool:
        return bool(self.msgstrs) and all(self.msgstrs) and "fuzzy" not in self.flags


def read_po(path: Path) -> list[Entry]:
    """Entries of a PO file (header excluded), obsolete ones (#~) marked as such."""
    entries: list[Entry] = []
    block: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            entry = _parse_block(block)
            if entry is not None and entry.msgid:
                entries.append(entry)
        block = []
    return entries


def _parse_block(lines: list[str]) -> Entry | None:
    flags: set[str] = set()
    refs: list[str] = []
    fields: dict[str, str] = {}
    current = None
    obsolete = all(line.startswith("#~") or line.startswith("#") for line in lines) and any(
        line.startswith("#~") for line in lines)
    for raw in lines:
        line = raw[2:].strip() if raw.startswith("#~") else raw.strip()
        if raw.startswith("#,"):
            flags.update(f.strip() for f in line[2:].split(","))
        elif raw.startswith("#:"):
            refs += line[2:].split()
        elif raw.startswith("#") and not raw.startswith("#~"):
            continue
        else:
            match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
    if "msgid" not in fields:
        return None
    msgstrs = tuple(v for k, v in sorted(fields.items()) if k.startswith("msgstr"))
    return Entry(fields["msgid"], fields.get("msgid_plural"), msgstrs, fields.get("msgctxt"),
                 frozenset(flags), tuple(refs), obsolete)


def telling(text: str) -> bool:
    """Long enough to identify a leak: >= 2 words or >= 8 letters, placeholders aside."""
    literal = PLACEHOLDER.sub(" ", text)
    return len(literal.split()) >= 2 or sum(c.isalpha() for c in literal) >= 8


def phrase_pattern(text: str) -> re.Pattern:
    """The phrase as shown: placeholders stand for anything short, whitespace is normalised,
    and it must not be part of a longer word."""
    parts = [r"\s+".join(re.escape(w) for w in chunk.split()) for chunk in PLACEHOLDER.split(text)]
    body = r".{1,80}?".join(parts)
    return re.compile(r"(?<!\w)" + body + r"(?!\w)", re.S)


def pending_translations() -> dict[str, str]:
    """msgid -> Vietnamese; a plural's value is a list of forms (Vietnamese has one: the first)."""
    out: dict[str, str] = {}
    for path in sorted(PENDING.glob("*.json")) if PENDING.exists() else ():
        for msgid, text in json.loads(path.read_text(encoding="utf-8")).items():
            out[msgid] = text[0] if isinstance(text, list) else text
    return out


@cache
def english_msgids() -> tuple[tuple[str, re.Pattern], ...]:
    """English strings that must not show on a Vietnamese page (ours, the vendor catalogue and
    the pending ones)."""
    pairs = list(pending_translations().items())
    for path in (OUR_PO, VENDOR_PO):
        for entry in read_po(path):
            if entry.obsolete or not entry.translated:
                continue
            pairs += [(entry.msgid, entry.msgstrs[0]), (entry.plural, entry.msgstrs[-1])]
    out = {}
    for english, vietnamese in pairs:
        if english and english.strip() != vietnamese.strip() and telling(english) \
                and "<" not in english and "\n" not in english.strip():
            out[english] = phrase_pattern(english)
    return tuple(out.items())


def pending_hint(phrase: str) -> str:
    """Said next to an untranslated phrase whose Vietnamese waits in locale/pending."""
    return " (its Vietnamese is in locale/pending/: merge it into the catalogue)" \
        if phrase in pending_translations() else ""


@cache
def vietnamese_msgstrs() -> tuple[tuple[str, re.Pattern], ...]:
    """Vietnamese strings of our catalogue (>= 2 words) that must not show on an English page."""
    out = {}
    for entry in read_po(OUR_PO):
        if entry.obsolete or not entry.translated:
            continue
        for english, vietnamese in zip((entry.msgid, entry.plural or entry.msgid), entry.msgstrs,
                                       strict=False):
            literal = PLACEHOLDER.sub(" ", vietnamese)
            if vietnamese.strip() != english.strip() and len(literal.split()) >= 2 \
                    and "<" not in vietnamese:
                out[vietnamese] = phrase_pattern(vietnamese)
    return tuple(out.items())


def found(phrases, text: str, *, allowed: str = "") -> list[str]:
    """The phrases present in text, except those that are part of `allowed` (user content): the
    text matched, or every literal part of a phrase with placeholders, is in `allowed`."""
    out = []
    for phrase, pattern in phrases:
        match = pattern.search(text)
        if match is None:
            continue
        literal_parts = [part.strip() for part in PLACEHOLDER.split(phrase) if part.strip()]
        if allowed and (match.group(0) in allowed or all(p in allowed for p in literal_parts)):
            continue
        out.append(phrase)
    return out


# --- Visible text ---------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
SPOKEN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
LITERAL = {"code", "pre", "kbd", "samp"}


class _Text(HTMLParser):
    """Text a person reads or hears, in the page's own language only: text inside an element
    marked with another lang (the language switch says "Tiếng Việt" on an English page) and
    code samples (<code>, <pre>: column names of a CSV file) are set apart; scripts and styles
    are left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []  # tag, lang, hidden from text
        self.html_lang = None
        self.own: list[str] = []
        self.other: list[str] = []

    def _lang(self):
        for _tag, lang, _skip in reversed(self.stack):
            if lang:
                return lang
        return self.html_lang

    def _sink(self):
        lang = self._lang()
        return self.own if lang is None or lang == self.html_lang else self.other

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        if tag == "html":
            self.html_lang = attr.get("lang")
            return
        skip = tag in ("script", "style")
        if tag in LITERAL and not attr.get("lang"):
            attr["lang"] = "zxx"  # code and samples read the same in every language
        if tag not in VOID:
            self.stack.append((tag, attr.get("lang"), skip))
        sink = self._sink() if tag not in VOID or not attr.get("lang") else self.other
        for name in SPOKEN_ATTRIBUTES:
            if attr.get(name):
                sink.append(attr[name])
        if tag == "input" and attr.get("type") in ("submit", "button") and attr.get("value"):
            sink.append(attr["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if any(skip for _tag, _lang, skip in self.stack):
            return
        self._sink().append(data)


def visible_text(html: str) -> tuple[str | None, str]:
    """(<html lang>, text in that language with whitespace normalised)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.html_lang, re.sub(r"\s+", " ", " ".join(parser.own)).strip()


def vietnamese(msgid: str) -> str:
    """The catalogue's Vietnamese for a msgid, as the pages show it."""
    from django.utils import translation

    with translation.override("vi"):
        return translation.gettext(msgid)
