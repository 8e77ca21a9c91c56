"""Safety checks on an `.h5p` ZIP archive, read from its central directory without extracting.

The rules themselves are the platform's (backend/archives.py, shared with SCORM packages); this
module adds what is H5P's own: the file-type allow-lists of H5P core, the hidden files H5P core
skips, pyh5p's member check, the JSON budget and the error class. Everything here runs before
pyh5p sees the archive, so our limits hold whatever pyh5p does.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from typing import IO, BinaryIO

from django.utils.translation import gettext as _
from pyh5p.errors import SecurityError
from pyh5p.security import ArchiveLimits as PyH5PLimits
from pyh5p.security import validate_archive_member

from backend import archives
from backend.archives import CHUNK_BYTES, ArchiveLimits, MiB, extension, path_problem

from . import errors as e
from .errors import H5PPackageError

__all__ = [
    "CHUNK_BYTES",
    "CONTENT_EXTENSIONS",
    "LIBRARY_EXTENSIONS",
    "ArchiveIndex",
    "H5PLimits",
    "MiB",
    "copy_member",
    "open_zip",
    "path_problem",
    "read_bounded",
    "scan",
]

# H5P core 1.27 (`H5PCore::$defaultContentWhitelist` / `$defaultLibraryWhitelistExtras`). Newer
# cores moved svg and xml from the content list to the library extras: an SVG is a document that
# can carry script, and content files are written by course authors, not library developers.
CONTENT_EXTENSIONS = frozenset({
    "json", "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "eot", "ttf", "woff", "woff2", "otf",
    "webm", "mp4", "ogg", "mp3", "m4a", "wav", "txt", "pdf", "rtf", "doc", "docx", "xls", "xlsx",
    "ppt", "pptx", "odt", "ods", "odp", "csv", "diff", "patch", "swf", "md", "textile", "vtt",
    "webvtt", "gltf", "glb",
})
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css", "svg", "xml"}


@dataclass(frozen=True)
class H5PLimits(ArchiveLimits):
    """The archive bounds (backend.archives.ArchiveLimits, H5P's defaults) plus H5P's own."""

    max_json_bytes: int = 16 * MiB             # h5p.json, content.json, library.json, semantics.json
    semantics_timeout_seconds: float = 5.0     # wall-clock budget for pyh5p semantics validation


@dataclass
class ArchiveIndex(archives.ArchiveIndex):
    """The members worth keeping, by role. Names are archive paths (POSIX, relative)."""

    library_dirs: set[str] = field(default_factory=set)


def _is_hidden(parts: list[str]) -> bool:
    # H5P core skips every file or folder whose name starts with "." or "_" (__MACOSX, .DS_Store).
    return any(part.startswith((".", "_")) for part in parts)


def _allowed(name: str, parts: list[str]) -> bool:
    if name == "h5p.json":
        return True
    allowed = LIBRARY_EXTENSIONS if len(parts) > 1 and parts[0] != "content" else CONTENT_EXTENSIONS
    return extension(name) in allowed


def _rules(limits: H5PLimits) -> archives.ZipRules:
    pyh5p_limits = PyH5PLimits(
        max_files=limits.max_files, max_file_size=limits.max_file_bytes,
        max_total_size=limits.max_total_bytes,
        max_compression_ratio=float("inf"),  # ours, with a floor for small JSON files
        allowed_extensions=frozenset(LIBRARY_EXTENSIONS),
    )

    def check_member(name: str, info: zipfile.ZipInfo) -> None:
        try:
            validate_archive_member(name, info, pyh5p_limits)
        except SecurityError as exc:
            raise H5PPackageError(e.UNSAFE_ARCHIVE, _("The package contains an unsafe file: %(path)s")
                                  % {"path": name}, path=name) from exc

    return archives.ZipRules(
        error=H5PPackageError,
        not_zip_message=lambda: _("The file is not an H5P package (not a valid ZIP archive)."),
        file_type_message=lambda path: _("The file %(path)s has a type that H5P packages may not "
                                         "contain.") % {"path": path},
        ignored=_is_hidden, allowed=_allowed, check_member=check_member)


RULES = _rules(H5PLimits())  # for reading members (the limits matter only to scan's member check)


def open_zip(fileobj: BinaryIO, limits: H5PLimits) -> zipfile.ZipFile:
    """Open the archive after bounding its size and its central directory."""
    return archives.open_zip(fileobj, limits, RULES)


def scan(archive: zipfile.ZipFile, limits: H5PLimits) -> ArchiveIndex:
    """Check every central-directory entry; return the kept members. Raises H5PPackageError."""
    found = archives.scan(archive, limits, _rules(limits))
    index = ArchiveIndex(files=found.files, ignored=found.ignored, total_bytes=found.total_bytes)
    for name in index.files:
        parts = name.split("/")
        if len(parts) > 1 and parts[0] != "content":
            index.library_dirs.add(parts[0])
    return index


def read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
    """Read one small member (a JSON file) with a byte budget, whatever its header claims."""
    return archives.read_bounded(archive, info, max_bytes, RULES)


def copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: IO[bytes], max_bytes: int) -> int:
    """Stream one member into `target` (like shutil.copyfileobj, plus a byte budget). Returns bytes."""
    return archives.copy_member(archive, info, target, max_bytes, RULES)
