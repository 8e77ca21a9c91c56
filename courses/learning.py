"""Writes a learner's actions cause: lesson results, completion, time and resume position, and
the enrolment's percent and completion recomputed in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.errors import Conflict, DomainError
from courses import progress as rules
from courses.data import enrolment_data
from courses.models import (
    CompletionRule,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonKind,
    LessonProgress,
    ProgressStatus,
)
from courses.selectors import LIVE_ENROLMENT, lesson_get_for_learner, not_found
from courses.signals import enrolment_completed

# Quizzes and H5P report their own results through `lesson_record_result`; a learner cannot
# simply declare them done.
SELF_COMPLETED_KINDS = frozenset({LessonKind.TEXT, LessonKind.VIDEO, LessonKind.FILE})
MAX_TRACKED_SECONDS = 3600  # per report: a stuck tab must not add days of "study"


def _rule(course: Course) -> tuple[list[int], str, int]:
    snap = course.published or {}
    return (rules.counted_lesson_ids(snap), snap.get("completion_rule", CompletionRule.ALL_REQUIRED),
            snap.get("completion_percent", 100))


def _apply_percent(enrolment: Enrolment, course: Course, percent_now: int, counted: int) -> list[str]:
    """Set percent and, on the None -> value transition of `completed_at`, complete the
    enrolment and announce it. The caller holds the enrolment row lock."""
    _counted, rule, threshold = _rule(course)
    changed: list[str] = []
    if enrolment.completed_at is not None:
        percent_now = max(percent_now, enrolment.percent)  # completion is never taken back
    if percent_now != enrolment.percent:
        enrolment.percent = percent_now
        changed.append("percent")
    if enrolment.completed_at is None and rules.is_complete(
            rule=rule, threshold=threshold, percent_done=percent_now, counted=counted):
        enrolment.completed_at = timezone.now()
        enrolment.status = EnrolmentStatus.COMPLETED
        changed += ["completed_at", "status"]
    return changed


def _save_and_announce(enrolment: Enrolment, changed: list[str]) -> None:
    if not changed:
        return
    enrolment.save(update_fields=changed)
    if "completed_at" in changed:
        data = enrolment_data(enrolment)
        enrolment_completed.send(sender=type(data), enrolment=data)


def _refuse_archived(lesson: Lesson) -> None:
    if lesson.course.status == CourseStatus.ARCHIVED:
        raise Conflict(_("This course is archived."), code="course_archived")


def _locked_enrolment(lesson: Lesson, user_id: int) -> Enrolment:
    """The learner's live enrolment in the lesson's course, under its row lock (refusals first,
    before anything is written)."""
    _refuse_archived(lesson)
    # Lock order everywhere: enrolment, then lesson progress.
    enrolment = Enrolment.objects.select_for_update().filter(
        user_id=user_id, course_id=lesson.course_id, status__in=LIVE_ENROLMENT).first()
    if enrolment is None:
        raise Conflict(_("You are not enrolled in this course."), code="not_enrolled")
    return enrolment


def _record(*, lesson: Lesson, enrolment: Enrolment, score: float | None, completed: bool,
            attempts: int | None = None, passed: bool | None = None,
            time_spent: int = 0, position: str | None = None) -> tuple[LessonProgress, Enrolment]:
    """Write the result. The caller holds the enrolment's row lock (`_locked_enrolment`, or
    `lesson_get_for_learner(lock=True)`)."""
    course = lesson.course
    # The enrolment lock serialises writers of this enrolment, so a missing row can simply be
    # inserted (no get_or_create savepoint dance).
    progress = LessonProgress.objects.select_for_update().filter(
        enrolment=enrolment, lesson=lesson).first() or LessonProgress(enrolment=enrolment, lesson=lesson)
    now = timezone.now()
    was_completed = progress.status == ProgressStatus.COMPLETED
    if score is not None:
        progress.score = min(max(float(score), 0.0), 1.0)
    if attempts is not None:
        progress.attempts = attempts
    if passed is not None:
        progress.passed = passed
    if time_spent:
        progress.time_spent_seconds += min(max(int(time_spent), 0), MAX_TRACKED_SECONDS)
    if position is not None:
        progress.position = position[:255]
    progress.started_at = progress.started_at or now
    if completed and not was_completed:
        progress.status = ProgressStatus.COMPLETED
        progress.completed_at = now
    elif not was_completed:
        progress.status = ProgressStatus.IN_PROGRESS
    progress.save()

    changed: list[str] = []
    if enrolment.last_lesson_id != lesson.pk:
        enrolment.last_lesson_id = lesson.pk
        changed.append("last_lesson")
    if completed and not was_completed:
        counted, _rule_name, _threshold = _rule(course)
        done = LessonProgress.objects.filter(enrolment=enrolment, lesson_id__in=counted,
                                             status=ProgressStatus.COMPLETED).count()
        percent_now = (done * 100) // len(counted) if counted else 0
        changed += _apply_percent(enrolment, course, percent_now, len(counted))
    _save_and_announce(enrolment, changed)
    return progress, enrolment


def lesson_record_result(*, user_id: int, lesson_id: int, score: float | None, completed: bool,
                         attempts: int | None = None, passed: bool | None = None) -> None:
    """A quiz or H5P activity reports a result (score is a fraction 0..1), in the caller's
    transaction (or its own, when there is none).

    No savepoint of its own: the caller's transaction is the unit (the quiz submit, the xAPI
    statement), and a savepoint per result was half the time of a quiz submit. Its refusals
    (`not_found`, `course_archived`, `not_enrolled`) all come before any write, and they leave
    the atomic block normally before being raised, so a caller that catches them (a withdrawn
    trainee's quiz is still graded) keeps a usable transaction."""
    refusal: DomainError | None = None
    with transaction.atomic(savepoint=False):
        try:
            lesson = Lesson.objects.select_related("course").filter(
                pk=lesson_id, published__isnull=False).first()
            if lesson is None:
                raise not_found()
            enrolment = _locked_enrolment(lesson, user_id)
        except DomainError as exc:
            refusal = exc
        else:
            _record(lesson=lesson, enrolment=enrolment, score=score, completed=completed,
                    attempts=attempts, passed=passed)
    if refusal is not None:
        raise refusal


@transaction.atomic
def lesson_complete(*, user, lesson_id: int) -> tuple[LessonProgress, Enrolment]:
    """The learner marks a text, video or file lesson done (prerequisites must be met)."""
    # The enrolment is read under its lock by the read that checks it (one query, not two).
    lesson, enrolment = lesson_get_for_learner(user, lesson_id, lock=True)
    if lesson.published["kind"] not in SELF_COMPLETED_KINDS:
        raise Conflict(_("This lesson is completed by its activity, not by hand."),
                       code="completed_by_activity")
    _refuse_archived(lesson)
    return _record(lesson=lesson, enrolment=enrolment, score=None, completed=True)


@transaction.atomic
def lesson_track(*, user, lesson_id: int, time_spent_seconds: int = 0,
                 position: str | None = None) -> tuple[LessonProgress, Enrolment]:
    """Time spent and where to resume; marks the lesson started."""
    lesson, enrolment = lesson_get_for_learner(user, lesson_id, lock=True)
    _refuse_archived(lesson)
    return _record(lesson=lesson, enrolment=enrolment, score=None, completed=False,
                   time_spent=time_spent_seconds, position=position)


def enrolments_recompute(course: Course, enrolment_ids: list[int] | None = None) -> int:
    """Bring percent (and completion) of active enrolments in line with the published outline,
    after a publish or a re-enrolment. Set-based: one aggregate, one bulk update, then one locked
    completion per enrolment that completes now. Returns how many enrolments completed."""
    counted, rule, threshold = _rule(course)
    active = Enrolment.objects.filter(course=course, status=EnrolmentStatus.ACTIVE)
    if enrolment_ids is not None:
        active = active.filter(pk__in=enrolment_ids)
    done = dict(
        LessonProgress.objects.filter(enrolment__in=active, lesson_id__in=counted,
                                      status=ProgressStatus.COMPLETED)
        .values("enrolment_id").annotate(n=Count("id")).values_list("enrolment_id", "n")
    )
    to_update: list[Enrolment] = []
    completing: list[tuple[int, int]] = []
    for enrolment in active.only("id", "percent"):
        percent_now = (done.get(enrolment.pk, 0) * 100) // len(counted) if counted else 0
        if rules.is_complete(rule=rule, threshold=threshold, percent_done=percent_now,
                             counted=len(counted)):
            completing.append((enrolment.pk, percent_now))
        elif percent_now != enrolment.percent:
            enrolment.percent = percent_now
            to_update.append(enrolment)
    Enrolment.objects.bulk_update(to_update, ["percent"], batch_size=1000)
    for enrolment_id, percent_now in completing:
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
        _save_and_announce(enrolment, _apply_percent(enrolment, course, percent_now, len(counted)))
    return len(completing)
