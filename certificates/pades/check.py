""""Verify this file" for PDFs: prove the signature intact, trusted and covering the document,
then read the verification code from the signed revision and ask the certificate row.

The input is hostile (anyone may upload anything): every parse or validation error becomes a
verdict with a sentence, never an exception; size, revisions and signatures are bounded before
pyHanko does any real work; revocation is checked soft-fail with no network fetching (the
checker must not make outbound calls on a stranger's behalf).

Coverage rule (decision 0067): the signature must cover the entire file, or its entire revision
with only the additions pyHanko's diff analysis classes as long-term-validation updates (a DSS,
a document timestamp) after it. Anything else read as "partly signed".
"""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.utils.translation import gettext as _

from certificates.pades.identity import trust_roots
from certificates.pades.signer import CODE_KEY, FIELD, SERIAL_KEY
from certificates.verdicts import FileKind, FileVerdict, tampered, unknown, verdict_for_code

MAX_BYTES = 20 * 1024 * 1024
MAX_REVISIONS = 8
MAX_SIGNATURES = 4
log = logging.getLogger(__name__)


def _validation_context():
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=list(trust_roots()), allow_fetching=False,
                             revocation_mode="soft-fail")


def _text(value) -> str:
    try:
        return str(value)[:200] if value is not None else ""
    except Exception:
        return ""


def _signed_info(reader, signature) -> tuple[str, str]:
    """Verification code and serial as the signed revision has them (not any later revision)."""
    info = reader.get_historical_resolver(signature.signed_revision).trailer_view.get("/Info")
    info = info.get_object() if info is not None else {}
    return _text(info.get(CODE_KEY)), _text(info.get(SERIAL_KEY))


def _signing_time(status) -> dt.datetime | None:
    if status.timestamp_validity is not None:
        return status.timestamp_validity.timestamp
    return status.signer_reported_dt


def check_pdf_bytes(data: bytes) -> FileVerdict:
    kind = FileKind.PDF
    if len(data) > MAX_BYTES:
        return unknown(kind, _("The file is too large to be one of our certificates."))
    if b"%PDF-" not in data[:1024]:
        return unknown(kind, _("The file is not a PDF."))
    try:
        return _check(data)
    except Exception:
        log.info("PDF check failed on a malformed file", exc_info=True)
        return unknown(kind, _("The PDF could not be read: it is damaged or not a certificate of ours."))


def _check(data: bytes) -> FileVerdict:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature

    kind = FileKind.PDF
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    if reader.xrefs.total_revisions > MAX_REVISIONS:
        return tampered(kind, _("The PDF was changed many times after it was made."))
    signatures = reader.embedded_signatures
    if not signatures:
        return tampered(kind, _("The PDF carries no digital signature: it is not an original "
                                "certificate file from us."))
    if len(signatures) > MAX_SIGNATURES:
        return tampered(kind, _("The PDF carries more signatures than our certificates have."))
    ours = [s for s in signatures if s.field_name == FIELD] or signatures
    signature = ours[0]
    status = validate_pdf_signature(signature, signer_validation_context=_validation_context())
    if not status.intact:
        return tampered(kind, _("The file was changed after it was signed: its content no longer "
                                "matches the digital signature."))
    if not status.valid:
        return tampered(kind, _("The digital signature is broken: it does not match its "
                                "certificate."))
    if not status.trusted:
        return tampered(kind, _("The file is signed, but not by a certificate this platform "
                                "trusts."))
    level = status.modification_level
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and level is not None and level <= ModificationLevel.LTA_UPDATES)
    if not whole:
        return tampered(kind, _("Only part of the file is signed: something was added or changed "
                                "after signing."))
    code, _serial = _signed_info(reader, signature)
    if not code:
        return unknown(kind, _("The PDF is signed by a trusted certificate, but it carries no "
                               "verification code of ours."))
    subject = status.signing_cert.subject.native
    return verdict_for_code(kind=kind, code=code, signed_by=subject.get("common_name", ""),
                            signed_at=_signing_time(status))
