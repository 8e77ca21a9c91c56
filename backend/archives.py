"""Safety checks on an uploaded ZIP archive (H5P and SCORM packages), read from its central
directory without extracting, and streamed copies of its members with a byte budget.

One piece of code per rule, whatever the package kind:
- the upload's own size and the central directory's size and entry count are bounded before
  zipfile builds anything from it (a forged directory of millions of entries costs gigabytes);
- member names: no absolute path (`/x`, `\\x`, `C:`), no `..`, no backslash, NUL, colon, control
  character, empty or `.` part;
- only regular files and folders (no symlink, device or FIFO); no encrypted member;
- no name twice, also when the names differ only in case (a case-insensitive filesystem or
  browser would serve one for the other), and no name both a file and a folder;
- per member and in total: uncompressed size bounds, and a compression-ratio bound (zip bombs)
  above a floor, so small text files that compress very well pass;
- a file-type allow-list, which each package kind decides (`ZipRules.allowed`).

Nothing reads a whole member into memory except `read_bounded` (small files, a byte budget);
members are copied in fixed-size chunks and a member that inflates past what its entry says is
refused. Each package kind supplies its own error class and wording through `ZipRules`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, BinaryIO

from django.utils.translation import gettext as _

from backend.errors import DomainError

MiB = 1024 * 1024
CHUNK_BYTES = 256 * 1024

# Stable rejection codes (clients and tests rely on them; add, never rename).
NOT_ZIP = "not_zip"
TOO_LARGE = "too_large"
TOO_MANY_FILES = "too_many_files"
COMPRESSION_RATIO = "compression_ratio"
PATH_TRAVERSAL = "path_traversal"
ABSOLUTE_PATH = "absolute_path"
UNSAFE_PATH = "unsafe_path"
SYMLINK = "symlink"
DUPLICATE_ENTRY = "duplicate_entry"
FILE_TYPE = "file_type"
UNSAFE_ARCHIVE = "unsafe_archive"

_S_IFMT = 0o170000
_REGULAR, _DIRECTORY = 0o100000, 0o040000


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds on what an upload may make the server read, unpack and store."""

    max_upload_bytes: int = 200 * MiB          # the uploaded file itself
    max_total_bytes: int = 500 * MiB           # sum of uncompressed member sizes
    max_file_bytes: int = 100 * MiB            # one uncompressed member
    max_files: int = 5_000                     # entries in the central directory
    max_central_directory_bytes: int = 4 * MiB
    max_compression_ratio: float = 100.0       # uncompressed / compressed, per member and overall
    ratio_min_bytes: int = 1 * MiB             # small members (JSON, XML) may compress very well


def _default_error(code: str, message: str, path: str | None) -> DomainError:
    return DomainError(message, code=code, fields={"file": [message]})


@dataclass(frozen=True)
class ZipRules:
    """What differs between package kinds: the error raised, the wording of the two messages
    that name the kind, which files are kept, and which file types are allowed.

    - `error(code, message, path)` builds the exception to raise (a DomainError, 4xx);
    - `not_zip_message()` / `file_type_message(path)`: translated at call time;
    - `ignored(parts)`: members skipped without a word (e.g. `__MACOSX/`, `.DS_Store`);
    - `allowed(name, parts)`: the member's type may be in the package;
    - `check_member(name, info)`: an extra per-member check, or None.
    """

    error: Callable[[str, str, str | None], DomainError] = _default_error
    not_zip_message: Callable[[], str] = lambda: _("The file is not a valid ZIP archive.")
    file_type_message: Callable[[str], str] = (
        lambda path: _("The package contains a file of a type that is not allowed: %(path)s")
        % {"path": path})
    ignored: Callable[[list[str]], bool] = lambda parts: False
    allowed: Callable[[str, list[str]], bool] = lambda name, parts: True
    check_member: Callable[[str, zipfile.ZipInfo], None] | None = None


@dataclass
class ArchiveIndex:
    """The members kept (archive paths, POSIX, relative) and those ignored."""

    files: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    total_bytes: int = 0

    def under(self, folder: str) -> list[str]:
        prefix = folder + "/"
        return [name for name in self.files if name.startswith(prefix)]


def extension(name: str) -> str:
    """The lower-cased extension of a member's last part ("" when it has none)."""
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def open_zip(fileobj: BinaryIO, limits: ArchiveLimits, rules: ZipRules) -> zipfile.ZipFile:
    """Open the archive after bounding its size and its central directory."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    if size > limits.max_upload_bytes:
        raise rules.error(TOO_LARGE, _("The package is larger than %(mb)d MB.")
                          % {"mb": limits.max_upload_bytes // MiB}, None)
    _check_end_record(fileobj, limits, rules)
    try:
        return zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise rules.error(NOT_ZIP, rules.not_zip_message(), None) from exc


def _check_end_record(fileobj: BinaryIO, limits: ArchiveLimits, rules: ZipRules) -> None:
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
        raise rules.error(NOT_ZIP, rules.not_zip_message(), None)
    if record[zipfile._ECD_ENTRIES_TOTAL] > limits.max_files:
        raise _too_many_files(limits, rules)
    if record[zipfile._ECD_SIZE] > limits.max_central_directory_bytes:
        raise _too_many_files(limits, rules)


def _too_many_files(limits: ArchiveLimits, rules: ZipRules) -> DomainError:
    return rules.error(TOO_MANY_FILES, _("The package contains more than %(n)d files.")
                       % {"n": limits.max_files}, None)


def path_problem(name: str) -> str | None:
    """The rejection code for an unsafe member name, or None if the name is a safe relative path."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return ABSOLUTE_PATH
    parts = re.split(r"[/\\]", name.rstrip("/"))
    if ".." in parts:
        return PATH_TRAVERSAL
    if "\\" in name or "\x00" in name or ":" in name or any(p in ("", ".") for p in parts):
        return UNSAFE_PATH
    if any(ord(ch) < 32 for ch in name):
        return UNSAFE_PATH
    return None


