"""Serving private files (lesson attachments and videos, certificate PDFs, ...) after the caller's
access has been checked by the view. Nothing under MEDIA_ROOT is public (decision 0042).

    private_file_response(request, storage=..., name=..., filename=..., inline=None)

sends the stored file `name` as `filename` (the name the user uploaded; only ever shown in
Content-Disposition), with an exact Content-Type from the extension (never sniffed), `nosniff`,
a sandboxing Content-Security-Policy, an ETag, and single byte ranges (video seeking). With
`PRIVATE_MEDIA_ACCEL` = `nginx` or `apache`, the body is left to the web server
(`X-Accel-Redirect` to an `internal` location under `PRIVATE_MEDIA_ACCEL_PREFIX`, or `X-Sendfile`),
which then also answers ranges. Storage names come from `private_name()`: random, so a leaked or
guessed URL pattern gives nothing.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.crypto import salted_hmac

CONTENT_TYPES = {  # by extension; never guessed from the bytes
    "bmp": "image/bmp",
    "css": "text/css; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "diff": "text/plain; charset=utf-8",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "eot": "application/vnd.ms-fontobject",
    "gif": "image/gif",
    "glb": "model/gltf-binary",
    "gltf": "model/gltf+json",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "js": "text/javascript; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "m4a": "audio/mp4",
    "m4v": "video/mp4",
    "md": "text/plain; charset=utf-8",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ogg": "audio/ogg",
    "ogv": "video/ogg",
    "otf": "font/otf",
    "patch": "text/plain; charset=utf-8",
    "pdf": "application/pdf",
    "png": "image/png",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "rtf": "application/rtf",
    "svg": "image/svg+xml",
    "textile": "text/plain; charset=utf-8",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "ttf": "font/ttf",
    "txt": "text/plain; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "wav": "audio/wav",
    "webm": "video/webm",
    "webp": "image/webp",
    "webvtt": "text/vtt; charset=utf-8",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xml": "application/xml",
    "zip": "application/zip",
}
# Shown in the page by default (media, images, PDF); everything else downloads.
INLINE_TYPES = ("video/", "audio/", "image/", "application/pdf")
# A file opened on its own tab may show itself and nothing else may run. PDFs are exempt: the
# browsers' PDF viewers refuse to run inside a sandboxed document.
CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
READ_SIZE = 64 * 1024
_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


# --- names -----------------------------------------------------------------------------------------

def extension(filename: str) -> str:
    """'Kết luận 57.PDF' -> 'pdf' (letters and digits only, else '')."""
    ext = PurePath(filename or "").suffix.lower().lstrip(".")
    return ext if ext.isalnum() and len(ext) <= 10 else ""


def private_name(folder: str, filename: str, *, token: str | None = None) -> str:
    """A storage name nobody can guess: `<folder>/<128 random bits>.<ext>`. The uploaded name is
    not part of it (keep that in a field of its own for Content-Disposition)."""
    ext = extension(filename)
    return f"{folder.rstrip('/')}/{token or secrets.token_hex(16)}" + (f".{ext}" if ext else "")


def stable_token(*parts) -> str:
    """128 bits that no one without SECRET_KEY can compute, the same on every call for the same
    parts: for files rewritten in place under a fixed name (a certificate's PDF per revision)."""
    return salted_hmac("backend.private_media", ":".join(map(str, parts)),
                       algorithm="sha256").hexdigest()[:32]


def content_type_for(filename: str) -> str:
    return CONTENT_TYPES.get(extension(filename), "application/octet-stream")


def ascii_fallback(name: str) -> str:
    """'Nguyễn Thị Học.pdf' -> 'Nguyen Thi Hoc.pdf' for clients that ignore filename*."""
    decomposed = unicodedata.normalize("NFD", name.translate(_EXTRA))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"[^A-Za-z0-9._ -]+", "", plain.encode("ascii", "ignore").decode())
    ext = extension(name)
    return " ".join(plain.split()) or ("download." + ext if ext else "download")


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    """RFC 6266: an ASCII `filename` for old clients plus the exact UTF-8 `filename*`."""
    kind = "attachment" if attachment else "inline"
    filename = re.sub(r"[\x00-\x1f\x7f]+", "", filename)
    fallback = ascii_fallback(filename).replace('"', "")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# --- the response -----------------------------------------------------------------------------------

