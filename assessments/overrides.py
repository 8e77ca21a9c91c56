"""Writes and reads of quiz overrides: other dates or limits for one person or one cohort
(decision 0061). Trainers and administrators of the quiz course's unit; every write is audited.

How overrides combine is the pure rule in ``assessments.time_rules``. A change applies to
attempts started after it: a running attempt keeps the deadline frozen when it started.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.models import Attempt, AttemptStatus, Quiz, QuizOverride
from assessments.services import QUIZ_LIMITS
from backend.accounts.api import cohort_get, cohort_member_ids, cohort_usable_by, user_get
from backend.audit.api import audit_record
from backend.errors import Conflict, DomainError
from courses import api as courses_api

FIELDS = ("opens_at", "closes_at", "time_limit_seconds", "max_attempts")


@dataclass(frozen=True)
class OverrideWrite:
    override: QuizOverride
    running_attempts: int  # attempts in progress that keep their frozen deadline


def overrides_for_staff(user, quiz_id: int) -> tuple[Quiz, list[QuizOverride]]:
    quiz = selectors.quiz_get_for_staff(user, quiz_id)
    rows = list(QuizOverride.objects.filter(quiz=quiz).select_related("user", "cohort")
                .order_by("cohort_id", "user__search_name", "pk"))
    return quiz, rows


def override_get_for_staff(user, override_id: int) -> QuizOverride:
    row = QuizOverride.objects.select_related("quiz", "user", "cohort").filter(pk=override_id).first()
    if row is None or not selectors.is_quiz_staff(user, row.quiz):
        raise selectors.not_found()
    return row


def _check(quiz: Quiz, values: dict) -> None:
    for key in ("time_limit_seconds", "max_attempts"):
        value = values.get(key)
        if value is not None and not 0 <= value <= QUIZ_LIMITS[key]:
            raise ValidationError({key: _("Give a value from 0 to %(n)d.") % {"n": QUIZ_LIMITS[key]}})
    opens = values.get("opens_at") or quiz.opens_at
    closes = values.get("closes_at") or quiz.closes_at
    if opens and closes and closes <= opens:
        raise ValidationError({"closes_at": _("The close date must be after the open date (%(opens)s).")
                               % {"opens": timezone.localtime(opens).strftime("%H:%M %d/%m/%Y")}})


def _who(quiz: Quiz, user_id: int | None, cohort_id: int | None, actor=None) -> tuple[str, str]:
    """('user' | 'cohort', the name people know) after checking the person is enrolled, or that
    the cohort is one of the actor's units (another unit's cohort reads as unknown)."""
    if (user_id is None) == (cohort_id is None):
        message = _("Choose either one person or one cohort.")
        raise ValidationError({"user": message, "cohort": message})
    if user_id is not None:
        person = user_get(user_id)
        if person is None or not courses_api.enrolled_user_ids(course_id=quiz.course_id, user_ids=[user_id]):
            raise ValidationError({"user": _("This person is not enrolled in the course of this quiz.")})
        return "user", person.full_name or person.email
    cohort = cohort_get(cohort_id=cohort_id)
    if cohort is None or (getattr(actor, "is_authenticated", False)
                          and not cohort_usable_by(actor, cohort_id)):
        raise ValidationError({"cohort": _("Unknown cohort.")})
    return "cohort", cohort.name


def _running(quiz: Quiz, override: QuizOverride) -> int:
    attempts = Attempt.objects.filter(quiz=quiz, status=AttemptStatus.IN_PROGRESS)
    if override.user_id is not None:
        return attempts.filter(user_id=override.user_id).count()
    return attempts.filter(user_id__in=cohort_member_ids(override.cohort_id)).count()


def _details(row: QuizOverride, who: str) -> dict:
    def show(value):
        return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if hasattr(value, "tzinfo") else value

    details = {"for": who, "user_id": row.user_id, "cohort_id": row.cohort_id}
    details.update({f"override_{k}": show(getattr(row, k)) for k in FIELDS if getattr(row, k) is not None})
    return details


def _lock_flag(quiz_id: int) -> None:
    """Lock the quiz row before an override is removed: the delete then reads what is left only
    after a concurrent create has committed, and a concurrent create's flagging
    (`QuizOverride.save`) waits for the delete and sets the flag again after it."""
    list(Quiz.objects.select_for_update().filter(pk=quiz_id).values_list("pk", flat=True))


@transaction.atomic
def override_create(*, actor, quiz_id: int, user_id: int | None = None, cohort_id: int | None = None,
                    **values) -> OverrideWrite:
    quiz = selectors.quiz_get_for_staff(actor, quiz_id) if actor is not None else selectors.quiz_get(quiz_id)
    _kind, who = _who(quiz, user_id, cohort_id, actor)
    values = {k: values.get(k) for k in FIELDS}
    _check(quiz, values)
    exists = QuizOverride.objects.filter(quiz=quiz, **({"user_id": user_id} if user_id else
                                                       {"cohort_id": cohort_id})).exists()
    if exists:
        field = "user" if user_id else "cohort"
        message = _("This quiz already has an override for them; change that one instead.")
        raise Conflict(message, code="override_exists", fields={field: message})
    try:
        with transaction.atomic():
            row = QuizOverride.objects.create(quiz=quiz, user_id=user_id, cohort_id=cohort_id,
                                              created_by=actor if getattr(actor, "is_authenticated", False)
                                              else None, **values)
    except IntegrityError:  # a concurrent create of the same override
        message = _("This quiz already has an override for them; change that one instead.")
        raise Conflict(message, code="override_exists") from None
    audit_record(actor=actor, verb="assessments.override_created", target=quiz, details=_details(row, who))
    return OverrideWrite(row, _running(quiz, row))


@transaction.atomic
def override_update(*, actor, override_id: int, **changes) -> OverrideWrite:
    row = override_get_for_staff(actor, override_id) if actor is not None else \
        QuizOverride.objects.select_related("quiz").get(pk=override_id)
    row = QuizOverride.objects.select_for_update(of=("self",)).select_related("quiz", "user", "cohort").get(
        pk=row.pk)
    for key, value in changes.items():
        if key not in FIELDS:
            raise DomainError(_("Only the dates, the time limit and the attempts can be changed."),
                              code="invalid", status=400, fields={key: _("This field cannot be changed.")})
        setattr(row, key, value)
    _check(row.quiz, {k: getattr(row, k) for k in FIELDS})
    row.save()
    who = (row.user.full_name or row.user.email) if row.user_id else row.cohort.name
    audit_record(actor=actor, verb="assessments.override_updated", target=row.quiz,
                 details=_details(row, who))
    return OverrideWrite(row, _running(row.quiz, row))


@transaction.atomic
def override_delete(*, actor, override_id: int) -> None:
    row = override_get_for_staff(actor, override_id) if actor is not None else \
        QuizOverride.objects.select_related("quiz", "user", "cohort").get(pk=override_id)
    who = (row.user.full_name or row.user.email) if row.user_id else row.cohort.name
    details = _details(row, who)
    quiz = row.quiz
    _lock_flag(quiz.pk)
    row.delete()
    if not QuizOverride.objects.filter(quiz_id=quiz.pk).exists():
        Quiz.objects.filter(pk=quiz.pk).update(has_overrides=False)
        quiz.has_overrides = False
    audit_record(actor=actor, verb="assessments.override_deleted", target=quiz, details=details)
