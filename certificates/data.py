"""Frozen values certificates hands out (to frontend pages and the public verification)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class VerificationData:
    """What anyone holding the code may learn: no e-mail, no unit, no user id."""

    code: str
    serial: str
    status: str  # valid | revoked | superseded | expired
    holder_name: str
    course: str
    issuer: str
    issued_at: dt.datetime
    expires_at: dt.date | None
    revoked_at: dt.datetime | None
    revocation_reason: str
    # Recertification: the certificate that replaced this one (status "superseded"), and the one
    # this one renews; serial and code only (their own pages tell the rest).
    superseded_at: dt.datetime | None = None
    superseded_by_serial: str = ""
    superseded_by_code: str = ""
    renews_serial: str = ""
    renews_code: str = ""
    # Where a verifier reads the revocation bit of its Open Badges credential (decision 0066).
    status_list_credential: str = ""
    status_list_index: int | None = None
    # A revocation undone by an administrator (decision 0068): when and why, public.
    reinstated_at: dt.datetime | None = None
    reinstatement_reason: str = ""
