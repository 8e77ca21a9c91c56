"""Sign a rendered certificate PDF: PAdES B-B, or B-LT when a timestamp authority is configured.

The verification code and serial go into the document information dictionary (custom keys
/TTDNVerificationCode, /TTDNSerial) in the same revision the signature covers, so the checker
reads them from signed bytes, never from anything added later.
"""

from __future__ import annotations

import functools
import io

from django.conf import settings

from certificates.pades.identity import identity_for, trust_roots
from certificates.pades.stamp import blank_style
from certificates.pdf import SIGNATURE_BOX

FIELD = "ChuKySo"  # the signature field's name ("digital signature")
CODE_KEY = "/TTDNVerificationCode"
SERIAL_KEY = "/TTDNSerial"
# Room for the CMS blob: an ECDSA signature + signer and chain certificates fits in 8 KiB;
# a timestamp token with its TSA chain needs more. Fixed, so pyHanko need not sign twice to
# estimate it.
RESERVED_BB = 8192
RESERVED_TS = 24576


def signing_enabled() -> bool:
    return bool(settings.CERTIFICATES_SIGN_PDFS)


@functools.lru_cache(maxsize=4)
def _timestamper(url: str):
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=10)


def _validation_context():
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=list(trust_roots()), allow_fetching=False,
                             revocation_mode="soft-fail")


def sign_pdf(data: bytes, *, code: str, serial: str, unit_code: str = "", language: str = "vi") -> bytes:
    """The PDF `data` (drawn with the signature block for `identity_for(unit_code)`) signed."""
    from pyhanko.pdf_utils.generic import NameObject, pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    identity = identity_for(unit_code)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    info = writer.trailer["/Info"]
    info[NameObject(CODE_KEY)] = pdf_string(code)
    info[NameObject(SERIAL_KEY)] = pdf_string(serial)
    writer.update_container(info)
    tsa = getattr(settings, "CERTIFICATES_TSA_URL", "")
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        name=identity.name, location=None,
        reason="Chứng nhận hoàn thành khóa bồi dưỡng" if language == "vi" else "Certificate of completion",
        embed_validation_info=bool(tsa), validation_context=_validation_context() if tsa else None)
    pdf_signer = signers.PdfSigner(
        meta, signer=identity.signer, timestamper=_timestamper(tsa) if tsa else None,
        stamp_style=blank_style(),
        new_field_spec=fields.SigFieldSpec(FIELD, box=SIGNATURE_BOX, on_page=0))
    out = pdf_signer.sign_pdf(writer, bytes_reserved=RESERVED_TS if tsa else RESERVED_BB)
    return out.getvalue()
