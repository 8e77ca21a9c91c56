"""The public face of certificates for frontend: what a verification code tells anyone, the
learner's certificate of a course, and what the certificate pages need.

The web pages (`frontend`) reach this app only through this module, which also re-exports
for them the selectors, services, enumerations and, for querysets and forms, the model
classes they use (docs/decisions/0060-what-frontend-may-import.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from certificates.bulk import COUNTS as BULK_ISSUE_COUNTS
from certificates.bulk import JOB_KIND as BULK_ISSUE_JOB_KIND
from certificates.bulk import bulk_issue_start
from certificates.codes import normalise_code
from certificates.dashboard import certificate_figures, recent_certificates, renewals_due
from certificates.data import VerificationData
from certificates.expiry import CertificateStatus
from certificates.file_checks import FileRefused, check_file, max_bytes
from certificates.file_checks import too_large as file_too_large
from certificates.file_uploads import body_too_large, uploaded_bytes, use_memory_only_upload
from certificates.models import Certificate, CertificateTemplate, RenderStatus
from certificates.rendering import verify_url
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
from certificates.rest.throttles import verification_allowed
from certificates.selectors import (
    admin_paths,
    certificate_by_code,
    certificates_visible_to,
    is_admin_over,
    templates_visible_to,
)
from certificates.services import MAX_IMAGE_BYTES as TEMPLATE_MAX_IMAGE_BYTES
from certificates.services import (
    certificate_reinstate,
    certificate_reissue,
    certificate_retry_render,
    certificate_revoke,
    ensure_manageable_course,
    template_create,
    template_update,
)
from certificates.verdicts import FileKind, FileVerdict, Outcome

__all__ = [
    "BULK_ISSUE_COUNTS",
    "BULK_ISSUE_JOB_KIND",
    "RENEWAL_ROUTE",
    "TEMPLATE_MAX_IMAGE_BYTES",
    "Certificate",
    "CertificateStatus",
    "CertificateTemplate",
    "FileKind",
    "FileRefused",
    "FileVerdict",
    "LearnerCertificate",
    "Outcome",
    "RenderStatus",
    "RenewalOffer",
    "VerificationData",
    "admin_paths",
    "body_too_large",
    "bulk_issue_start",
    "certificate_figures",
    "certificate_reinstate",
    "certificate_reissue",
    "certificate_renewal_start",
    "certificate_retry_render",
    "certificate_revoke",
    "certificates_visible_to",
    "check_file",
    "ensure_manageable_course",
    "expiring_certificates",
    "file_too_large",
    "is_admin_over",
    "learner_certificate",
    "max_bytes",
    "normalise_code",
    "recent_certificates",
    "renewal_offer",
    "renewal_url",
    "renewals_due",
    "renewals_for_course",
    "template_create",
    "template_update",
    "templates_by_course",
    "templates_visible_to",
    "uploaded_bytes",
    "use_memory_only_upload",
    "verification_allowed",
    "verification_get",
    "verify_url",
]


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
    revoked = status == CertificateStatus.REVOKED
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
        renews_serial=previous[0] if previous else "", renews_code=previous[1] if previous else "",
        reinstated_at=None if revoked else certificate.reinstated_at,
        reinstatement_reason="" if revoked else certificate.reinstated_reason,
        **_status_entry(certificate))


def _status_entry(certificate: Certificate) -> dict:
    if certificate.status_list_id is None:
        return {}
    from certificates.credentials.store import status_list_url
    from certificates.models import CredentialStatusList

    found = CredentialStatusList.objects.filter(pk=certificate.status_list_id).values_list(
        "organisation_id", "number").first()
    if found is None:
        return {}
    return {"status_list_credential": status_list_url(*found),
            "status_list_index": certificate.status_index}