def byte_range(header: str | None, size: int) -> tuple[int, int] | bool | None:
    """(first, last) for one `Range: bytes=a-b`; None to send the whole file (no or a malformed
    or multi-range header: RFC 9110 lets a server ignore it); False when it cannot be satisfied."""
    match = RANGE.match((header or "").strip())
    if not match or (not match[1] and not match[2]):
        return None
    if match[1]:
        first = int(match[1])
        last = min(int(match[2]), size - 1) if match[2] else size - 1
        if match[2] and int(match[2]) < first:
            return None
    else:  # the last N bytes
        if int(match[2]) == 0:
            return False
        first, last = max(size - int(match[2]), 0), size - 1
    return (first, last) if first <= last and first < size else False


class _Slice:
    """The bytes first..last of an open file, read in chunks (FileResponse streams it)."""

    def __init__(self, handle, first: int, last: int) -> None:
        self.handle, self.remaining = handle, last - first + 1
        handle.seek(first)

    def __iter__(self):
        while self.remaining > 0:
            data = self.handle.read(min(READ_SIZE, self.remaining))
            if not data:
                break
            self.remaining -= len(data)
            yield data

    def close(self) -> None:
        self.handle.close()


def _local_path(storage: Storage, name: str) -> str | None:
    """Only files on the local disk can be handed to the web server; object storage (S3)
    is streamed through Django."""
    return storage.path(name) if isinstance(storage, FileSystemStorage) else None


def _accel_header(storage: Storage, name: str) -> tuple[str, str] | None:
    mode = settings.PRIVATE_MEDIA_ACCEL  # none | nginx | apache (checked in settings)
    path = _local_path(storage, name) if mode != "none" else None
    if path is None:
        return None
    if mode == "apache":
        return "X-Sendfile", path
    root = os.path.realpath(settings.MEDIA_ROOT)
    real = os.path.realpath(path)
    if not real.startswith(root + os.sep):
        return None  # outside the location nginx maps: Django streams it
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX.rstrip("/") + "/"
    return "X-Accel-Redirect", prefix + quote(os.path.relpath(real, root).replace(os.sep, "/"))


def private_file_response(request, *, storage: Storage, name: str, filename: str,
                          content_type: str | None = None, inline: bool | None = None,
                          cache_control: str = "private, no-cache",
                          headers: dict[str, str] | None = None) -> HttpResponseBase:
    """The stored file `name` as `filename`, for a caller whose access the view has checked.
    Http404 when it is missing from storage. GET and HEAD; single byte ranges. `headers` adds to
    or replaces the defaults (e.g. a Content-Security-Policy of the caller's own)."""
    if not name:
        raise Http404
    content_type = content_type or content_type_for(filename)
    if inline is None:
        inline = content_type.startswith(INLINE_TYPES)
    try:
        size = storage.size(name)
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    etag = f'"{stable_token(name, size)[:20]}"'
    defaults = {
        "Content-Type": content_type,
        "Content-Disposition": content_disposition(filename, attachment=not inline),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": cache_control,
        "ETag": etag,
        "Accept-Ranges": "bytes",
    }
    if not content_type.startswith("application/pdf"):
        defaults["Content-Security-Policy"] = CSP
    headers = {**defaults, **(headers or {})}
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        for key in ("Cache-Control", "ETag"):
            not_modified[key] = headers[key]
        return not_modified

    accel = _accel_header(storage, name)
    if accel is not None:  # the web server sends the body (and answers Range itself)
        response = HttpResponse(b"", content_type=content_type)
        response[accel[0]] = accel[1]
        return _with(response, headers)

    wanted = byte_range(request.headers.get("Range"), size)
    if request.headers.get("If-Range") not in (None, etag):
        wanted = None  # the file changed since the client's partial copy: send it whole
    if wanted is False:
        response = HttpResponse(status=416, content_type=content_type)
        response["Content-Range"] = f"bytes */{size}"
        return _with(response, headers)
    first, last = wanted or (0, size - 1)
    if request.method == "HEAD":
        response = HttpResponse(b"", content_type=content_type, status=206 if wanted else 200)
    else:
        handle = storage.open(name, "rb")
        body = _Slice(handle, first, last) if wanted else handle
        response = FileResponse(body, content_type=content_type, status=206 if wanted else 200)
    response["Content-Length"] = str(max(last - first + 1, 0))
    if wanted:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return _with(response, headers)


def _with(response: HttpResponseBase, headers: dict) -> HttpResponseBase:
    for key, value in headers.items():
        response[key] = value
    return response
