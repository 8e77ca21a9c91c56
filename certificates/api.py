"""The public face of certificates for frontend: what a verification code tells anyone."""

from __future__ import annotations

from certificates.data import VerificationData
from certificates.selectors import certificate_by_code

__all__ = ["VerificationData", "verification_get"]


def verification_get(user_input: str | None) -> VerificationData | None:
    """None for malformed and unknown codes alike (callers answer both with the same 404)."""
    certificate = certificate_by_code(user_input)
    if certificate is None:
        return None
    status = certificate.status
    revoked = status == "revoked"
    return VerificationData(
        code=certificate.code, serial=certificate.serial, status=status,
        holder_name=certificate.holder_name, course=certificate.course_title,
        issuer=certificate.issuer_name, issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        revoked_at=certificate.revoked_at if revoked else None,
        revocation_reason=certificate.revoked_reason if revoked else "")