def path_message(code: str, name: str) -> str:
    if code == ABSOLUTE_PATH:
        return _("The package contains an absolute path: %(path)s") % {"path": name}
    if code == PATH_TRAVERSAL:
        return _("The package contains a path that leaves its folder: %(path)s") % {"path": name}
    return _("The package contains an unsafe file name: %(path)s") % {"path": name}


def scan(archive: zipfile.ZipFile, limits: ArchiveLimits, rules: ZipRules) -> ArchiveIndex:
    """Check every central-directory entry; return the kept members. Raises `rules.error(...)`."""
    infos = archive.infolist()
    if len(infos) > limits.max_files:
        raise _too_many_files(limits, rules)
    index = ArchiveIndex()
    seen: set[str] = set()
    seen_folded: set[str] = set()
    total = compressed_total = 0
    for info in infos:
        name = info.filename
        code = path_problem(name)
        if code:
            raise rules.error(code, path_message(code, name), name)
        mode = (info.external_attr >> 16) & _S_IFMT
        if mode not in (0, _REGULAR, _DIRECTORY):
            raise rules.error(SYMLINK, _("The package contains a link or special file: %(path)s")
                              % {"path": name}, name)
        key = name.rstrip("/")
        if key in seen or key.casefold() in seen_folded:
            raise rules.error(DUPLICATE_ENTRY, _("The package contains %(path)s twice.") % {"path": key},
                              name)
        seen.add(key)
        seen_folded.add(key.casefold())
        if info.flag_bits & 0x1:
            raise rules.error(UNSAFE_ARCHIVE, _("The package contains an encrypted file: %(path)s")
                              % {"path": name}, name)
        if info.is_dir():
            continue
        _check_size(info, limits, rules)
        total += info.file_size
        compressed_total += info.compress_size
        if total > limits.max_total_bytes:
            raise rules.error(TOO_LARGE, _("The package unpacks to more than %(mb)d MB.")
                              % {"mb": limits.max_total_bytes // MiB}, None)
        parts = name.split("/")
        if rules.ignored(parts):
            index.ignored.append(name)
            continue
        if not rules.allowed(name, parts):
            raise rules.error(FILE_TYPE, rules.file_type_message(name), name)
        if rules.check_member is not None:
            rules.check_member(name, info)
        index.files[name] = info
    if total > limits.ratio_min_bytes and total / max(compressed_total, 1) > limits.max_compression_ratio:
        raise rules.error(COMPRESSION_RATIO, _("The package is compressed suspiciously well "
                                               "(a possible ZIP bomb)."), None)
    _check_file_folder_clash(set(index.files), rules)
    index.total_bytes = sum(info.file_size for info in index.files.values())
    return index


def _check_size(info: zipfile.ZipInfo, limits: ArchiveLimits, rules: ZipRules) -> None:
    if info.file_size > limits.max_file_bytes:
        raise rules.error(TOO_LARGE, _("The file %(path)s is larger than %(mb)d MB.")
                          % {"path": info.filename, "mb": limits.max_file_bytes // MiB}, info.filename)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.ratio_min_bytes and ratio > limits.max_compression_ratio:
        raise rules.error(COMPRESSION_RATIO, _("The file %(path)s is compressed suspiciously "
                                               "well (a possible ZIP bomb).") % {"path": info.filename},
                          info.filename)


def _check_file_folder_clash(files: set[str], rules: ZipRules) -> None:
    # "a" as a file and "a/b" as another member cannot both be unpacked.
    for name in files:
        parts = name.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent in files:
                raise rules.error(DUPLICATE_ENTRY, _("The package contains %(path)s both as a "
                                                     "file and as a folder.") % {"path": parent}, parent)


def read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int, rules: ZipRules) -> bytes:
    """Read one small member (a JSON or XML file) with a byte budget, whatever its header claims."""
    if info.file_size > max_bytes:
        raise rules.error(TOO_LARGE, _("The file %(path)s is too large.") % {"path": info.filename},
                          info.filename)
    chunks: list[bytes] = []
    size = 0
    with _open_member(archive, info, rules) as source:
        while chunk := _read_chunk(source, info, rules):
            size += len(chunk)
            if size > max_bytes:
                raise rules.error(TOO_LARGE, _("The file %(path)s is too large.")
                                  % {"path": info.filename}, info.filename)
            chunks.append(chunk)
    return b"".join(chunks)


def copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: IO[bytes], max_bytes: int,
                rules: ZipRules) -> int:
    """Stream one member into `target` (like shutil.copyfileobj, plus a byte budget). Returns bytes."""
    written = 0
    budget = min(max_bytes, info.file_size)
    with _open_member(archive, info, rules) as source:
        while chunk := _read_chunk(source, info, rules):
            written += len(chunk)
            if written > budget:
                raise rules.error(TOO_LARGE, _("The file %(path)s is larger than its archive "
                                               "entry says.") % {"path": info.filename}, info.filename)
            target.write(chunk)
    return written


def _open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, rules: ZipRules) -> IO[bytes]:
    try:
        return archive.open(info)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise _damaged(info, rules) from exc


def _read_chunk(source: IO[bytes], info: zipfile.ZipInfo, rules: ZipRules) -> bytes:
    try:
        return source.read(CHUNK_BYTES)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # bad CRC, truncated data
        raise _damaged(info, rules) from exc


def _damaged(info: zipfile.ZipInfo, rules: ZipRules) -> DomainError:
    return rules.error(NOT_ZIP, _("The file %(path)s in the package is damaged.") % {"path": info.filename},
                       info.filename)
