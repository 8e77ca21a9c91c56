"""Every write to certificates: issue (one or many), revoke, re-issue, retry a failed render.

Issuing is idempotent on the natural key (user, course) = the enrolment: the unique constraint
on Certificate.enrolment is the last word, and before it the serial book of the issuing unit is
locked (select_for_update), which both serialises issuers of that book and keeps its numbers
gap-free: a number is taken in the same transaction that inserts the certificate, so a rolled
back issue gives its number back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.api import normalise_name, organisation_get, organisations_get, users_get
from backend.audit.api import audit_record, audit_record_many
from backend.errors import Conflict, Forbidden
from certificates.codes import new_verification_code
from certificates.credentials import status_lists
from certificates.expiry import expiry_date
from certificates.models import (
    Certificate,
    CertificateRevision,
    CertificateTemplate,
    RenderStatus,
    SerialCounter,
)
from certificates.rendering import template_layout
from certificates.selectors import can_manage, is_course_admin, not_found, template_for_course
from certificates.serials import format_serial
from courses.api import CourseData, EnrolmentData, EnrolmentStatus, course_get, enrolments_for_course

WITHDRAWN = EnrolmentStatus.WITHDRAWN


@dataclass
class IssueBatch:
    created: list[Certificate] = field(default_factory=list)
    existing: list[Certificate] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)  # user id -> why not


def _lock_counter(organisation_id: int, year: int) -> SerialCounter:
    """The serial book row, locked; created on first use (a racing creator just loses)."""
    counter = SerialCounter.objects.select_for_update().filter(
        organisation_id=organisation_id, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                SerialCounter.objects.create(organisation_id=organisation_id, year=year)
        except IntegrityError:
            pass
        counter = SerialCounter.objects.select_for_update().get(organisation_id=organisation_id,
                                                               year=year)
    return counter


def course_for_issue(course_id: int) -> tuple[CourseData, CertificateTemplate]:
    course = course_get(course_id)
    if course is None:
        raise not_found()
    if not course.issues_certificate:
        raise Conflict(_("This course does not issue certificates."), code="no_certificates")
    template = template_for_course(course)
    if template is None:
        raise Conflict(_("No certificate template applies to this course; create one for the "
                         "course or one of its units."), code="no_template")
    return course, template


def _eligible(course_id: int, user_ids: list[int], manual: bool, batch: IssueBatch
              ) -> list[EnrolmentData]:
    """Completed enrolments; when an administrator names people, any enrolment not withdrawn
    before completing (decision 0030: manual issue needs an enrolment, not a completion)."""
    found = enrolments_for_course(course_id=course_id, user_ids=user_ids, completed_only=not manual)
    if manual:
        found = [e for e in found if e.completed_at or e.status != WITHDRAWN]
    by_user = {e.user_id: e for e in found}
    for user_id in user_ids:
        if user_id not in by_user:
            batch.refused[user_id] = (_("Not enrolled in this course.") if manual
                                      else _("Has not completed this course."))
    return [by_user[u] for u in dict.fromkeys(user_ids) if u in by_user]


def _build(enrolment: EnrolmentData, course: CourseData, template: CertificateTemplate, *,
           user, unit_name: str, serial: str, now, manual: bool) -> Certificate:
    issued_on = timezone.localtime(now).date()
    return Certificate(
        enrolment_id=enrolment.id, user_id=enrolment.user_id, course_id=course.id,
        organisation_id=course.organisation_id, serial_book_id=template.organisation_id,
        template=template, serial=serial, code=new_verification_code(),
        holder_name=normalise_name(user.full_name) or user.email.split("@")[0],
        course_title=normalise_name(course.title), issuer_name=normalise_name(template.issuer_name),
        layout=template_layout(template, holder_unit=unit_name), manual=manual,
        completed_at=enrolment.completed_at, issued_at=now,
        expires_at=expiry_date(issued_on, template.validity_months),
    )


@transaction.atomic
def certificates_issue(*, course_id: int, user_ids: Iterable[int], actor=None,
                       manual: bool = False) -> IssueBatch:
    """Issue the course's certificate to each listed user who has none yet (others: existing)."""
    course, template = course_for_issue(course_id)
    if actor is not None and not is_course_admin(actor, course):
        raise Forbidden(_("Only administrators of the course's unit may issue its certificates."))
    batch = IssueBatch()
    enrolments = _eligible(course_id, list(user_ids), manual, batch)
    # The enrolment's own certificate (a renewal of it does not count: it `renews` that one).
    already = {c.enrolment_id: c for c in Certificate.objects.filter(
        enrolment_id__in=[e.id for e in enrolments], renews__isnull=True)}
    if len(already) == len(enrolments):  # a repeat: answer without taking the serial book's lock
        batch.existing = list(already.values())
        return batch
    users = users_get(e.user_id for e in enrolments)
    units = organisations_get(u.organisation_id for u in users.values() if u.organisation_id)
    book = organisation_get(template.organisation_id)
    now = timezone.now()
    year = timezone.localtime(now).year
    for _attempt in range(3):
        try:
            with transaction.atomic():
                counter = _lock_counter(template.organisation_id, year)
                # Re-read under the lock: whoever held it before us may have issued some.
                done = {c.enrolment_id: c for c in Certificate.objects.filter(
                    enrolment_id__in=[e.id for e in enrolments], renews__isnull=True)}
                todo = [e for e in enrolments if e.id not in done]
                fresh = []
                for enrolment in todo:
                    counter.last += 1
                    serial = format_serial(template.serial_pattern, seq=counter.last, year=year,
                                           org_code=book.code if book else "")
                    user = users[enrolment.user_id]
                    unit = units.get(user.organisation_id)
                    fresh.append(_build(enrolment, course, template, user=user, now=now,
                                        unit_name=unit.name if unit else "", serial=serial,
                                        manual=manual))
                if fresh:
                    # Its place in the unit's status list, under the same lock (decision 0066).
                    status_lists.allocate(fresh, template.organisation_id)
                    Certificate.objects.bulk_create(fresh)
                    counter.save(update_fields=["last"])
                    audit_record_many(actor=actor, verb="certificate.issued", targets=fresh,
                                      details={"course_id": course.id, "manual": manual})
            batch.created, batch.existing = fresh, list(done.values())
            return batch
        except IntegrityError:
            # Another issuer (under another serial book) won a race for one of these enrolments;
            # nothing of ours was kept, so look again.
            continue
    raise Conflict(_("Could not issue the certificates; please try again."), code="issue_conflict")


