"""Find and register a TrueType family that can print Vietnamese in ReportLab PDFs.

ReportLab's built-in Helvetica has no Vietnamese glyphs: every accented letter would print as a
box. We therefore look for a TTF family in `settings.PDF_FONT_DIRS` (npm `dejavu-fonts-ttf`, then
Debian's DejaVu / Noto), verify that every face covers all precomposed Vietnamese letters, and
register it once per process under stable aliases so the PDF code never names a font file.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# The 134 precomposed letters of Vietnamese beyond plain ASCII: ă â đ ê ô ơ ư and every vowel
# (a ă â e ê i o ô ơ u ư y) with each of the five tones (huyền, sắc, hỏi, ngã, nặng).
# Written out rather than generated so a reviewer can read exactly what is demanded.
VIETNAMESE_LOWER = (
    "ăâđêôơư"
    "àáảãạ" "ằắẳẵặ" "ầấẩẫậ"
    "èéẻẽẹ" "ềếểễệ"
    "ìíỉĩị"
    "òóỏõọ" "ồốổỗộ" "ờớởỡợ"
    "ùúủũụ" "ừứửữự"
    "ỳýỷỹỵ"
)
VIETNAMESE_LETTERS: tuple[str, ...] = tuple(VIETNAMESE_LOWER) + tuple(VIETNAMESE_LOWER.upper())

# Aliases the PDF code uses; whichever family is found is registered under these names.
REGULAR = "CertFont"
BOLD = "CertFont-Bold"
ITALIC = "CertFont-Italic"
BOLD_ITALIC = "CertFont-BoldItalic"


@dataclass(frozen=True)
class FontFamily:
    """One family's four face files (italic faces fall back to upright when absent)."""

    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def faces(self) -> dict[str, Path]:
        return {REGULAR: self.regular, BOLD: self.bold, ITALIC: self.italic, BOLD_ITALIC: self.bold_italic}


# Preference order: a serif family looks like an official document; sans is the fallback.
# Each entry: family name, then file names for regular, bold, italic, bold italic.
_CANDIDATES: tuple[tuple[str, str, str, str, str], ...] = (
    ("DejaVuSerif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
     "DejaVuSerif-BoldItalic.ttf"),
    ("NotoSerif", "NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf",
     "NotoSerif-BoldItalic.ttf"),
    ("DejaVuSans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
     "DejaVuSans-BoldOblique.ttf"),
    ("NotoSans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf",
     "NotoSans-BoldItalic.ttf"),
)


class FontUnavailable(ImproperlyConfigured):
    """No usable Vietnamese font: refusing to render a certificate full of boxes."""


def configured_dirs() -> list[Path]:
    from django.conf import settings

    return [Path(p) for p in getattr(settings, "PDF_FONT_DIRS", [])]


def missing_letters(path: Path) -> list[str]:
    """Vietnamese letters absent from the font's cmap (empty list = full coverage)."""
    return list(_missing_letters_cached(str(path)))


@functools.lru_cache(maxsize=32)
def _missing_letters_cached(path: str) -> tuple[str, ...]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    cmap = TTFontFile(path).charToGlyph
    return tuple(ch for ch in VIETNAMESE_LETTERS if ord(ch) not in cmap)


def _find_in_dir(directory: Path, files: Sequence[str]) -> list[Path] | None:
    paths = [directory / f for f in files]
    if not paths[0].is_file() or not paths[1].is_file():
        return None  # regular and bold are the minimum for the certificate layout
    return paths


def find_family(dirs: Iterable[Path] | None = None) -> tuple[FontFamily | None, list[str]]:
    """The first candidate family whose faces all cover Vietnamese, plus notes on rejected ones."""
    notes: list[str] = []
    dirs = list(configured_dirs() if dirs is None else dirs)
    for name, *files in _CANDIDATES:
        for directory in dirs:
            paths = _find_in_dir(Path(directory), files)
            if paths is None:
                continue
            regular, bold, italic, bold_italic = paths
            italic = italic if italic.is_file() else regular
            bold_italic = bold_italic if bold_italic.is_file() else bold
            family = FontFamily(name, regular, bold, italic, bold_italic)
            gaps = {str(p): missing_letters(p) for p in set(family.faces().values())}
            gaps = {p: m for p, m in gaps.items() if m}
            if gaps:
                for p, m in gaps.items():
                    notes.append(f"{p} lacks {len(m)} Vietnamese letters (e.g. {''.join(m[:5])})")
                continue
            return family, notes
    return None, notes


def check_fonts(dirs: Iterable[Path] | None = None) -> list[str]:
    """Problems that would stop a certificate from printing Vietnamese (empty = all good)."""
    dirs = list(configured_dirs() if dirs is None else dirs)
    family, notes = find_family(dirs)
    if family is not None:
        return []
    looked = ", ".join(str(d) for d in dirs) or "(no directories configured)"
    return [
        "No TrueType font covering Vietnamese was found for certificate PDFs. Looked in: "
        f"{looked}. Install the npm package dejavu-fonts-ttf (`cd frontend && npm ci "
        "--ignore-scripts`) or Debian fonts-dejavu-core, or set PDF_FONT_DIRS.",
        *notes,
    ]


_register_lock = threading.Lock()


def register_fonts(dirs: Iterable[Path] | None = None) -> FontFamily:
    """Register the family under the CertFont aliases once per process and return it.

    Parsing a TTF costs milliseconds; doing it per certificate would halve throughput, so the
    result is cached. Raises FontUnavailable rather than silently falling back to Helvetica.
    """
    key = tuple(str(d) for d in (configured_dirs() if dirs is None else dirs))
    with _register_lock:
        return _register(key)


@functools.lru_cache(maxsize=4)
def _register(dirs: tuple[str, ...]) -> FontFamily:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    family, _notes = find_family([Path(d) for d in dirs])
    if family is None:
        raise FontUnavailable(" ".join(check_fonts([Path(d) for d in dirs])))
    for alias, path in family.faces().items():
        pdfmetrics.registerFont(TTFont(alias, str(path)))
    from certificates.pdftext import clear_width_cache

    clear_width_cache()  # widths cached under the aliases may belong to a previous family
    # Lets <b>/<i> in Paragraph markup pick the right face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)
    return family
