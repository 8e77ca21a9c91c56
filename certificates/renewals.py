"""Recertification: a holder renews an expiring certificate by completing a course again (the
same course, in a new round) or a refresher course; the new certificate `renews` the old one,
which then reads "superseded" (never "revoked") and keeps verifying with its history.

Natural keys keep it idempotent: one `CertificateRenewal` per certificate (starting twice
returns the first), and one certificate per renewed certificate (`Certificate.renews` is
unique), so a duplicate completion or task finds the new certificate instead of issuing twice.
Lock order: renewal, the old certificate, then the serial book (as a re-issue does).
See docs/decisions/0063-recertification.md.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.api import organisation_get, organisations_get, users_get
from backend.audit.api import audit_record
from backend.errors import Conflict, DomainError
from certificates.credentials import status_lists
from certificates.expiry import renewal_due, renewal_opens_on
from certificates.models import Certificate, CertificateRenewal, CertificateTemplate, RenewalRule
from certificates.selectors import not_found, template_for_course
from certificates.serials import format_serial
from certificates.services import WITHDRAWN, _build, _lock_counter, course_for_issue
from courses import api as courses_api

log = logging.getLogger(__name__)
RENEWABLE_STATUSES = ("valid", "expired")
# The page where holders renew (their certificates page); reminders link to renewal_url(id).
RENEWAL_ROUTE = "my-certificates"


@dataclass(frozen=True)
class RenewalOffer:
    """What the holder's page says about renewing one certificate."""

    rule: str  # RenewalRule value
    course_id: int | None  # the course to complete (None: no renewal)
    opens_on: dt.date | None  # first day the renewal may start
    due: bool  # may start now
    started: bool  # a renewal is under way (or done)
    completed: bool


def _rule(template: CertificateTemplate | None, course_id: int) -> tuple[str, int | None, int]:
    """(rule, course to complete, window days) from the template that applies now."""
    if template is None or template.renewal_rule == RenewalRule.NONE:
        return RenewalRule.NONE, None, 0
    if template.renewal_rule == RenewalRule.REFRESHER:
        return RenewalRule.REFRESHER, template.refresher_course_id, template.renewal_window_days
    return RenewalRule.RETAKE, course_id, template.renewal_window_days


def renewal_offer(certificate: Certificate, template: CertificateTemplate | None,
                  today: dt.date | None = None) -> RenewalOffer:
    """Whether (and from when) the holder may renew; the caller passes the applicable template
    (templates_by_course reads them for a page at once)."""
    today = today or timezone.localdate()
    renewal = getattr(certificate, "renewal", None) if _has_renewal(certificate) else None
    rule, course_id, window = _rule(template, certificate.course_id)
    if renewal is not None:
        return RenewalOffer(rule=renewal.rule, course_id=renewal.course_id, opens_on=None, due=False,
                            started=True, completed=renewal.completed_at is not None)
    live = certificate.status_at() in RENEWABLE_STATUSES
    if rule == RenewalRule.NONE or course_id is None or not live or certificate.expires_at is None:
        return RenewalOffer(rule=RenewalRule.NONE, course_id=None, opens_on=None, due=False,
                            started=False, completed=False)
    return RenewalOffer(rule=rule, course_id=course_id,
                        opens_on=renewal_opens_on(certificate.expires_at, window),
                        due=renewal_due(certificate.expires_at, window, today),
                        started=False, completed=False)


def _has_renewal(certificate: Certificate) -> bool:
    try:
        certificate.renewal  # noqa: B018 (reverse one-to-one: raises when there is none)
    except CertificateRenewal.DoesNotExist:
        return False
    return True


def templates_by_course(course_ids) -> dict[int, CertificateTemplate | None]:
    """The template that applies to each course (one lookup per distinct course)."""
    out: dict[int, CertificateTemplate | None] = {}
    for course_id in set(course_ids):
        course = courses_api.course_get(course_id)
        out[course_id] = template_for_course(course) if course else None
    return out


def renewal_url(certificate_id: int) -> str:
    """Where a holder renews a certificate: their certificates page, at that certificate (the
    page's "Gia hạn giấy chứng nhận" button posts the renewal). For reminders and links."""
    return f"{reverse(RENEWAL_ROUTE)}#certificate-{certificate_id}"