def certificate_issue(*, user_id: int, course_id: int, actor=None, manual: bool = False
                      ) -> tuple[Certificate, bool]:
    """One certificate (created=True) or the one that already exists (created=False)."""
    batch = certificates_issue(course_id=course_id, user_ids=[user_id], actor=actor, manual=manual)
    if batch.created:
        return batch.created[0], True
    if batch.existing:
        return batch.existing[0], False
    raise Conflict(batch.refused.get(user_id, _("Cannot issue this certificate.")),
                   code="not_eligible")


def certificate_issue_on_completion(*, enrolment: EnrolmentData) -> None:
    """Receiver of courses' enrolment_completed: queue the issue once the completion commits.
    No query here (the learner's request stays as cheap as before); the task decides whether the
    course issues certificates at all."""
    from certificates.tasks import issue_certificate

    user_id, course_id = enrolment.user_id, enrolment.course_id
    transaction.on_commit(lambda: issue_certificate.delay(user_id, course_id))


def _lock_managed(actor, certificate_id: int) -> Certificate:
    certificate = (Certificate.objects.select_for_update(of=("self",))
                   .select_related("organisation").filter(pk=certificate_id).first())
    if certificate is None:
        raise not_found()
    if actor is not None and not can_manage(actor, certificate):
        raise Forbidden(_("Only administrators of the course's unit may change its certificates."))
    return certificate


@transaction.atomic
def certificate_revoke(*, actor, certificate_id: int, reason: str) -> Certificate:
    reason = normalise_name(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    certificate = _lock_managed(actor, certificate_id)
    if certificate.revoked_at is not None:
        raise Conflict(_("This certificate is already revoked."), code="already_revoked")
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:2000]
    certificate.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    # An earlier reinstatement no longer explains the status: the audit log keeps it.
    certificate.reinstated_at = None
    certificate.reinstated_reason = ""
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by", "reinstated_at",
                                    "reinstated_reason", "updated_at"])
    audit_record(actor=actor, verb="certificate.revoked", target=certificate,
                 details={"reason": certificate.revoked_reason, "serial": certificate.serial})
    return certificate


@transaction.atomic
def certificate_reinstate(*, actor, certificate_id: int, reason: str) -> Certificate:
    """Undo a mistaken revocation (docs/decisions/0068-reinstatement-and-file-checks.md).

    The row reads as its dates say again (valid, expired or superseded) everywhere the status is
    computed: the verification page and API, the checked files, and the status list, which is
    computed from `revoked_at` (cleared here; `updated_at` moves with the save). The audit entry
    keeps the revocation it undoes: when, by whom, why.
    """
    certificate = _lock_managed(actor, certificate_id)
    reason = normalise_name(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is reinstated.")})
    if certificate.revoked_at is None:
        raise Conflict(_("This certificate is not revoked."), code="not_revoked")
    revoked_by = certificate.revoked_by
    undone = {"revoked_at": certificate.revoked_at.isoformat(),
              "revoked_by": certificate.revoked_by_id,
              "revoked_by_name": normalise_name(revoked_by.full_name) if revoked_by else "",
              "revoked_reason": certificate.revoked_reason}
    certificate.revoked_at = None
    certificate.revoked_reason = ""
    certificate.revoked_by = None
    certificate.reinstated_at = timezone.now()
    certificate.reinstated_reason = reason[:2000]
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by", "reinstated_at",
                                    "reinstated_reason", "updated_at"])
    audit_record(actor=actor, verb="certificate.reinstated", target=certificate,
                 details={"reason": certificate.reinstated_reason, "serial": certificate.serial,
                          **undone})
    return certificate


