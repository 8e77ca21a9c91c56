"""Writes a learner's actions cause: lesson results, completion, time and resume position, and
the enrolment's percent and completion recomputed in the same transaction."""

from __future__ import annotations

from django.db import connection, transaction
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
from courses.selectors import learner_lesson, lesson_get_for_learner, not_found
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


def _refusal(lesson_id: int, user_id: int) -> DomainError:
    """Why a result cannot be recorded when `learner_lesson` found nothing: the lesson is not
    published, its course is archived, or the learner holds no live enrolment in it (the rare
    path: read again to tell them apart, in the order the refusals have always come)."""
    lesson = Lesson.objects.select_related("course").filter(pk=lesson_id, published__isnull=False).first()
    if lesson is None:
        return not_found()
    if lesson.course.status == CourseStatus.ARCHIVED:
        return Conflict(_("This course is archived."), code="course_archived")
    return Conflict(_("You are not enrolled in this course."), code="not_enrolled")


_PROGRESS_COLUMNS = [f.column for f in LessonProgress._meta.concrete_fields]
_PROGRESS_FIELDS = [f.attname for f in LessonProgress._meta.concrete_fields]


def _upsert_progress(*, lesson: Lesson, enrolment: Enrolment, score: float | None, completed: bool,
                     attempts: int | None, passed: bool | None, time_spent: int,
                     position: str | None, counted: list[int] | None
                     ) -> tuple[LessonProgress, bool, int | None]:
    """Insert or update the (enrolment, lesson) progress row in one statement (INSERT ... ON
    CONFLICT DO UPDATE) instead of a locking read and a write. Returns the row as it is now,
    whether it was completed before this statement, and, when `counted` is given, how many of
    those lessons are completed now. Subqueries in RETURNING see the table as it was when the
    statement began (PostgreSQL's snapshot of the command), which is how the old status and the
    other lessons' count come back with it. The caller holds the enrolment's row lock, which
    every writer of this enrolment's progress takes first."""
    now = timezone.now()
    table = LessonProgress._meta.db_table
    done = ProgressStatus.COMPLETED
    values = {
        "enrolment_id": enrolment.pk, "lesson_id": lesson.pk,
        "status": done if completed else ProgressStatus.IN_PROGRESS,
        "score": None if score is None else min(max(float(score), 0.0), 1.0),
        "passed": passed, "attempts": attempts or 0,
        "time_spent_seconds": min(max(int(time_spent), 0), MAX_TRACKED_SECONDS) if time_spent else 0,
        "position": (position or "")[:255], "started_at": now,
        "completed_at": now if completed else None, "updated_at": now,
    }
    if completed:  # a completed lesson keeps its first completion
        updates = ["status = EXCLUDED.status",
                   f"completed_at = CASE WHEN {table}.status = %s THEN {table}.completed_at "
                   "ELSE EXCLUDED.completed_at END"]
    else:
        updates = [f"status = CASE WHEN {table}.status = %s THEN {table}.status ELSE EXCLUDED.status END"]
    update_params: list = [done]
    updates += [f"started_at = COALESCE({table}.started_at, EXCLUDED.started_at)",
                "updated_at = EXCLUDED.updated_at"]
    updates += [f"{name} = EXCLUDED.{name}" for name, given in
                (("score", score is not None), ("attempts", attempts is not None),
                 ("passed", passed is not None), ("position", position is not None)) if given]
    if time_spent:
        updates.append(f"time_spent_seconds = {table}.time_spent_seconds + EXCLUDED.time_spent_seconds")
    columns = list(values)
    returning = ", ".join(f"{table}.{c}" for c in _PROGRESS_COLUMNS)
    old_status = f"(SELECT o.status FROM {table} o WHERE o.enrolment_id = %s AND o.lesson_id = %s)"  # noqa: S608
    returning_params: list = [enrolment.pk, lesson.pk]
    if counted is not None:
        ids = [i for i in counted if i != lesson.pk] or [0]
        others = (f"(SELECT COUNT(*) FROM {table} o WHERE o.enrolment_id = %s "  # noqa: S608
                  f"AND o.status = %s AND o.lesson_id IN ({', '.join(['%s'] * len(ids))}) "
                  "AND o.lesson_id <> %s)")
        returning_params += [enrolment.pk, done, *ids, lesson.pk]
    else:
        others = "NULL"
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "  # noqa: S608
           f"ON CONFLICT (enrolment_id, lesson_id) DO UPDATE SET {', '.join(updates)} ")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{sql} RETURNING {returning}, {old_status}, {others}",
                           [*values.values(), *update_params, *returning_params])
            row = cursor.fetchone()
        else:  # SQLite's RETURNING subqueries see the new row: read the old state first
            cursor.execute(f"SELECT {old_status}, {others}", returning_params)
            before = cursor.fetchone()
            cursor.execute(f"{sql} RETURNING {returning}", [*values.values(), *update_params])
            row = (*cursor.fetchone(), *before)
    progress = LessonProgress.from_db(connection.alias, _PROGRESS_FIELDS, row[:len(_PROGRESS_FIELDS)])
    was_completed = row[-2] == done
    completed_now = None
    if counted is not None:
        completed_now = row[-1] + (1 if lesson.pk in counted and progress.status == done else 0)
    return progress, was_completed, completed_now


