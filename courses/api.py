"""The public face of courses for assessments, certificates and frontend.

Functions here return frozen dataclasses from `courses.data`; nothing hands out model instances.
`enrolment_completed` is the one hook courses announces upward.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from courses import selectors
from courses import services as _services
from courses.data import (
    CourseAnalytics,
    CourseData,
    EnrolmentData,
    LessonData,
    PublishChanges,
    course_data,
    enrolment_data,
    lesson_data,
)
from courses.due_dates import effective_due_at, with_effective_due_at
from courses.learning import lesson_record_result as _lesson_record_result
from courses.models import Course, Enrolment, Lesson, Module
from courses.reports import EMPTY as EMPTY_FIGURES
from courses.reports import UnitFigures, UnitRollup, unit_rollup
from courses.signals import enrolment_completed

__all__ = [
    "EMPTY_FIGURES",
    "CourseAnalytics",
    "CourseData",
    "EnrolmentData",
    "LessonData",
    "PublishChanges",
    "UnitFigures",
    "UnitRollup",
    "course_analytics",
    "course_get",
    "course_is_staff",
    "course_publish",
    "course_publish_changes",
    "effective_due_at",
    "enrolment_completed",
    "enrolment_get",
    "enrolments_for_course",
    "learner_ids",
    "lesson_create",
    "lesson_get",
    "lesson_get_for_author",
    "lesson_get_for_learner",
    "lesson_record_result",
    "lesson_set_activity",
    "module_create",
    "module_lessons",
    "unit_rollup",
    "with_effective_due_at",
]


def learner_ids(*, course_id: int, user_ids: Iterable[int] | None = None) -> list[int]:
    """Active, unfinished learners of a course (those a reminder may concern)."""
    from courses.models import EnrolmentStatus

    rows = Enrolment.objects.filter(course_id=course_id, status=EnrolmentStatus.ACTIVE,
                                    user__is_active=True)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    return list(rows.values_list("user_id", flat=True))


def course_get(course_id: int) -> CourseData | None:
    course = Course.objects.filter(pk=course_id).first()
    return course_data(course) if course else None


def lesson_get(lesson_id: int) -> LessonData | None:
    """The lesson as authored (draft values); None if unknown, or deleted and no longer published."""
    lesson = Lesson.objects.filter(pk=lesson_id).first()
    if lesson is None or (lesson.deleted_at is not None and lesson.published is None):
        return None
    return lesson_data(lesson, published=False)


def lesson_get_for_learner(*, user, lesson_id: int) -> LessonData:
    """Published values of a lesson the user may work on now. DomainError 404 `not_found` when
    they may not see it; 409 `lesson_locked` while its prerequisites are unmet."""
    lesson, _enrolment = selectors.lesson_get_for_learner(user, lesson_id)
    return lesson_data(lesson, published=True)


def lesson_get_for_author(*, user, lesson_id: int) -> LessonData:
    """Draft values of a lesson the user may edit (trainer over the course's unit); else 404."""
    return lesson_data(selectors.lesson_get_for_author(user, lesson_id), published=False)


def course_is_staff(*, user, course_id: int) -> bool:
    course = Course.objects.select_related("organisation").filter(pk=course_id).first()
    return course is not None and selectors.is_course_staff(user, course)


def lesson_set_activity(*, lesson_id: int, activity_id: int | None) -> None:
    _services.lesson_set_activity(lesson_id=lesson_id, activity_id=activity_id)


def lesson_record_result(*, user_id: int, lesson_id: int, score: float | None, completed: bool,
                         attempts: int | None = None, passed: bool | None = None) -> None:
    """Store a result for the user's lesson and recompute the enrolment in the caller's
    transaction; fires `enrolment_completed` once when this completes the course.
    `score` is a fraction 0..1 (None: no score). A completed lesson stays completed."""
    with transaction.atomic():
        _lesson_record_result(user_id=user_id, lesson_id=lesson_id, score=score,
                              completed=completed, attempts=attempts, passed=passed)


def enrolment_get(*, user_id: int, course_id: int) -> EnrolmentData | None:
    enrolment = Enrolment.objects.filter(user_id=user_id, course_id=course_id).first()
    return enrolment_data(enrolment) if enrolment else None


def enrolments_for_course(*, course_id: int, user_ids: Iterable[int] | None = None,
                          completed_only: bool = True) -> list[EnrolmentData]:
    qs = Enrolment.objects.filter(course_id=course_id).order_by("pk")
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    if completed_only:
        qs = qs.filter(completed_at__isnull=False)  # a completion outlives a later withdrawal
    return [enrolment_data(e) for e in qs]


def course_analytics(*, course_id: int, lesson_id: int | None = None) -> CourseAnalytics | None:
    """Completion funnel, score distribution and enrolments over time (the caller checks access:
    trainers over the course's unit). None for an unknown course."""
    from courses.analytics import course_analytics as _analytics

    course = Course.objects.filter(pk=course_id).first()
    return _analytics(course, lesson_id=lesson_id) if course else None


def course_publish_changes(*, course_id: int) -> PublishChanges | None:
    """Counts of what publishing the draft now would change for trainees."""
    from courses.changes import publish_changes

    course = Course.objects.filter(pk=course_id).first()
    return publish_changes(course) if course else None

# --- authoring from apps that add lesson kinds (the H5P demo seeds a lesson with a package) -----

# --- authoring for seeding (demo data of apps above courses) ------------------------------------

def module_lessons(*, course_id: int) -> list[tuple[int, str, list[LessonData]]]:
    """The draft structure: (module id, module title, live lessons in order) per live module."""
    modules = list(Module.objects.filter(course_id=course_id, deleted_at__isnull=True)
                   .order_by("position", "pk"))
    lessons = Lesson.objects.filter(course_id=course_id, deleted_at__isnull=True).order_by("position", "pk")
    by_module: dict[int, list[LessonData]] = {}
    for lesson in lessons:
        by_module.setdefault(lesson.module_id, []).append(lesson_data(lesson, published=False))
    return [(m.pk, m.title, by_module.get(m.pk, [])) for m in modules]


def module_create(*, actor, course_id: int, title: str) -> int:
    """Add a draft module; `actor=None` is the system (demo seeding)."""
    return _services.module_create(actor=actor, course_id=course_id, title=title).pk


def lesson_create(*, actor, module_id: int, kind: str, title: str, required: bool = True,
                  prerequisites: list[int] | None = None) -> LessonData:
    """Add a draft lesson (publish to show it to learners); `actor=None` is the system."""
    lesson = _services.lesson_create(actor=actor, module_id=module_id, kind=kind, title=title,
                                     required=required, prerequisites=prerequisites or [])
    return lesson_data(lesson, published=False)


def course_publish(*, actor, course_id: int) -> CourseData:
    return course_data(_services.course_publish(actor=actor, course_id=course_id))
