"""The project's own H5P content type (H5P.TtdnQuestion 1.0: one yes/no question) and a builder.

Real content-type libraries are not on any registry reachable here (NOTES.md), so tests, browser
tests and the demo build their `.h5p` packages from this source folder, the same way.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

LIBRARY_DIR = Path(__file__).with_name("H5P.TtdnQuestion-1.0")
MACHINE_NAME = "H5P.TtdnQuestion"
FOLDER = "H5P.TtdnQuestion-1.0"


def library_files() -> dict[str, bytes]:
    """Archive path -> bytes for every file of the library (`H5P.TtdnQuestion-1.0/...`)."""
    return {f"{FOLDER}/{path.relative_to(LIBRARY_DIR).as_posix()}": path.read_bytes()
            for path in sorted(LIBRARY_DIR.rglob("*")) if path.is_file()}


def question_content(question: str, *, correct: str = "yes", l10n: dict[str, str] | None = None
                     ) -> dict[str, Any]:
    content: dict[str, Any] = {"question": question, "correct": correct}
    if l10n:
        content["l10n"] = dict(l10n)
    return content


def h5p_json(title: str, *, language: str = "vi") -> dict[str, Any]:
    return {
        "title": title,
        "language": language,
        "mainLibrary": MACHINE_NAME,
        "embedTypes": ["div", "iframe"],
        "license": "U",
        "preloadedDependencies": [{"machineName": MACHINE_NAME, "majorVersion": 1, "minorVersion": 0}],
    }


def build_question_package(question: str, *, title: str | None = None, correct: str = "yes",
                           language: str = "vi", l10n: dict[str, str] | None = None) -> bytes:
    """A complete, playable `.h5p` package (bytes) holding one yes/no question."""
    files = {
        "h5p.json": json.dumps(h5p_json(title or question[:100], language=language),
                               ensure_ascii=False).encode("utf-8"),
        "content/content.json": json.dumps(question_content(question, correct=correct, l10n=l10n),
                                           ensure_ascii=False).encode("utf-8"),
        **library_files(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