def _record(*, lesson: Lesson, enrolment: Enrolment, score: float | None, completed: bool,
            attempts: int | None = None, passed: bool | None = None,
            time_spent: int = 0, position: str | None = None) -> tuple[LessonProgress, Enrolment]:
    """Write the result: one UPSERT of the progress row (with the completed count when this
    may complete the lesson), then the enrolment's update if anything of it changed. The caller
    holds the enrolment's row lock (`learner_lesson(lock=True)`)."""
    course = lesson.course
    counted = _rule(course)[0] if completed else None
    progress, was_completed, done = _upsert_progress(
        lesson=lesson, enrolment=enrolment, score=score, completed=completed, attempts=attempts,
        passed=passed, time_spent=time_spent, position=position, counted=counted)
    changed: list[str] = []
    if enrolment.last_lesson_id != lesson.pk:
        enrolment.last_lesson_id = lesson.pk
        changed.append("last_lesson")
    if completed and not was_completed:  # nothing to recompute unless this lesson just completed
        percent_now = (done * 100) // len(counted) if counted else 0
        changed += _apply_percent(enrolment, course, percent_now, len(counted))
    _save_and_announce(enrolment, changed)
    return progress, enrolment


def lesson_record_result(*, user_id: int, lesson_id: int, score: float | None, completed: bool,
                         attempts: int | None = None, passed: bool | None = None) -> None:
    """A quiz or H5P activity reports a result (score is a fraction 0..1), in the caller's
    transaction (or its own, when there is none).

    No savepoint of its own: the caller's transaction is the unit (the quiz submit, the xAPI
    statement), and a savepoint per result was half the time of a quiz submit. One query reads
    the lesson, its course and the learner's enrolment under the enrolment's lock; its refusals
    (`not_found`, `course_archived`, `not_enrolled`) all come before any write, and they leave
    the atomic block normally before being raised, so a caller that catches them (a withdrawn
    trainee's quiz is still graded) keeps a usable transaction."""
    refusal: DomainError | None = None
    with transaction.atomic(savepoint=False):
        # Lock order everywhere: enrolment, then lesson progress.
        found = learner_lesson(user_id, lesson_id, lock=True)
        if found is None:
            refusal = _refusal(lesson_id, user_id)
        elif found[0].course.status == CourseStatus.ARCHIVED:
            refusal = Conflict(_("This course is archived."), code="course_archived")
        else:
            lesson, enrolment = found
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