@transaction.atomic
def certificate_reissue(*, actor, certificate_id: int, reason: str = "") -> Certificate:
    """New PDF with today's date, the holder's current name, the current template and a new
    serial; same verification code. The previous version is kept as a CertificateRevision."""
    from certificates.tasks import render_certificates

    certificate = _lock_managed(actor, certificate_id)
    if certificate.revoked_at is not None:
        raise Conflict(_("A revoked certificate cannot be re-issued."), code="revoked")
    if certificate.superseded_at is not None:  # its renewal is the current one (decision 0063)
        raise Conflict(_("This certificate was renewed; re-issue the new one instead."),
                       code="superseded")
    course = course_get(certificate.course_id)
    template = template_for_course(course) if course else None
    if template is None:
        raise Conflict(_("No certificate template applies to this course."), code="no_template")
    CertificateRevision.objects.create(
        certificate=certificate, revision=certificate.revision, serial=certificate.serial,
        holder_name=certificate.holder_name, course_title=certificate.course_title,
        issuer_name=certificate.issuer_name, layout=certificate.layout,
        issued_at=certificate.issued_at, pdf=certificate.pdf.name or "", reason=reason[:2000],
        replaced_by=actor if getattr(actor, "is_authenticated", False) else None)
    user = users_get([certificate.user_id])[certificate.user_id]
    unit = organisation_get(user.organisation_id) if user.organisation_id else None
    book = organisation_get(template.organisation_id)
    now = timezone.now()
    counter = _lock_counter(template.organisation_id, timezone.localtime(now).year)
    counter.last += 1
    counter.save(update_fields=["last"])
    old_serial = certificate.serial
    certificate.serial = format_serial(template.serial_pattern, seq=counter.last,
                                       year=counter.year, org_code=book.code if book else "")
    certificate.serial_book_id = template.organisation_id
    # Every revision keeps its status list position; only a move to another issuing unit
    # (whose list it must be in, as the credential's issuer) takes a new one.
    status_lists.allocate([certificate], template.organisation_id)
    certificate.template = template
    certificate.holder_name = normalise_name(user.full_name) or certificate.holder_name
    certificate.course_title = normalise_name(course.title)
    certificate.issuer_name = normalise_name(template.issuer_name)
    certificate.layout = template_layout(template, holder_unit=unit.name if unit else "")
    certificate.issued_at = now
    certificate.revision += 1
    certificate.render_status = RenderStatus.PENDING
    certificate.render_attempts = 0
    certificate.last_error = ""
    certificate.save()
    audit_record(actor=actor, verb="certificate.reissued", target=certificate,
                 details={"reason": reason[:2000], "old_serial": old_serial,
                          "serial": certificate.serial, "revision": certificate.revision})
    transaction.on_commit(lambda: render_certificates.delay([certificate.pk]))
    return certificate


@transaction.atomic
def certificate_retry_render(*, actor, certificate_id: int) -> Certificate:
    from certificates.tasks import render_certificates

    certificate = _lock_managed(actor, certificate_id)
    if certificate.render_status == RenderStatus.RENDERED and certificate.pdf_ready:
        return certificate
    certificate.render_status = RenderStatus.PENDING
    certificate.render_attempts = 0
    certificate.save(update_fields=["render_status", "render_attempts", "updated_at"])
    transaction.on_commit(lambda: render_certificates.delay([certificate.pk]))
    return certificate


def ensure_manageable_course(*, actor, course_id: int) -> CourseData:
    course = course_get(course_id)
    if course is None:
        raise not_found()
    if not is_course_admin(actor, course):
        raise Forbidden(_("Only administrators of the course's unit may manage its certificates."))
    return course



# --- templates ----------------------------------------------------------------------------------

TEMPLATE_FIELDS = ("issuer_name", "parent_issuer_name", "place", "signer_title", "signer_name",
                   "signature_image", "seal_image", "validity_months", "course_hours", "wording",
                   "serial_pattern", "language", "renewal_rule", "refresher_course_id",
                   "renewal_window_days")
TEXT_FIELDS = ("issuer_name", "parent_issuer_name", "place", "signer_title", "signer_name")
MAX_IMAGE_BYTES = 1024 * 1024


