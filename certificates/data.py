"""Frozen values certificates hands out (to frontend pages and the public verification)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class VerificationData:
    """What anyone holding the code may learn: no e-mail, no unit, no user id."""

    code: str
    serial: str
    status: str  # valid | revoked | expired
    holder_name: str
    course: str
    issuer: str
    issued_at: dt.datetime
    expires_at: dt.date | None
    revoked_at: dt.datetime | None
    revocation_reason: str
