"""The identity of a library's bytes: what makes two stored library folders the same or not.

A library folder is named `<MachineName>-<major>.<minor>.<patch>-<digest>`, where the digest is
SHA-256 over every file's relative path and SHA-256, in path order. Identical bytes give the same
folder (shared by every content that brings them); any other byte gives another folder beside it.

32 hex characters (128 bits) are kept, not 16: with 64 bits a crafted pair of libraries with the
same digest costs about 2^32 hashes (a birthday search), and then a harmless-looking package on
the Hub could be answered on this site by a hostile twin stored earlier.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

DIGEST_CHARS = 32
CHUNK_BYTES = 256 * 1024


class FileHasher:
    """A write-only file object that hashes what is written to it (and may pass it on)."""

    def __init__(self, target=None) -> None:
        self._hash = hashlib.sha256()
        self._target = target

    def write(self, chunk: bytes) -> int:
        self._hash.update(chunk)
        if self._target is not None:
            self._target.write(chunk)
        return len(chunk)

    def digest(self) -> bytes:
        return self._hash.digest()


def library_digest(files: Iterable[tuple[str, bytes]]) -> str:
    """Digest of (relative POSIX path, SHA-256 of the file) pairs, whatever order they come in."""
    combined = hashlib.sha256()
    for path, file_sha256 in sorted(files):
        combined.update(path.encode("utf-8") + b"\0" + file_sha256 + b"\n")
    return combined.hexdigest()[:DIGEST_CHARS]


def folder_digest(folder: Path) -> str:
    """The digest of a library folder already on disk (every regular file, links not followed)."""
    files = []
    for directory, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue
            hasher = FileHasher()
            with open(path, "rb") as handle:
                while chunk := handle.read(CHUNK_BYTES):
                    hasher.write(chunk)
            files.append((path.relative_to(folder).as_posix(), hasher.digest()))
    return library_digest(files)