def _clean_template(values: dict) -> dict:
    from certificates.serials import validate_serial_pattern

    cleaned = {k: v for k, v in values.items() if k in TEMPLATE_FIELDS}
    for name in TEXT_FIELDS:
        if name in cleaned:
            cleaned[name] = normalise_name(cleaned[name] or "")
    if "wording" in cleaned:
        cleaned["wording"] = "\n".join(normalise_name(x) for x in (cleaned["wording"] or "").splitlines())
    if "serial_pattern" in cleaned:
        try:
            validate_serial_pattern(cleaned["serial_pattern"])
        except ValueError as exc:
            raise ValidationError({"serial_pattern": str(exc)}) from None
    refresher = cleaned.get("refresher_course_id")
    if refresher is not None and course_get(refresher) is None:
        raise ValidationError({"refresher_course": _("Unknown course.")})
    if cleaned.get("renewal_window_days") is not None and not 0 <= cleaned["renewal_window_days"] <= 3650:
        raise ValidationError({"renewal_window_days": _("Give 0 to 3650 days.")})
    if cleaned.get("validity_months") == 0:
        raise ValidationError({"validity_months": _("Leave it empty for no expiry, or give months.")})
    for name in ("signature_image", "seal_image"):
        data = cleaned.get(name)
        if data:
            if len(data) > MAX_IMAGE_BYTES:
                raise ValidationError({name: _("The image is larger than 1 MB.")})
            _check_image(name, data)
    return cleaned


def _check_renewal(template: CertificateTemplate) -> None:
    from certificates.models import RenewalRule

    if template.renewal_rule == RenewalRule.REFRESHER and template.refresher_course_id is None:
        raise ValidationError({"refresher_course": _("Choose the refresher course.")})
    if template.renewal_rule != RenewalRule.NONE and template.validity_months is None:
        raise ValidationError({"renewal_rule": _("Only certificates that expire are renewed: "
                                                 "give a validity in months first.")})


def _check_image(name: str, data: bytes) -> None:
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            if image.format not in {"PNG", "JPEG"}:
                raise ValidationError({name: _("Use a PNG or JPEG image.")})
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError({name: _("This is not a readable image.")}) from None


def _check_template_owner(actor, organisation_id: int) -> None:
    from certificates.selectors import is_admin_over

    unit = organisation_get(organisation_id)
    if unit is None:
        raise not_found()
    if actor is not None and not is_admin_over(actor, unit.path):
        raise Forbidden(_("Only administrators of the unit may change its certificate templates."))


@transaction.atomic
def template_create(*, actor, organisation_id: int | None = None, course_id: int | None = None,
                    **values) -> CertificateTemplate:
    """A unit's default template (organisation_id) or a course's own (course_id)."""
    if (organisation_id is None) == (course_id is None):
        raise ValidationError({"course": _("Give either a course or an organisation.")})
    if course_id is not None:
        course = course_get(course_id)
        if course is None:
            raise not_found()
        organisation_id = course.organisation_id
    _check_template_owner(actor, organisation_id)  # before anything that tells what exists
    if course_id is not None:
        if CertificateTemplate.objects.filter(course_id=course_id).exists():
            raise Conflict(_("This course already has a template."), code="template_exists")
    elif CertificateTemplate.objects.filter(organisation_id=organisation_id,
                                            course__isnull=True).exists():
        raise Conflict(_("This unit already has a template."), code="template_exists")
    cleaned = _clean_template(values)
    for name in ("issuer_name", "signer_title", "signer_name"):
        if not cleaned.get(name):
            raise ValidationError({name: _("This field is required.")})
    template = CertificateTemplate(organisation_id=organisation_id, course_id=course_id, **cleaned)
    _check_renewal(template)
    template.save()
    audit_record(actor=actor, verb="certificate_template.created", target=template)
    return template


@transaction.atomic
def template_update(*, actor, template_id: int, **values) -> CertificateTemplate:
    template = CertificateTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None:
        raise not_found()
    _check_template_owner(actor, template.organisation_id)
    cleaned = _clean_template(values)
    for name in ("issuer_name", "signer_title", "signer_name"):
        if name in cleaned and not cleaned[name]:
            raise ValidationError({name: _("This field is required.")})
    for name, value in cleaned.items():
        setattr(template, name, value)
    _check_renewal(template)
    template.save()
    audit_record(actor=actor, verb="certificate_template.updated", target=template,
                 details={"fields": sorted(k for k in cleaned if not k.endswith("_image"))})
    return template


@transaction.atomic
def template_delete(*, actor, template_id: int) -> None:
    template = CertificateTemplate.objects.select_for_update().filter(pk=template_id).first()
    if template is None:
        raise not_found()
    _check_template_owner(actor, template.organisation_id)
    audit_record(actor=actor, verb="certificate_template.deleted", target=template)
    template.delete()  # issued certificates keep their frozen layout
