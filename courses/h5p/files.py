"""Serving stored package files: which file a URL means, and the headers it is sent with.

Nothing is ever executed server-side: files are streamed as bytes with an explicit content type
(never guessed from the content), `nosniff`, and a Content-Security-Policy that lets nothing
run if a file is opened on its own. The player's JS and CSS are loaded by the player page, so a
CSP on these responses does not restrict them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import archive as arc
from .storage import content_dir, resolve_library_file

CONTENT_TYPES = {
    "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
    "json": "application/json; charset=utf-8", "txt": "text/plain; charset=utf-8",
    "md": "text/plain; charset=utf-8", "textile": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8", "vtt": "text/vtt; charset=utf-8", "webvtt": "text/vtt; charset=utf-8",
    "diff": "text/plain; charset=utf-8", "patch": "text/plain; charset=utf-8",
    "xml": "application/xml", "svg": "image/svg+xml",
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp",
    "tif": "image/tiff", "tiff": "image/tiff",
    "eot": "application/vnd.ms-fontobject", "ttf": "font/ttf", "otf": "font/otf", "woff": "font/woff",
    "woff2": "font/woff2",
    "webm": "video/webm", "mp4": "video/mp4", "ogg": "audio/ogg", "mp3": "audio/mpeg", "m4a": "audio/mp4",
    "wav": "audio/wav",
    "pdf": "application/pdf", "rtf": "application/rtf", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "gltf": "model/gltf+json", "glb": "model/gltf-binary",
}
# Shown in the page (images, media, fonts, scripts, styles, data); anything else is a download.
INLINE = frozenset({"js", "css", "json", "png", "jpg", "jpeg", "gif", "bmp", "webm", "mp4", "ogg", "mp3",
                    "m4a", "wav", "vtt", "webvtt", "eot", "ttf", "otf", "woff", "woff2", "svg", "txt",
                    "gltf", "glb"})
# Nothing may run in a document opened from these URLs (an SVG or a PDF on its own tab).
CSP = ("default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'self' 'unsafe-inline'; "
       "font-src 'self' data:; sandbox")
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class ServedFile:
    path: Path
    content_type: str
    inline: bool


def _typed(path: Path | None) -> ServedFile | None:
    if path is None:
        return None
    extension = path.suffix.lower().lstrip(".")
    if extension not in arc.LIBRARY_EXTENSIONS:
        return None
    return ServedFile(path, CONTENT_TYPES.get(extension, "application/octet-stream"), extension in INLINE)


def library_file(root: Path, player_folder: str, relative: str) -> ServedFile | None:
    return _typed(resolve_library_file(root, player_folder, relative))


def content_file(root: Path, content_key: str, relative: str) -> ServedFile | None:
    """A file under `content/<key>/`, never outside it, never hidden, never a link."""
    if arc.path_problem(relative) or any(p.startswith(".") for p in relative.split("/")):
        return None
    try:
        folder = content_dir(root, content_key)
    except ValueError:
        return None
    candidate = folder / relative
    if candidate.is_symlink() or not candidate.is_file():
        return None
    if not os.path.realpath(candidate).startswith(os.path.realpath(folder) + os.sep):
        return None
    return _typed(candidate)


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) of a single `Range: bytes=a-b` request, or None to send the whole file."""
    match = RANGE.match(header or "")
    if not match or size == 0 or (not match[1] and not match[2]):
        return None
    if match[1]:
        first = int(match[1])
        last = min(int(match[2]), size - 1) if match[2] else size - 1
    else:  # the last N bytes
        first, last = max(size - int(match[2]), 0), size - 1
    return (first, last) if first <= last < size else None
