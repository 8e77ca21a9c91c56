"""Certificate status and expiry rules. Pure: callers pass `now` (aware, in local time)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    """Computed from `revoked_at`, `superseded_at` and `expires_at`, never stored; published by
    `certificates.api`."""

    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar month arithmetic clamped to the month's end: Jan 31 + 1 month = Feb 28/29."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def expiry_date(issued_on: dt.date, validity_months: int | None) -> dt.date | None:
    """Last day on which the certificate is valid, or None when it never expires."""
    if validity_months is None:
        return None
    if validity_months <= 0:
        raise ValueError("validity_months must be positive (or None for no expiry).")
    return add_months(issued_on, validity_months)


def certificate_status(
    revoked_at: dt.datetime | None,
    expires_at: dt.date | dt.datetime | None,
    now: dt.datetime,
    superseded_at: dt.datetime | None = None,
) -> CertificateStatus:
    """revoked > superseded > expired > valid (docs/decisions/0063-recertification.md).

    Revocation wins over everything (a revoked certificate must never read as merely expired
    or renewed); a certificate replaced by its renewal reads "superseded" from the moment the new
    one is issued, whether or not its own date has passed, so a verifier is sent to the new one.
    A date `expires_at` is the last valid day (inclusive, like a passport's date of expiry);
    a datetime `expires_at` is the exact instant it stops being valid.
    """
    if revoked_at is not None:
        return CertificateStatus.REVOKED
    if superseded_at is not None and superseded_at <= now:
        return CertificateStatus.SUPERSEDED
    if expires_at is None:
        return CertificateStatus.VALID
    if isinstance(expires_at, dt.datetime):
        return CertificateStatus.EXPIRED if now >= expires_at else CertificateStatus.VALID
    return CertificateStatus.EXPIRED if now.date() > expires_at else CertificateStatus.VALID


def renewal_opens_on(expires_at: dt.date | None, window_days: int) -> dt.date | None:
    """First day on which a certificate may be renewed: `window_days` before its last valid
    day (None: it never expires, so there is nothing to renew)."""
    if expires_at is None:
        return None
    return expires_at - dt.timedelta(days=max(0, window_days))


def renewal_due(expires_at: dt.date | None, window_days: int, today: dt.date) -> bool:
    """Within the renewal window, or already expired (an expired certificate can still be
    renewed: the new one starts from its own issue day)."""
    opens = renewal_opens_on(expires_at, window_days)
    return opens is not None and today >= opens
