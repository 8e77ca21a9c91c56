"""Trainers grade essays and override attempt grades. Every change re-computes the attempt, the
quiz grade and the course progress in one transaction and is written to the audit log.

Lock order: the attempt row, then its responses (the same order as submit), so a grade never
interleaves with a submit or another grader.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.attempts import apply_score, report_result
from assessments.models import Attempt, AttemptStatus, Response
from assessments.questions import QUESTION_TYPES
from assessments.reminders import essay_graded_notify
from backend.audit.api import audit_record
from backend.errors import Conflict
from backend.limits import FREE_TEXT_MAX_CHARS

MANUAL_TYPES = [name for name, qtype in QUESTION_TYPES.items() if qtype.manual]


def _check_free_text(field: str, text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").strip()
    if len(text) > FREE_TEXT_MAX_CHARS:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": FREE_TEXT_MAX_CHARS}})
    return text


def check_gradable(response: Response) -> None:
    """Only what the grading queue lists is graded by hand: an answered essay. Automatic grades
    are corrected by overriding the attempt's grade (with a reason)."""
    if response.version.type not in MANUAL_TYPES or not response.answered:
        raise Conflict(_("Only answered essays are graded by hand; to change an automatic grade, "
                         "override the attempt's grade."), code="not_manually_graded")


def essay_responses() -> QuerySet[Response]:
    """Answered essay responses of finished attempts: what a grader may have to grade."""
    return Response.objects.filter(attempt__status=AttemptStatus.FINISHED,
                                   version__type__in=MANUAL_TYPES, answered=True)


def grading_queue(quiz_id: int, *, include_graded: bool = False) -> QuerySet[Response]:
    """Essay responses of finished attempts, oldest first; by default only those awaiting a grade."""
    qs = (
        essay_responses().filter(attempt__quiz_id=quiz_id)
        .select_related("attempt__user", "version")
        .order_by("attempt__finished_at", "position")
    )
    return qs if include_graded else qs.filter(fraction__isnull=True)


def _locked_attempt_for_staff(actor, attempt_id: int) -> Attempt:
    attempt = Attempt.objects.select_for_update().select_related("quiz").filter(pk=attempt_id).first()
    if attempt is None or not selectors.is_quiz_staff(actor, attempt.quiz):
        raise selectors.not_found()
    if attempt.status != AttemptStatus.FINISHED:
        raise ValidationError({"attempt": _("The attempt is not submitted yet.")})
    return attempt


@transaction.atomic
def response_grade(*, actor, response_id: int, mark: float, feedback: str = "") -> Response:
    """Set the mark of one answered essay. Everything is checked before anything is written."""
    attempt_id = Response.objects.filter(pk=response_id).values_list("attempt_id", flat=True).first()
    if attempt_id is None:
        raise selectors.not_found()
    attempt = _locked_attempt_for_staff(actor, attempt_id)
    responses = list(attempt.responses.select_related("version"))
    response = next(r for r in responses if r.pk == response_id)
    check_gradable(response)
    feedback = _check_free_text("feedback", feedback)
    if isinstance(mark, bool) or not isinstance(mark, int | float) or not 0 <= mark <= response.max_mark:
        raise ValidationError(
            {"mark": _("The mark must be between 0 and %(max)s.")
                     % {"max": formats.number_format(response.max_mark, decimal_pos=2)}}
        )
    before = response.fraction
    response.fraction = round(mark / response.max_mark, 7) if response.max_mark else 0.0
    response.feedback = feedback
    response.manual = True
    response.graded_by = actor
    response.graded_at = timezone.now()
    response.save(update_fields=["fraction", "feedback", "manual", "graded_by", "graded_at"])
    apply_score(attempt, responses)
    attempt.save(update_fields=["mark", "max_mark", "percentage", "needs_grading"])
    report_result(attempt.quiz, attempt.user_id)
    essay_graded_notify(attempt)
    audit_record(
        actor=actor,
        verb="assessments.response_graded",
        target=attempt,
        details={
            "response": response.pk,
            "position": response.position,
            "fraction_before": before,
            "fraction_after": response.fraction,
            "attempt_percentage": attempt.percentage,
        },
    )
    return response


@transaction.atomic
def attempt_override(*, actor, attempt_id: int, percentage: float | None, reason: str) -> Attempt:
    """Replace the attempt's grade (percent) with a reason; None removes the override."""
    reason = _check_free_text("reason", reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the change.")})
    if percentage is not None and (isinstance(percentage, bool) or not 0 <= percentage <= 100):
        raise ValidationError({"percentage": _("The grade is a percentage from 0 to 100.")})
    attempt = _locked_attempt_for_staff(actor, attempt_id)
    before = attempt.override_percentage
    attempt.override_percentage = None if percentage is None else float(percentage)
    attempt.override_reason = reason if percentage is not None else ""
    attempt.save(update_fields=["override_percentage", "override_reason"])
    report_result(attempt.quiz, attempt.user_id)
    audit_record(
        actor=actor,
        verb="assessments.attempt_overridden",
        target=attempt,
        details={
            "before": before,
            "after": attempt.override_percentage,
            "computed": attempt.percentage,
            "reason": reason,
        },
    )
    return attempt