@transaction.atomic
def certificate_renewal_start(*, actor, certificate_id: int) -> CertificateRenewal:
    """The holder starts renewing: a new round of the same course, or enrolment in the
    refresher course. Starting again returns the renewal already under way."""
    certificate = (Certificate.objects.select_for_update(of=("self",))
                   .filter(pk=certificate_id).first())
    if certificate is None or certificate.user_id != getattr(actor, "pk", None):
        raise not_found()  # only the holder renews; others learn nothing about the row
    existing = CertificateRenewal.objects.filter(certificate=certificate).first()
    if existing is not None:
        return existing
    status = certificate.status
    if status not in RENEWABLE_STATUSES:
        raise Conflict(_("A revoked or superseded certificate cannot be renewed."),
                       code="not_renewable")
    course = courses_api.course_get(certificate.course_id)
    template = template_for_course(course) if course else None
    rule, course_id, window = _rule(template, certificate.course_id)
    if rule == RenewalRule.NONE or certificate.expires_at is None:
        raise Conflict(_("This certificate does not need renewing."), code="no_renewal")
    if course_id is None:
        raise Conflict(_("The refresher course for this certificate is not set yet; please ask "
                         "the administrator."), code="no_refresher_course")
    if not renewal_due(certificate.expires_at, window, timezone.localdate()):
        opens = renewal_opens_on(certificate.expires_at, window)
        raise Conflict(_("The renewal opens on %(day)s.") % {"day": opens.strftime("%d/%m/%Y")},
                       code="renewal_not_open")
    enrolment = courses_api.enrolment_get(user_id=actor.pk, course_id=course_id)
    if enrolment is None or enrolment.status == WITHDRAWN:
        enrolment = courses_api.enrolment_ensure(user_id=actor.pk, course_id=course_id)
    if enrolment is not None and enrolment.completed_at is not None:
        # A completed enrolment starts a new round (its history is kept); one in progress goes on.
        enrolment = courses_api.enrolment_new_round(user_id=actor.pk, course_id=course_id,
                                                    reason="recertification")
    if enrolment is None:
        raise Conflict(_("Could not enrol you in the course; please ask the administrator."),
                       code="enrolment_failed")
    renewal = CertificateRenewal.objects.create(
        certificate=certificate, user_id=actor.pk, rule=rule, course_id=course_id,
        enrolment_id=enrolment.id, started_at=timezone.now())
    audit_record(actor=actor, verb="certificate.renewal_started", target=certificate,
                 details={"rule": rule, "course_id": course_id, "serial": certificate.serial})
    return renewal


def renewals_complete(*, user_id: int, course_id: int) -> list[Certificate]:
    """After the person completed `course_id`: issue the new certificate of each renewal that
    waited for it. One indexed query when none is open (the usual case)."""
    open_ids = list(CertificateRenewal.objects.filter(
        user_id=user_id, course_id=course_id, completed_at__isnull=True).values_list("pk", flat=True))
    issued = []
    for renewal_id in open_ids:
        try:
            certificate = certificate_renewal_issue(renewal_id=renewal_id)
        except DomainError as exc:  # e.g. the course no longer issues certificates
            log.warning("renewal %s not issued: %s", renewal_id, exc.message)
            continue
        if certificate is not None:
            issued.append(certificate)
    return issued


@transaction.atomic
def certificate_renewal_issue(*, renewal_id: int) -> Certificate | None:
    """Issue the renewing certificate once the required course is completed after the renewal
    started; the old one is marked superseded in the same transaction. None while not yet due."""
    from certificates.tasks import render_certificates

    renewal = CertificateRenewal.objects.select_for_update().filter(pk=renewal_id).first()
    if renewal is None:
        return None
    old = Certificate.objects.select_for_update().get(pk=renewal.certificate_id)
    if renewal.completed_at is not None:
        return Certificate.objects.filter(renews=old).first()
    done = courses_api.enrolment_get(user_id=renewal.user_id, course_id=renewal.course_id)
    if done is None or done.completed_at is None or done.completed_at < renewal.started_at:
        return None
    if old.revoked_at is not None:
        raise Conflict(_("A revoked certificate cannot be renewed."), code="not_renewable")
    course, template = course_for_issue(old.course_id)
    original = courses_api.enrolment_get(user_id=old.user_id, course_id=old.course_id)
    user = users_get([old.user_id])[old.user_id]
    unit = organisations_get([user.organisation_id]).get(user.organisation_id) \
        if user.organisation_id else None
    book = organisation_get(template.organisation_id)
    now = timezone.now()
    counter = _lock_counter(template.organisation_id, timezone.localtime(now).year)
    counter.last += 1
    counter.save(update_fields=["last"])
    serial = format_serial(template.serial_pattern, seq=counter.last, year=counter.year,
                           org_code=book.code if book else "")
    new = _build(original, course, template, user=user, unit_name=unit.name if unit else "",
                 serial=serial, now=now, manual=False)
    new.enrolment_id = old.enrolment_id
    new.renews = old
    new.completed_at = done.completed_at
    status_lists.allocate([new], template.organisation_id)
    new.save()
    old.superseded_at = now
    old.save(update_fields=["superseded_at", "updated_at"])
    renewal.completed_at = now
    renewal.save(update_fields=["completed_at"])
    audit_record(actor=None, verb="certificate.renewed", target=new,
                 details={"renews": old.pk, "old_serial": old.serial, "serial": new.serial,
                          "rule": renewal.rule, "course_id": renewal.course_id})
    transaction.on_commit(lambda: render_certificates.delay([new.pk]))
    return new


def expiring_certificates(start_date: dt.date, end_date: dt.date) -> QuerySet:
    """Certificates whose last valid day falls in [start_date, end_date] and that are neither
    revoked nor superseded, nor already being renewed: for the reminder job (set-based; iterate
    with .iterator()). Rows: id, user_id, course_id, course_title, serial, code, expires_at.
    Link each to `renewal_url(id)`."""
    return (Certificate.objects.filter(expires_at__gte=start_date, expires_at__lte=end_date,
                                       revoked_at__isnull=True, superseded_at__isnull=True,
                                       renewal__isnull=True)
            .order_by("expires_at", "pk")
            .values("id", "user_id", "course_id", "course_title", "serial", "code", "expires_at"))


def renewals_for_course(course_id: int) -> QuerySet[CertificateRenewal]:
    """Renewals of a course's certificates (newest first), for its administrators' page."""
    return (CertificateRenewal.objects.filter(certificate__course_id=course_id)
            .select_related("certificate", "certificate__renewed_by")
            .annotate(old_serial=F("certificate__serial"))
            .order_by("-started_at", "-pk"))
