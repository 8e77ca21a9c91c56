"""The public face of certificates for frontend: what a verification code tells anyone."""

from __future__ import annotations

from dataclasses import dataclass

from certificates.data import VerificationData
from certificates.models import Certificate, RenderStatus
from certificates.renewals import (
    RENEWAL_ROUTE,
    RenewalOffer,
    certificate_renewal_start,
    expiring_certificates,
    renewal_offer,
    renewal_url,
    renewals_for_course,
    templates_by_course,
)
from certificates.selectors import certificate_by_code

__all__ = ["RENEWAL_ROUTE", "LearnerCertificate", "RenewalOffer", "VerificationData",
           "certificate_renewal_start", "expiring_certificates", "learner_certificate",
           "renewal_offer", "renewal_url", "renewals_for_course", "templates_by_course",
           "verification_get"]


@dataclass(frozen=True)
class LearnerCertificate:
    id: int
    pdf_ready: bool  # False while its PDF is still being generated (or failed and is retried)


def learner_certificate(*, user_id: int, course_id: int) -> LearnerCertificate | None:
    """The learner's current (not revoked) certificate of a course, for the "course complete"
    message; None when none is issued (yet)."""
    row = (Certificate.objects.filter(user_id=user_id, course_id=course_id, revoked_at__isnull=True)
           .order_by("-issued_at", "-pk").values_list("pk", "render_status").first())
    return LearnerCertificate(id=row[0], pdf_ready=row[1] == RenderStatus.RENDERED) if row else None


def verification_get(user_input: str | None) -> VerificationData | None:
    """None for malformed and unknown codes alike (callers answer both with the same 404)."""
    certificate = certificate_by_code(user_input)
    if certificate is None:
        return None
    status = certificate.status
    revoked = status == "revoked"
    successor = (Certificate.objects.filter(renews_id=certificate.pk).values_list("serial", "code")
                 .first() if certificate.superseded_at else None)
    previous = (Certificate.objects.filter(pk=certificate.renews_id).values_list("serial", "code")
                .first() if certificate.renews_id else None)
    return VerificationData(
        code=certificate.code, serial=certificate.serial, status=status,
        holder_name=certificate.holder_name, course=certificate.course_title,
        issuer=certificate.issuer_name, issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        revoked_at=certificate.revoked_at if revoked else None,
        revocation_reason=certificate.revoked_reason if revoked else "",
        superseded_at=certificate.superseded_at if successor else None,
        superseded_by_serial=successor[0] if successor else "",
        superseded_by_code=successor[1] if successor else "",
        renews_serial=previous[0] if previous else "", renews_code=previous[1] if previous else "")
