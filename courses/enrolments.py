"""Enrolment writes: self-enrolment, staff enrolment in bulk (users, e-mails, a cohort, a unit's
subtree), unenrolment that keeps history, and the enrolment e-mail after commit."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.api import (
    ancestor_paths,
    cohort_get,
    cohort_member_ids,
    organisation_get,
    subtree_user_ids,
    user_ids_by_emails,
    user_ids_within,
    user_organisation_path,
)
from backend.audit.api import audit_record
from backend.errors import Conflict, DomainError, Forbidden
from courses.learning import enrolments_recompute
from courses.models import Course, CourseStatus, Enrolment, EnrolmentSource, EnrolmentStatus
from courses.selectors import is_course_staff, not_found, staff_paths

EMAIL_CHUNK = 200


@dataclass
class EnrolResult:
    created: int = 0
    reactivated: int = 0
    unchanged: int = 0
    not_found: list[str] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.reactivated + self.unchanged


def _lock_published(course_id: int) -> Course:
    course = Course.objects.select_for_update().filter(pk=course_id).first()
    if course is None:
        raise not_found()
    return course


def _require_open(course: Course) -> None:
    if course.status == CourseStatus.ARCHIVED:
        raise Conflict(_("This course is archived."), code="course_archived")
    if course.status != CourseStatus.PUBLISHED:
        raise Conflict(_("This course is not published yet."), code="course_not_published")


@transaction.atomic
def enrolment_self(*, user, course_id: int) -> tuple[Enrolment, bool]:
    """Self-enrolment where the course allows it: published, open to the user's unit, inside the
    enrolment window. Enrolling again returns the same enrolment (created=False)."""
    course = _lock_published(course_id)
    existing = Enrolment.objects.filter(user_id=user.pk, course=course).first()
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        return existing, False
    # Only a course the user can see in the catalogue: others are "not found", never "closed".
    open_to_unit = course.organisation.path in ancestor_paths(user_organisation_path(user))
    if not open_to_unit or course.status != CourseStatus.PUBLISHED:
        raise not_found()
    _require_open(course)
    if not course.self_enrolment:
        raise Forbidden(_("This course does not allow self-enrolment."), code="self_enrolment_closed")
    now = timezone.now()
    if (course.enrolment_opens_at and now < course.enrolment_opens_at) or (
            course.enrolment_closes_at and now >= course.enrolment_closes_at):
        raise Conflict(_("Enrolment for this course is not open now."), code="enrolment_window_closed")
    if existing is not None:
        _reactivate([existing.pk], course)
        existing.refresh_from_db()
        return existing, True
    enrolment = Enrolment.objects.create(user_id=user.pk, course=course, enrolled_at=now,
                                         source=EnrolmentSource.SELF, enrolled_by_id=user.pk)
    return enrolment, True


def _reactivate(enrolment_ids: list[int], course: Course) -> None:
    """Back from withdrawn: completed stays completed; the rest get their percent recomputed."""
    Enrolment.objects.filter(pk__in=enrolment_ids, completed_at__isnull=False).update(
        status=EnrolmentStatus.COMPLETED, withdrawn_at=None)
    Enrolment.objects.filter(pk__in=enrolment_ids, completed_at__isnull=True).update(
        status=EnrolmentStatus.ACTIVE, withdrawn_at=None)
    enrolments_recompute(course, enrolment_ids)


@transaction.atomic
def enrolments_add(*, actor, course_id: int, user_ids: list[int] = (), emails: list[str] = (),
                   cohort_id: int | None = None, organisation_id: int | None = None) -> EnrolResult:
    """Staff enrol many users at once. Idempotent: users already enrolled are left as they are.
    Staff reach only users inside their own trainer/administrator subtrees (others are reported
    as not found, so existence outside one's scope is not revealed); a cohort or a unit must lie
    inside those subtrees as a whole."""
    course = _lock_published(course_id)
    if actor is not None and not is_course_staff(actor, course):
        raise not_found()
    _require_open(course)
    scope = staff_paths(actor) if actor is not None else None
    result = EnrolResult()
    targets: set[int] = set()
    if user_ids:
        found = user_ids_within(user_ids, scope)
        result.not_found += [str(uid) for uid in user_ids if uid not in found]
        targets |= found
    if emails:
        found_by_email = user_ids_by_emails(emails, scope)
        wanted = [e.strip().lower() for e in emails if e and e.strip()]
        result.not_found += [e for e in dict.fromkeys(wanted) if e not in found_by_email]
        targets |= set(found_by_email.values())
    if cohort_id is not None:
        cohort = cohort_get(cohort_id=cohort_id)
        if cohort is None or not _inside(cohort.organisation_path, scope):
            raise DomainError(_("Unknown cohort."), code="not_found", status=404,
                              fields={"cohort": _("Unknown cohort.")})
        targets |= set(cohort_member_ids(cohort.id))
    if organisation_id is not None:
        unit = organisation_get(organisation_id)
        if unit is None or not _inside(unit.path, scope):
            raise DomainError(_("Unknown unit."), code="not_found", status=404,
                              fields={"organisation": _("Unknown unit.")})
        targets |= set(subtree_user_ids(unit.id, scope))

    existing = dict(Enrolment.objects.filter(course=course, user_id__in=targets)
                    .values_list("user_id", "status")) if targets else {}
    now = timezone.now()
    new_rows = [Enrolment(user_id=uid, course=course, enrolled_at=now, source=EnrolmentSource.STAFF,
                          enrolled_by_id=getattr(actor, "pk", None))
                for uid in sorted(targets - set(existing))]
    Enrolment.objects.bulk_create(new_rows, ignore_conflicts=True, batch_size=1000)
    withdrawn = [uid for uid, status in existing.items() if status == EnrolmentStatus.WITHDRAWN]
    if withdrawn:
        _reactivate(list(Enrolment.objects.filter(course=course, user_id__in=withdrawn)
                         .values_list("pk", flat=True)), course)
    # ignore_conflicts gives no ids back on every backend: read them.
    new_user_ids = [row.user_id for row in new_rows]
    result.created_ids = list(Enrolment.objects.filter(
        course=course, user_id__in=new_user_ids, enrolled_at=now).values_list("pk", flat=True)) \
        if new_user_ids else []
    result.created = len(result.created_ids)
    result.reactivated = len(withdrawn)
    result.unchanged = len(targets) - result.created - result.reactivated
    if result.created or result.reactivated:
        audit_record(actor=actor, verb="course.enrolled", target=course,
                     details={"created": result.created, "reactivated": result.reactivated,
                              "cohort": cohort_id, "organisation": organisation_id})
        enrolment_emails_after_commit(result.created_ids + list(
            Enrolment.objects.filter(course=course, user_id__in=withdrawn).values_list("pk", flat=True)))
    return result


def _inside(path: str, scope: list[str] | None) -> bool:
    return scope is None or any(path.startswith(p) for p in scope)


@transaction.atomic
def enrolment_withdraw(*, actor, course_id: int, user_id: int) -> Enrolment:
    """Unenrol: the row, its progress and any completion stay; the user stops seeing the course
    unless it is open to them anyway. Staff may withdraw anyone they can see; a learner may
    withdraw only an enrolment they made themselves."""
    course = Course.objects.select_related("organisation").filter(pk=course_id).first()
    if course is None:
        raise not_found()
    enrolment = Enrolment.objects.select_for_update().filter(course=course, user_id=user_id).first()
    by_self = actor is not None and actor.pk == user_id
    staff = actor is None or is_course_staff(actor, course)
    if enrolment is None or not (staff or by_self):
        raise not_found()
    if by_self and not staff and enrolment.source != EnrolmentSource.SELF:
        raise Forbidden(_("Your unit enrolled you in this course; ask them to unenrol you."),
                        code="enrolled_by_staff")
    if enrolment.status != EnrolmentStatus.WITHDRAWN:
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.withdrawn_at = timezone.now()
        enrolment.save(update_fields=["status", "withdrawn_at"])
        if not by_self:
            audit_record(actor=actor, verb="course.unenrolled", target=course,
                         details={"user_id": user_id})
    return enrolment


def enrolment_emails_after_commit(enrolment_ids: list[int]) -> None:
    """The enrolment notice (in the site, and by e-mail after commit as the person prefers),
    written in this transaction through backend.notifications."""
    from courses.reminders import enrolment_notify

    for start in range(0, len(enrolment_ids), EMAIL_CHUNK):
        enrolment_notify(enrolment_ids[start : start + EMAIL_CHUNK])


@transaction.atomic
def enrolment_set_due_at(*, actor, enrolment_id: int, due_at) -> Enrolment:
    """Give one person an extension (or take it back with None): trainers and administrators of
    the course's unit (decision 0061). Audited on the course, naming the person."""
    enrolment = (Enrolment.objects.select_for_update().select_related("course__organisation", "user")
                 .filter(pk=enrolment_id).first())
    if enrolment is None or (actor is not None and not is_course_staff(actor, enrolment.course)):
        raise not_found()
    before = enrolment.due_at
    enrolment.due_at = due_at
    enrolment.save(update_fields=["due_at"])
    audit_record(actor=actor, verb="course.due_date_extended", target=enrolment.course,
                 details={"user_id": enrolment.user_id,
                          "for": enrolment.user.full_name or enrolment.user.email,
                          "new_due": _when(due_at) if due_at else _("the course's due date"),
                          "due_at": due_at.isoformat() if due_at else None,
                          "previous": before.isoformat() if before else None})
    return enrolment


def _when(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
