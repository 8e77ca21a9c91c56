"""The "verify this file" upload, kept in memory and bounded: a checked file is never stored.

Django's default handlers write any upload above FILE_UPLOAD_MAX_MEMORY_SIZE (2 MB) to a
temporary file; a verifier's file must not touch the disk at all, and must stop being read past
the largest size we check. `MemoryOnlyUpload` replaces the handlers for that one request: it
keeps the first part named `file` in memory up to the limit, skips every other file part, and
remembers when a file was too large (Django then simply leaves it out of FILES).
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from certificates.file_checks import FIELD, FileRefused, max_upload_bytes, no_file, too_large

# What multipart framing (boundaries, headers, a CSRF token) may add around the file itself.
MULTIPART_SLACK = 64 * 1024


class MemoryOnlyUpload(FileUploadHandler):
    def __init__(self, request=None, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = max_upload_bytes() if limit is None else limit
        self.too_large = False
        self._buffer: io.BytesIO | None = None
        self._taken = False

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        if field_name != FIELD or self._taken:
            self._buffer = None
            raise SkipFile
        self._taken = True
        self._buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if self._buffer is None:
            return None
        if self._buffer.tell() + len(raw_data) > self.limit:
            self.too_large = True
            self._buffer = None
            raise SkipFile
        self._buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self._buffer is None:
            return None
        self._buffer.seek(0)
        return InMemoryUploadedFile(self._buffer, self.field_name, self.file_name,
                                    self.content_type, file_size, self.charset,
                                    self.content_type_extra)


def body_too_large(request) -> bool:
    """Refuse before reading when the declared body is bigger than any file we check."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return declared > max_upload_bytes() + MULTIPART_SLACK


def use_memory_only_upload(request) -> MemoryOnlyUpload:
    """Install the handler; call before anything reads request.POST or request.FILES."""
    handler = MemoryOnlyUpload(request)
    request.upload_handlers = [handler]
    return handler


def uploaded_bytes(files, handler: MemoryOnlyUpload) -> bytes:
    """The bytes of the uploaded `file`, or FileRefused (none sent, or too large)."""
    if handler.too_large:
        raise too_large()
    upload = files.get(FIELD)
    if upload is None:
        raise no_file()
    return upload.read()


__all__ = ["FileRefused", "MemoryOnlyUpload", "body_too_large", "uploaded_bytes",
           "use_memory_only_upload"]
