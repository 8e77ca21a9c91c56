"""From a Certificate row to its PDF file: content, drawing, an idempotent write.

The file name is fixed by (certificate, revision), so a retried or duplicated render overwrites
the same file instead of adding another, and the row is marked rendered only after the file is
complete and only if no re-issue bumped the revision meanwhile.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models import F
from django.utils import timezone

from backend.accounts.api import organisation_get
from backend.private_media import stable_token
from certificates.models import Certificate, CertificateTemplate, RenderStatus
from certificates.pades.identity import identity_for
from certificates.pades.signer import sign_pdf, signing_enabled
from certificates.pdf import CertificateContent, render_certificate

REVOKED_NOTE = {"vi": "ĐÃ THU HỒI", "en": "REVOKED"}
MAX_ERROR = 2000


def verify_url(code: str) -> str:
    return f"{settings.SITE_URL}/verify/{code}/"


def pdf_name(certificate: Certificate, revision: int | None = None) -> str:
    """Fixed per (certificate, revision), so a retried render overwrites its own file, and
    unguessable (a keyed hash, decision 0042): PDFs are served only by the access-checked view."""
    revision = revision or certificate.revision
    token = stable_token("certificate-pdf", certificate.pk, revision)
    return f"certificates/{certificate.issued_at.year}/{token}.pdf"


def template_layout(template: CertificateTemplate, *, holder_unit: str = "") -> dict:
    """What the printed page takes from the template, frozen into the certificate."""
    return {
        "template_id": template.pk,
        "issuer_name": template.issuer_name,
        "parent_issuer_name": template.parent_issuer_name,
        "place": template.place,
        "signer_title": template.signer_title,
        "signer_name": template.signer_name,
        "wording": template.wording,
        "language": template.language,
        "course_hours": str(template.course_hours) if template.course_hours is not None else None,
        "holder_unit": holder_unit,
    }


def content_for(certificate: Certificate, images: tuple[bytes | None, bytes | None] = (None, None),
                *, stamp: bool = False, signer_name: str = "") -> CertificateContent:
    layout = certificate.layout
    language = layout.get("language") or "vi"
    issued_on = timezone.localtime(certificate.issued_at).date()
    completed = certificate.completed_at or certificate.issued_at
    hours = layout.get("course_hours")
    signature, seal = images
    return CertificateContent(
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        completion_date=timezone.localtime(completed).date(),
        issued_on=issued_on,
        serial=certificate.serial,
        verify_url=verify_url(certificate.code),
        issuer_name=layout.get("issuer_name") or certificate.issuer_name,
        parent_issuer_name=layout.get("parent_issuer_name", ""),
        place=layout.get("place", ""),
        signer_title=layout.get("signer_title", ""),
        signer_name=layout.get("signer_name", ""),
        wording=layout.get("wording", ""),
        course_hours=Decimal(hours) if hours else None,
        holder_unit=layout.get("holder_unit", ""),
        signature_image=signature,
        seal_image=seal,
        language=language,
        valid_until=certificate.expires_at,
        status_note=REVOKED_NOTE.get(language, "REVOKED") if stamp else "",
        digital_signer=signer_name,
        digitally_signed_on=timezone.localdate() if signer_name else None,
    )


class ImageCache:
    """Signature and seal bytes per template, read once per batch (they repeat on every page)."""

    def __init__(self) -> None:
        self._images: dict[int | None, tuple[bytes | None, bytes | None]] = {None: (None, None)}

    def get(self, template_id: int | None) -> tuple[bytes | None, bytes | None]:
        if template_id not in self._images:
            row = (CertificateTemplate.objects.filter(pk=template_id)
                   .values_list("signature_image", "seal_image").first())
            self._images[template_id] = tuple(bytes(v) if v else None for v in (row or (None, None)))
        return self._images[template_id]


@functools.lru_cache(maxsize=1024)
def unit_code(organisation_id: int) -> str:
    """The issuing unit's code, naming its signing folder (cached: codes do not change)."""
    unit = organisation_get(organisation_id)
    return unit.code if unit else ""


def render_bytes(certificate: Certificate, images: ImageCache | None = None, *,
                 stamp: bool = False, sign: bool | None = None) -> bytes:
    """The certificate's PDF, PAdES-signed by its issuing unit unless signing is off.

    A revoked copy (stamp) is stamped first and then signed: its signature is valid for what it
    is, a stamped copy. `sign=False` gives the unsigned page (the benchmark's baseline).
    """
    template_id = certificate.layout.get("template_id")
    sign = signing_enabled() if sign is None else sign
    code = unit_code(certificate.serial_book_id) if sign else ""
    signer_name = identity_for(code).name if sign else ""
    data = render_certificate(content_for(certificate, (images or ImageCache()).get(template_id),
                                          stamp=stamp, signer_name=signer_name))
    if not sign:
        return data
    return sign_pdf(data, code=certificate.code, serial=certificate.serial, unit_code=code,
                    language=certificate.layout.get("language") or "vi")


def write_pdf(certificate: Certificate, data: bytes, revision: int) -> str:
    """Store the PDF under its fixed name, replacing whatever an earlier attempt left there.

    On local disk the bytes go to a temporary file that is then renamed over the final name
    (atomic on POSIX): a reader never sees half a file, and two workers rendering the same
    certificate at once both end with the one name, never a renamed copy. Object stores (S3)
    replace a key atomically, so there the file is deleted and saved again.
    """
    storage = Certificate._meta.get_field("pdf").storage
    name = pdf_name(certificate, revision)
    if isinstance(storage, FileSystemStorage):
        path = Path(storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pdf-", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(data))


def mark_rendered(certificate_id: int, revision: int, name: str) -> bool:
    """Point the row at its file, unless a re-issue moved it to a newer revision meanwhile."""
    return bool(Certificate.objects.filter(pk=certificate_id, revision=revision).update(
        pdf=name, pdf_revision=revision, render_status=RenderStatus.RENDERED, last_error="",
        updated_at=timezone.now()))


def mark_failed(certificate_id: int, error: str, *, final: bool) -> None:
    Certificate.objects.filter(pk=certificate_id).exclude(render_status=RenderStatus.RENDERED).update(
        render_status=RenderStatus.FAILED if final else RenderStatus.PENDING,
        render_attempts=F("render_attempts") + 1, last_error=error[:MAX_ERROR],
        updated_at=timezone.now())


def needs_render(certificate: Certificate) -> bool:
    if certificate.render_status != RenderStatus.RENDERED or not certificate.pdf_ready:
        return True
    return not Certificate._meta.get_field("pdf").storage.exists(certificate.pdf.name)


def draw_and_write(certificate: Certificate, images: ImageCache | None = None) -> tuple[int, str] | None:
    """Draw and store the current revision's PDF unless it is already there. Returns
    (revision, file name) for `mark_rendered`, or None when there was nothing to do."""
    if not needs_render(certificate):
        return None
    revision = certificate.revision
    return revision, write_pdf(certificate, render_bytes(certificate, images), revision)


def render_one(certificate: Certificate, images: ImageCache | None = None) -> bool:
    """Draw, store and mark one certificate. True if a file was written and recorded."""
    written = draw_and_write(certificate, images)
    return written is not None and mark_rendered(certificate.pk, *written)


def certificates_pending_render(ids: Iterable[int]) -> list[Certificate]:
    return list(Certificate.objects.filter(pk__in=list(ids)).order_by("pk"))
