"""Certificate notices: issued (an event), expiring in N days (with the way to renew), expired.

`expires_at` is a date, the last valid day (certificates/expiry.py), so the windows are days of
the local calendar. Candidates are one set-based query per offset, read in chunks.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.notifications.api import (
    Item,
    Kind,
    Producer,
    already_notified,
    notify,
    register_kind,
    register_producer,
)
from certificates.models import Certificate
from certificates.rendering import verify_url
from certificates.renewals import renewal_url

ISSUED = "certificate_issued"
EXPIRING = "certificate_expiring"
EXPIRED = "certificate_expired"
SUBJECT = ("certificates", "certificate")
MY_CERTIFICATES = "/certificates/"
FIELDS = ("pk", "user_id", "course_id", "course_title", "serial", "expires_at")


def _item(kind: str, offset: str, row: dict) -> Item:
    # The holder's certificates page at this certificate: its "Gia hạn giấy chứng nhận" button
    # starts the renewal where the course offers one (decision 0063).
    url = renewal_url(row["pk"]) if kind in (EXPIRING, EXPIRED) else MY_CERTIFICATES
    return Item(recipient_id=row["user_id"], kind=kind, subject=(*SUBJECT, row["pk"]),
                offset=offset, url=url,
                context={"course_title": row["course_title"], "serial": row["serial"],
                         "expires_at": row["expires_at"],
                         "days": int(offset[:-1]) if offset else 0,
                         "certificates_url": settings.SITE_URL + MY_CERTIFICATES})


def _live():
    """Neither revoked nor superseded, nor already being renewed: nothing to remind of."""
    return Certificate.objects.filter(revoked_at__isnull=True, superseded_at__isnull=True,
                                      renewal__isnull=True, expires_at__isnull=False)


def _candidates(kind: str, offset: str):
    return _live().exclude(
        already_notified(kind, offset, subject_id=OuterRef("pk"), recipient_id=OuterRef("user_id"))
    ).order_by()


def _chunks(rows, kind: str, offset: str) -> Iterator[list[Item]]:
    chunk = []
    for row in rows.values(*FIELDS).iterator(chunk_size=settings.NOTIFICATIONS_CHUNK):
        chunk.append(_item(kind, offset, row))
        if len(chunk) >= settings.NOTIFICATIONS_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def collect(now: datetime) -> Iterator[list[Item]]:
    today = timezone.localtime(now).date()
    lower = today
    for days in sorted(set(settings.NOTIFICATIONS_CERTIFICATE_EXPIRY_DAYS)):
        upper = today + timedelta(days=days)
        yield from _chunks(_candidates(EXPIRING, f"{days}d").filter(
            expires_at__gt=lower, expires_at__lte=upper), EXPIRING, f"{days}d")
        lower = upper
    lookback = today - timedelta(days=settings.NOTIFICATIONS_LOOKBACK_DAYS)
    yield from _chunks(_candidates(EXPIRED, "").filter(
        expires_at__gte=lookback, expires_at__lt=today), EXPIRED, "")


def still_true(kind: str, rows: list[tuple[int, int | None, str]], now: datetime) -> set:
    """Not revoked, superseded or being renewed, not moved to a later date, and (for expiring)
    still inside its offset."""
    today = timezone.localtime(now).date()
    current = dict(_live().filter(pk__in=[r[1] for r in rows]).values_list("pk", "expires_at"))
    keep = set()
    for row in rows:
        expires = current.get(row[1])
        if expires is None:
            continue
        days = int(row[2][:-1]) if row[2] else 0
        if (kind == EXPIRED and expires < today) or (
                kind == EXPIRING and today < expires <= today + timedelta(days=days)):
            keep.add(row)
    return keep


def issued_notify(certificates: list[Certificate], *, email: bool = True) -> int:
    """The "your certificate is ready" notice, once per certificate and revision."""
    items = [Item(recipient_id=c.user_id, kind=ISSUED, subject=(*SUBJECT, c.pk),
                  offset=str(c.revision), url=MY_CERTIFICATES,
                  context={"course_title": c.course_title, "serial": c.serial,
                           "holder_name": c.holder_name, "verify_url": verify_url(c.code)})
             for c in certificates]
    return len(notify(items, email=email))


def register() -> None:
    register_kind(Kind(ISSUED, _("Certificate issued"), "email",
                       "certificates/notifications/issued"))
    register_kind(Kind(EXPIRING, _("Certificate expiring soon"), "email",
                       "certificates/notifications/expiring"))
    register_kind(Kind(EXPIRED, _("Certificate expired"), "email",
                       "certificates/notifications/expired"))
    register_producer(Producer("certificates", collect, still_true, kinds=(EXPIRING, EXPIRED)))
