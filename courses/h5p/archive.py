"""Safety checks on an `.h5p` ZIP archive, read from its central directory without extracting.

Everything here runs before pyh5p sees the archive, so our limits hold whatever pyh5p does, and
nothing reads a whole member into memory except the small JSON files (bounded by
`H5PLimits.max_json_bytes`). Members are copied out in fixed-size chunks with a byte budget.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, BinaryIO

from django.utils.translation import gettext as _
from pyh5p.errors import SecurityError
from pyh5p.security import ArchiveLimits, validate_archive_member

from . import errors as e
from .errors import H5PPackageError

MiB = 1024 * 1024
CHUNK_BYTES = 256 * 1024

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

_S_IFMT = 0o170000
_REGULAR, _DIRECTORY, _SYMLINK = 0o100000, 0o040000, 0o120000


@dataclass(frozen=True)
class H5PLimits:
    """Bounds on what an upload may make the server read, unpack and store."""

    max_upload_bytes: int = 200 * MiB          # the .h5p file itself
    max_total_bytes: int = 500 * MiB           # sum of uncompressed member sizes
    max_file_bytes: int = 100 * MiB            # one uncompressed member
    max_files: int = 5_000                     # entries in the central directory
    max_central_directory_bytes: int = 4 * MiB
    max_compression_ratio: float = 100.0       # uncompressed / compressed, per member and overall
    ratio_min_bytes: int = 1 * MiB             # small members (JSON) may compress very well
    max_json_bytes: int = 16 * MiB             # h5p.json, content.json, library.json, semantics.json
    semantics_timeout_seconds: float = 5.0     # wall-clock budget for pyh5p semantics validation


@dataclass
class ArchiveIndex:
    """The members worth keeping, by role. Names are archive paths (POSIX, relative)."""

    files: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    library_dirs: set[str] = field(default_factory=set)
    ignored: list[str] = field(default_factory=list)   # hidden files H5P core skips too

    def under(self, folder: str) -> list[str]:
        prefix = folder + "/"
        return [name for name in self.files if name.startswith(prefix)]


def open_zip(fileobj: BinaryIO, limits: H5PLimits) -> zipfile.ZipFile:
    """Open the archive after bounding its size and its central directory."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    if size > limits.max_upload_bytes:
        raise H5PPackageError(e.TOO_LARGE, _("The package is larger than %(mb)d MB.")
                              % {"mb": limits.max_upload_bytes // MiB})
    _check_end_record(fileobj, limits)
    try:
        return zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise _not_zip() from exc


def _check_end_record(fileobj: BinaryIO, limits: H5PLimits) -> None:
    # zipfile builds a ZipInfo per central-directory entry before we can count them; a forged
    # directory with millions of entries would cost gigabytes. Read the end record first.
    end_record = getattr(zipfile, "_EndRecData", None)  # private but unchanged since Python 2
    if end_record is None:
        return
    try:
        record = end_record(fileobj)
    except (OSError, ValueError, EOFError):
        record = None
    fileobj.seek(0)
    if not record:
        raise _not_zip()
    if record[zipfile._ECD_ENTRIES_TOTAL] > limits.max_files:
        raise _too_many_files(limits)
    if record[zipfile._ECD_SIZE] > limits.max_central_directory_bytes:
        raise _too_many_files(limits)


def _not_zip() -> H5PPackageError:
    return H5PPackageError(e.NOT_ZIP, _("The file is not an H5P package (not a valid ZIP archive)."))


def _too_many_files(limits: H5PLimits) -> H5PPackageError:
    return H5PPackageError(e.TOO_MANY_FILES, _("The package contains more than %(n)d files.")
                           % {"n": limits.max_files})


def path_problem(name: str) -> str | None:
    """The rejection code for an unsafe member name, or None if the name is a safe relative path."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return e.ABSOLUTE_PATH
    parts = re.split(r"[/\\]", name.rstrip("/"))
    if ".." in parts:
        return e.PATH_TRAVERSAL
    if "\\" in name or "\x00" in name or ":" in name or any(p in ("", ".") for p in parts):
        return e.UNSAFE_PATH
    if any(ord(ch) < 32 for ch in name):
        return e.UNSAFE_PATH
    return None


def _path_message(code: str, name: str) -> str:
    if code == e.ABSOLUTE_PATH:
        return _("The package contains an absolute path: %(path)s") % {"path": name}
    if code == e.PATH_TRAVERSAL:
        return _("The package contains a path that leaves its folder: %(path)s") % {"path": name}
    return _("The package contains an unsafe file name: %(path)s") % {"path": name}


def _is_hidden(parts: Iterable[str]) -> bool:
    # H5P core skips every file or folder whose name starts with "." or "_" (__MACOSX, .DS_Store).
    return any(part.startswith((".", "_")) for part in parts)


def scan(archive: zipfile.ZipFile, limits: H5PLimits) -> ArchiveIndex:
    """Check every central-directory entry; return the kept members. Raises H5PPackageError."""
    infos = archive.infolist()
    if len(infos) > limits.max_files:
        raise _too_many_files(limits)
    pyh5p_limits = ArchiveLimits(
        max_files=limits.max_files, max_file_size=limits.max_file_bytes,
        max_total_size=limits.max_total_bytes,
        max_compression_ratio=float("inf"),  # ours below, with a floor for small JSON files
        allowed_extensions=frozenset(LIBRARY_EXTENSIONS),
    )
    index = ArchiveIndex()
    seen: set[str] = set()
    seen_folded: set[str] = set()
    total = compressed_total = 0
    for info in infos:
        name = info.filename
        code = path_problem(name)
        if code:
            raise H5PPackageError(code, _path_message(code, name), path=name)
        mode = (info.external_attr >> 16) & _S_IFMT
        if mode not in (0, _REGULAR, _DIRECTORY):
            raise H5PPackageError(e.SYMLINK, _("The package contains a link or special file: %(path)s")
                                  % {"path": name}, path=name)
        key = name.rstrip("/")
        if key in seen or key.casefold() in seen_folded:
            raise H5PPackageError(e.DUPLICATE_ENTRY, _("The package contains %(path)s twice.")
                                  % {"path": key}, path=name)
        seen.add(key)
        seen_folded.add(key.casefold())
        if info.flag_bits & 0x1:
            raise H5PPackageError(e.UNSAFE_ARCHIVE, _("The package contains an encrypted file: %(path)s")
                                  % {"path": name}, path=name)
        if info.is_dir():
            continue
        _check_size(info, limits)
        total += info.file_size
        compressed_total += info.compress_size
        if total > limits.max_total_bytes:
            raise H5PPackageError(e.TOO_LARGE, _("The package unpacks to more than %(mb)d MB.")
                                  % {"mb": limits.max_total_bytes // MiB})
        parts = name.split("/")
        if _is_hidden(parts):
            index.ignored.append(name)
            continue
        _check_extension(name, parts)
        try:
            validate_archive_member(name, info, pyh5p_limits)
        except SecurityError as exc:
            raise H5PPackageError(e.UNSAFE_ARCHIVE, _("The package contains an unsafe file: %(path)s")
                                  % {"path": name}, path=name) from exc
        index.files[name] = info
        if len(parts) > 1 and parts[0] != "content":
            index.library_dirs.add(parts[0])
    if total > limits.ratio_min_bytes and total / max(compressed_total, 1) > limits.max_compression_ratio:
        raise H5PPackageError(e.COMPRESSION_RATIO, _("The package is compressed suspiciously well "
                                                     "(a possible ZIP bomb)."))
    _check_file_folder_clash(set(index.files))
    return index


def _check_size(info: zipfile.ZipInfo, limits: H5PLimits) -> None:
    if info.file_size > limits.max_file_bytes:
        raise H5PPackageError(e.TOO_LARGE, _("The file %(path)s is larger than %(mb)d MB.")
                              % {"path": info.filename, "mb": limits.max_file_bytes // MiB},
                              path=info.filename)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.ratio_min_bytes and ratio > limits.max_compression_ratio:
        raise H5PPackageError(e.COMPRESSION_RATIO, _("The file %(path)s is compressed suspiciously "
                                                     "well (a possible ZIP bomb).")
                              % {"path": info.filename}, path=info.filename)


def _check_extension(name: str, parts: list[str]) -> None:
    if name == "h5p.json":
        return
    allowed = LIBRARY_EXTENSIONS if len(parts) > 1 and parts[0] != "content" else CONTENT_EXTENSIONS
    base = parts[-1]
    extension = base.rsplit(".", 1)[1].lower() if "." in base else ""
    if extension not in allowed:
        raise H5PPackageError(e.FILE_TYPE, _("The file %(path)s has a type that H5P packages may not "
                                             "contain.") % {"path": name}, path=name)


def _check_file_folder_clash(files: set[str]) -> None:
    # "a" as a file and "a/b" as another member cannot both be unpacked.
    for name in files:
        parts = name.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent in files:
                raise H5PPackageError(e.DUPLICATE_ENTRY, _("The package contains %(path)s both as a "
                                                           "file and as a folder.") % {"path": parent},
                                      path=parent)


def read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
    """Read one small member (a JSON file) with a byte budget, whatever its header claims."""
    if info.file_size > max_bytes:
        raise H5PPackageError(e.TOO_LARGE, _("The file %(path)s is too large.") % {"path": info.filename},
                              path=info.filename)
    chunks: list[bytes] = []
    size = 0
    with _open_member(archive, info) as source:
        while chunk := _read_chunk(source, info):
            size += len(chunk)
            if size > max_bytes:
                raise H5PPackageError(e.TOO_LARGE, _("The file %(path)s is too large.")
                                      % {"path": info.filename}, path=info.filename)
            chunks.append(chunk)
    return b"".join(chunks)


def copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: IO[bytes], max_bytes: int) -> int:
    """Stream one member into `target` (like shutil.copyfileobj, plus a byte budget). Returns bytes."""
    written = 0
    budget = min(max_bytes, info.file_size)
    with _open_member(archive, info) as source:
        while chunk := _read_chunk(source, info):
            written += len(chunk)
            if written > budget:
                raise H5PPackageError(e.TOO_LARGE, _("The file %(path)s is larger than its archive "
                                                     "entry says.") % {"path": info.filename},
                                      path=info.filename)
            target.write(chunk)
    return written


def _open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    try:
        return archive.open(info)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise _damaged(info) from exc


def _read_chunk(source: IO[bytes], info: zipfile.ZipInfo) -> bytes:
    try:
        return source.read(CHUNK_BYTES)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # bad CRC, truncated data
        raise _damaged(info) from exc


def _damaged(info: zipfile.ZipInfo) -> H5PPackageError:
    return H5PPackageError(e.NOT_ZIP, _("The file %(path)s in the package is damaged.")
                           % {"path": info.filename}, path=info.filename)
