"""What a checked file says: the common answer of the PDF and the credential checkers.

A checker (the PAdES one for PDFs, the Data Integrity one for Open Badges credentials) first
proves the file is ours and intact, then reads the verification code it carries; the status
itself always comes from the certificate row (`verdict_for_code`), the same source of truth as
the verification page, the API and the status lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    PDF = "pdf", _("PDF certificate")
    CREDENTIAL = "credential", _("Open Badges credential")


class Outcome(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded")
    TAMPERED = "tampered", _("Altered or not signed by us")
    UNKNOWN = "unknown", _("Not a certificate of ours")


@dataclass(frozen=True)
class FileVerdict:
    kind: str  # FileKind
    outcome: str  # Outcome
    code: str = ""  # the verification code the file carries (links to /verify/<code>/)
    serial: str = ""
    holder_name: str = ""
    course: str = ""
    issuer: str = ""
    signed_by: str = ""  # the PDF signer's name, or the credential's verification method
    signed_at: dt.datetime | None = None
    revision: int | None = None  # the revision the file shows, when it tells
    current_revision: int | None = None  # the certificate's revision today
    detail: str = ""  # one translated sentence: why tampered, which key, what changed


def verdict_for_code(*, kind: str, code: str, signed_by: str = "",
                     signed_at: dt.datetime | None = None, revision: int | None = None,
                     valid_until: dt.datetime | None = None, now: dt.datetime | None = None
                     ) -> FileVerdict:
    """An intact file's verdict: the certificate's status today, from its row.

    `valid_until` is the file's own end of validity (a credential's `validUntil`): past it, the
    file reads expired even if the row says otherwise (a renewed certificate's old file).
    """
    from certificates.api import verification_get
    from certificates.expiry import CertificateStatus

    data = verification_get(code)
    if data is None:
        return FileVerdict(kind=kind, outcome=Outcome.UNKNOWN, code=code, signed_by=signed_by,
                           signed_at=signed_at,
                           detail=str(_("The file is signed, but no certificate of ours has its "
                                        "verification code.")))
    from certificates.models import Certificate

    current = Certificate.objects.filter(code=data.code).values_list("revision", flat=True).first()
    outcome = {CertificateStatus.VALID: Outcome.VALID, CertificateStatus.REVOKED: Outcome.REVOKED,
               CertificateStatus.EXPIRED: Outcome.EXPIRED,
               CertificateStatus.SUPERSEDED: Outcome.SUPERSEDED}[data.status]
    if outcome == Outcome.VALID and valid_until is not None:
        from django.utils import timezone

        if (now or timezone.now()) >= valid_until:
            outcome = Outcome.EXPIRED
    return FileVerdict(kind=kind, outcome=outcome, code=data.code, serial=data.serial,
                       holder_name=data.holder_name, course=data.course, issuer=data.issuer,
                       signed_by=signed_by, signed_at=signed_at, revision=revision,
                       current_revision=current)


def tampered(kind: str, detail: str) -> FileVerdict:
    return FileVerdict(kind=kind, outcome=Outcome.TAMPERED, detail=detail)


def unknown(kind: str, detail: str) -> FileVerdict:
    return FileVerdict(kind=kind, outcome=Outcome.UNKNOWN, detail=detail)
