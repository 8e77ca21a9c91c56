"""Verify this file: what kind of file a person dropped, whether it is small enough, and which
checker answers for it (docs/decisions/0068-reinstatement-and-file-checks.md).

The type is told by content, never by the file's name or the browser's content type: `%PDF-`
in the first kilobyte goes to the PAdES checker, a JSON object to the Open Badges credential
checker, anything else is refused (`unsupported_file`, naming the field `file`). The checkers
(`certificates.pades.check`, `certificates.credentials.check`) prove the file intact and ours,
then take the status from the certificate row (`certificates.verdicts.verdict_for_code`).

Uploaded bytes are hostile until proven otherwise: whatever a checker raises becomes an
`unknown` verdict with a sentence (and a log line without the bytes), never a 5xx. Nothing here
stores the file (the upload stays in memory: certificates.file_uploads).
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from backend.errors import DomainError
from certificates.verdicts import FileKind, FileVerdict, Outcome, unknown

logger = logging.getLogger(__name__)

FIELD = "file"
# Entry points agreed with the checkers' authors (helper brief, "Shared contract").
CHECKERS = {
    FileKind.PDF: "certificates.pades.check.check_pdf_bytes",
    FileKind.CREDENTIAL: "certificates.credentials.check.check_credential_bytes",
}
# Acrobat accepts a header anywhere in the first 1024 bytes; so do we (some tools prepend junk).
PDF_MAGIC = b"%PDF-"
PDF_HEADER_WINDOW = 1024
UTF8_BOM = b"\xef\xbb\xbf"
JSON_WHITESPACE = b" \t\r\n"
# First byte of any JSON text (RFC 8259): object, array, string, number, true/false/null.
JSON_FIRST_BYTES = frozenset(b'{["-0123456789tfn')


class FileRefused(DomainError):
    """The upload is not something we check; the message names what to do, on field `file`."""

    def __init__(self, message: str, *, code: str, status: int = 400) -> None:
        super().__init__(message, code=code, status=status, fields={FIELD: message})


def max_bytes(kind: str) -> int:
    if kind == FileKind.PDF:
        return settings.CERTIFICATES_VERIFY_FILE_MAX_PDF_BYTES
    return settings.CERTIFICATES_VERIFY_FILE_MAX_JSON_BYTES


def max_upload_bytes() -> int:
    """The most any upload may carry before its type is known."""
    return max(max_bytes(FileKind.PDF), max_bytes(FileKind.CREDENTIAL))


def too_large() -> FileRefused:
    return FileRefused(
        _("The file is too large: a PDF may have at most %(pdf)s, a credential (JSON) at most "
          "%(json)s.") % {"pdf": filesizeformat(max_bytes(FileKind.PDF)),
                          "json": filesizeformat(max_bytes(FileKind.CREDENTIAL))},
        code="file_too_large", status=413)


def no_file() -> FileRefused:
    return FileRefused(_("Choose the file to check."), code="no_file")


def _json_text(data: bytes) -> bytes:
    return (data[len(UTF8_BOM):] if data.startswith(UTF8_BOM) else data).lstrip(JSON_WHITESPACE)


def file_kind(data: bytes) -> str:
    """PDF or credential, from the first bytes only (cheap: before the size is judged)."""
    if not data:
        raise FileRefused(_("The file is empty."), code="empty_file")
    if PDF_MAGIC in data[:PDF_HEADER_WINDOW]:
        return FileKind.PDF
    text = _json_text(data)
    if text[:1] and text[0] in JSON_FIRST_BYTES:
        return FileKind.CREDENTIAL
    raise FileRefused(_("This file is neither a PDF nor a JSON file. Choose the certificate's PDF "
                        "or its Open Badges credential (a .json file)."), code="unsupported_file")


def _ensure_json_object(data: bytes) -> None:
    try:
        parsed = json.loads(_json_text(data).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        # ValueError covers broken JSON and numbers too long to read; RecursionError, nesting
        # deep enough to exhaust the parser.
        raise FileRefused(_("This file is not valid JSON, so it cannot be an Open Badges "
                            "credential. Choose the file exactly as it was downloaded."),
                          code="unsupported_file") from None
    if not isinstance(parsed, dict):
        raise FileRefused(_("This JSON file is not an Open Badges credential (a credential is a "
                            "JSON object)."), code="unsupported_file")


def check_file(data: bytes) -> FileVerdict:
    """The verdict on an uploaded file; FileRefused when it is not one we check."""
    kind = file_kind(data)
    if len(data) > max_bytes(kind):
        raise too_large()
    if kind == FileKind.CREDENTIAL:
        _ensure_json_object(data)
    return _run_checker(kind, data)


def _run_checker(kind: str, data: bytes) -> FileVerdict:
    path = CHECKERS[kind]
    try:
        checker = import_string(path)
    except Exception:
        logger.exception("verify file: the %s checker %s cannot be loaded", kind, path)
        return unknown(kind, _("This kind of file cannot be checked on this server at the moment. "
                               "Use the verification code printed on the certificate instead."))
    try:
        verdict = checker(data)
    except Exception:
        logger.exception("verify file: the %s checker failed on a file of %d bytes", kind, len(data))
        return unknown(kind, _("The file could not be read as a certificate of ours: it may be "
                               "damaged, or made by someone else."))
    if not isinstance(verdict, FileVerdict) or verdict.outcome not in Outcome.values \
            or verdict.kind not in FileKind.values:
        logger.error("verify file: the %s checker answered %r, not a FileVerdict we can show",
                     kind, type(verdict).__name__)
        return unknown(kind, _("The file could not be read as a certificate of ours: it may be "
                               "damaged, or made by someone else."))
    return verdict
