"""Reads for the dashboards at `/`: a trainee's latest certificates, an administrator's figures
and failed PDF renders. Fixed query counts, frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q

from backend.accounts.api import path_q
from certificates.models import Certificate, RenderStatus

RECENT = 3


@dataclass(frozen=True)
class CertificateItem:
    id: int
    serial: str
    course_id: int
    course_title: str
    holder_name: str
    issued_at: datetime
    expires_at: date | None
    revoked: bool


@dataclass(frozen=True)
class CertificateFigures:
    issued_this_month: int
    failed_renders: int
    failed: tuple[CertificateItem, ...]  # the latest few, to act on


def _item(c: Certificate) -> CertificateItem:
    return CertificateItem(id=c.pk, serial=c.serial, course_id=c.course_id, course_title=c.course_title,
                           holder_name=c.holder_name, issued_at=c.issued_at, expires_at=c.expires_at,
                           revoked=c.revoked_at is not None)


def recent_certificates(user_id: int, *, limit: int = RECENT) -> list[CertificateItem]:
    """The user's latest certificates neither revoked nor superseded by a renewal: one query."""
    qs = (Certificate.objects.filter(user_id=user_id, revoked_at__isnull=True,
                                     superseded_at__isnull=True).order_by("-issued_at", "-id"))
    return [_item(c) for c in qs[:limit]]


def certificate_figures(paths: list[str] | None, *, since: datetime,
                        limit: int = RECENT) -> CertificateFigures:
    """Certificates of courses in the subtrees `paths` (None: everywhere): two queries."""
    qs = Certificate.objects.filter(path_q(paths, "organisation__path"))
    counts = qs.aggregate(month=Count("pk", filter=Q(issued_at__gte=since, revoked_at__isnull=True)),
                          failed=Count("pk", filter=Q(render_status=RenderStatus.FAILED)))
    failed = (qs.filter(render_status=RenderStatus.FAILED).order_by("-updated_at")[:limit]
              if counts["failed"] else [])
    return CertificateFigures(issued_this_month=counts["month"], failed_renders=counts["failed"],
                              failed=tuple(_item(c) for c in failed))


def renewals_due(user_id: int) -> list[CertificateItem]:
    """The user's certificates that may be renewed now ("Gia hạn giấy chứng nhận" on the
    dashboard): live, expiring, not being renewed, inside their template's renewal window.
    One query, plus one template lookup per distinct course among them (a person holds few)."""
    from certificates.renewals import renewal_offer, templates_by_course

    rows = list(Certificate.objects.filter(user_id=user_id, revoked_at__isnull=True,
                                           superseded_at__isnull=True, expires_at__isnull=False,
                                           renewal__isnull=True).select_related("renewal")
                .order_by("expires_at", "id")[:20])
    templates = templates_by_course(c.course_id for c in rows)
    return [_item(c) for c in rows if renewal_offer(c, templates[c.course_id]).due]
