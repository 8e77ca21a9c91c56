"""Download helpers: safe file names and a ZIP archive streamed entry by entry. Pure.
(Content-Disposition lives with every other private-file header in backend.private_media.)"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

READ_SIZE = 64 * 1024


def safe_name(name: str) -> str:
    """Keep Vietnamese letters, drop path separators and control characters."""
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[\x00-\x1f/\\:*?\"<>|]+", "-", name)
    return " ".join(name.split())[:150] or "certificate"


class _Sink:
    """A write-only, unseekable target: zipfile then writes data descriptors and never seeks
    back, so each entry can leave the process as soon as it is written."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def stream_zip(entries: Iterable[tuple[str, Callable[[], BinaryIO]]]) -> Iterator[bytes]:
    """Yield a ZIP archive of (name, opener) entries piece by piece; memory stays at one read
    buffer whatever the number of files. PDFs are already compressed: entries are stored."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, opener in entries:
            with opener() as source, archive.open(name, "w", force_zip64=False) as target:
                while chunk := source.read(READ_SIZE):
                    target.write(chunk)
                    data = sink.take()
                    if data:
                        yield data
            data = sink.take()
            if data:
                yield data
    yield sink.take()
