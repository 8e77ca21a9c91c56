"""Text helpers for certificate PDFs: NFC clean-up, wrapping, shrink-to-fit, dates. Pure."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def clean(value: str | None) -> str:
    """NFC with single spaces: NFD input would draw stacked accents and extract as NFD."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def vi_date_line(place: str, day: dt.date) -> str:
    """'Hà Nội, ngày 05 tháng 02 năm 2026'.

    Decree 30/2020/ND-CP, Appendix I: days below 10 and the months 1 and 2 take a leading zero
    (so '1' cannot later be turned into '11' or '12'); months 3-12 are written as they are.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{clean(place)}, {text}" if clean(place) else text.capitalize()


def en_date(day: dt.date) -> str:
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


def en_date_line(place: str, day: dt.date) -> str:
    return f"{clean(place)}, {en_date(day)}" if clean(place) else en_date(day)


def vi_short_date(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


@functools.lru_cache(maxsize=4096)
def _unit_width(text: str, font: str) -> float:
    return stringWidth(text, font, 1.0)


def clear_width_cache() -> None:
    """Forget measured widths (the font behind an alias was re-registered)."""
    _unit_width.cache_clear()


def _split_long_word(word: str, font: str, width: float, size: float) -> list[str]:
    """Break a word wider than the line (a URL, a run without spaces) at character boundaries."""
    pieces, current = [], ""
    for ch in word:
        if current and _unit_width(current + ch, font) * size > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `width` points."""
    space = _unit_width(" ", font) * size
    lines: list[str] = []
    current, current_w = "", 0.0
    for word in text.split():
        w = _unit_width(word, font) * size
        if w > width:
            if current:
                lines.append(current)
            *full, current = _split_long_word(word, font, width, size)
            lines.extend(full)
            current_w = _unit_width(current, font) * size
            continue
        if current and current_w + space + w <= width:
            current, current_w = f"{current} {word}", current_w + space + w
        elif current:
            lines.append(current)
            current, current_w = word, w
        else:
            current, current_w = word, w
    if current:
        lines.append(current)
    return lines or [""]


def fit(
    text: str, font: str, width: float, *, max_size: float, min_size: float, max_lines: int,
    floor: float = 5.0, one_line_min: float | None = None,
) -> tuple[float, list[str]]:
    """Largest size (stepping 0.5 pt) at which `text` wraps into at most `max_lines` lines.

    With `one_line_min`, a single line down to that size is preferred to wrapping at a larger
    size (a name reads better on one line). Below `min_size` it keeps shrinking down to `floor`
    rather than cut a name; at the floor it returns however many lines are needed, and the page
    layout scales the whole body to fit. Never truncates: the full name and title must show.
    """
    if one_line_min is not None and max_lines > 1:
        size, lines = fit(text, font, width, max_size=max_size, min_size=one_line_min, max_lines=1,
                          floor=one_line_min)
        if len(lines) == 1:
            return size, lines
    size = max_size
    while True:
        lines = wrap(text, font, size, width)
        if len(lines) <= max_lines or size <= floor:
            return size, lines
        size = max(floor, size - (0.5 if size > min_size else 0.25))


def width_of(text: str, font: str, size: float) -> float:
    return _unit_width(text, font) * size


def widest(lines: Sequence[str], font: str, size: float) -> float:
    return max((width_of(line, font, size) for line in lines), default=0.0)
