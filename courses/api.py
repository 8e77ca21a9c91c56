"""The public face of courses for assessments, certificates and frontend.

The functions defined here return frozen dataclasses from `courses.data`, never model instances.
`enrolment_completed` is the one hook courses announces upward.

The web pages (`frontend`) reach this app only through this module, which also re-exports
for them the selectors, services, enumerations and, for querysets and forms, the model
classes they use (docs/decisions/0060-what-frontend-may-import.md). Other apps keep to the
dataclass functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from backend.accounts.api import search_q
from courses import selectors
from courses import services as _services
from courses.attempt_grading import GradingMethod as AttemptGradingMethod
from courses.attempt_grading import aggregate_score as attempts_aggregate_score
from courses.covers import SIZES, cover_pattern, cover_url
from courses.dashboard import RECENT as DASHBOARD_RECENT
from courses.dashboard import (
    LearnerCourse,
    authored_course_ids,
    learner_courses,
    month_start,
    recent_completions,
    recommended_courses,
    trainer_courses,
    unit_dashboard_figures,
)
from courses.data import (
    CourseAnalytics,
    CourseData,
    EnrolmentData,
    LearnerLesson,
    LessonData,
    PublishChanges,
    course_data,
    enrolment_data,
    lesson_data,
)
from courses.due_dates import effective_due_at, with_effective_due_at
from courses.enrolments import enrolment_self, enrolment_withdraw, enrolments_add
from courses.enrolments import enrolment_set_due_at as _enrolment_set_due_at
from courses.html import sanitise_html
from courses.learning import SELF_COMPLETED_KINDS, lesson_complete
from courses.learning import lesson_record_result as _lesson_record_result
from courses.models import (
    CompletionRule,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonKind,
    Module,
    ProgressStatus,
)
from courses.progress import is_locked, next_lesson, outline_lessons
from courses.reports import EMPTY as EMPTY_FIGURES
from courses.reports import LEARNER_COLUMNS, UnitFigures, UnitRollup, course_learner_rows, unit_rollup
from courses.rest.payloads import lesson_file_url, published_outline_payload
from courses.selectors import (
    catalogue,
    course_get_for_author,
    course_get_visible,
    courses_authored_by,
    courses_visible_to,
    cover_is_current,
    draft_outline,
    enrolment_of,
    enrolment_visibility_q,
    enrolments_of_user,
    learner_course_of_lesson,
    learner_statuses,
    lesson_unmet_prerequisites,
    module_get_for_author,
    staff_paths,
    statuses_by_enrolment,
)
from courses.selectors import lesson_get_for_author as access_lesson_as_author
from courses.selectors import lesson_get_for_learner as access_lesson_as_learner
from courses.services import (
    course_archive,
    course_create,
    course_remove_cover,
    course_reorder,
    course_restore,
    course_set_cover,
    course_update,
    lesson_attach_file,
    lesson_delete,
    lesson_update,
    module_delete,
    module_update,
)
from courses.signals import enrolment_completed

__all__ = [
    "DASHBOARD_RECENT",
    "EMPTY_FIGURES",
    "LEARNER_COLUMNS",
    "SELF_COMPLETED_KINDS",
    "SIZES",
    "AttemptGradingMethod",
    "CompletionRule",
    "Course",
    "CourseAnalytics",
    "CourseData",
    "CourseStatus",
    "Enrolment",
    "EnrolmentData",
    "EnrolmentStatus",
    "LearnerCourse",
    "LearnerLesson",
    "Lesson",
    "LessonData",
    "LessonKind",
    "ProgressStatus",
    "PublishChanges",
    "UnitFigures",
    "UnitRollup",
    "access_lesson_as_author",
    "access_lesson_as_learner",
    "attempts_aggregate_score",
    "authored_course_ids",
    "catalogue",
    "course_analytics",
    "course_archive",
    "course_create",
    "course_get",
    "course_get_for_author",
    "course_get_visible",
    "course_is_staff",
    "course_learner_rows",
    "course_publish",
    "course_publish_changes",
    "course_remove_cover",
    "course_reorder",
    "course_restore",
    "course_set_cover",
    "course_update",
    "courses_authored_by",
    "courses_visible_to",
    "cover_is_current",
    "cover_pattern",
    "cover_url",
    "draft_outline",
    "effective_due_at",
    "enrolled_people_search",
    "enrolled_user_ids",
    "enrolment_completed",
    "enrolment_due_at_for",
    "enrolment_ensure",
    "enrolment_get",
    "enrolment_new_round",
    "enrolment_of",
    "enrolment_self",
    "enrolment_set_due_at",
    "enrolment_visibility_q",
    "enrolment_withdraw",
    "enrolments_add",
    "enrolments_for_course",
    "enrolments_of_user",
    "is_locked",
    "learner_course_of_lesson",
    "learner_courses",
    "learner_ids",
    "learner_statuses",
    "lesson_access_for_learner",
    "lesson_attach_file",
    "lesson_complete",
    "lesson_create",
    "lesson_delete",
    "lesson_file_url",
    "lesson_get",
    "lesson_get_for_author",
    "lesson_get_for_learner",
    "lesson_record_result",
    "lesson_set_activity",
    "lesson_unmet_prerequisites",
    "lesson_update",
    "module_create",
    "module_delete",
    "module_get_for_author",
    "module_lessons",
    "module_update",
    "month_start",
    "next_lesson",
    "outline_lessons",
    "published_outline_payload",
    "recent_completions",
    "recommended_courses",
    "round_started_at",
    "sanitise_html",
    "staff_paths",
    "statuses_by_enrolment",
    "trainer_courses",
    "unit_dashboard_figures",
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
    return lesson_access_for_learner(user=user, lesson_id=lesson_id).lesson


def lesson_access_for_learner(*, user, lesson_id: int) -> LearnerLesson:
    """As `lesson_get_for_learner`, with the start of the person's current round (what
    `round_started_at` would read) and the course and enrolment, all from the one query that
    checks access, so a caller need not read them again."""
    lesson, enrolment = selectors.lesson_get_for_learner(user, lesson_id)
    return LearnerLesson(lesson=lesson_data(lesson, published=True), user_id=enrolment.user_id,
                         round_started_at=enrolment.round_started_at, course=lesson.course,
                         enrolment=enrolment)


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
    # In the caller's transaction, without a savepoint (see learning.lesson_record_result).
    _lesson_record_result(user_id=user_id, lesson_id=lesson_id, score=score,
                          completed=completed, attempts=attempts, passed=passed)


def enrolment_get(*, user_id: int, course_id: int) -> EnrolmentData | None:
    enrolment = Enrolment.objects.filter(user_id=user_id, course_id=course_id).first()
    return enrolment_data(enrolment) if enrolment else None


def enrolment_ensure(*, user_id: int, course_id: int) -> EnrolmentData | None:
    """Enrol the person by the system (e.g. in a refresher course for recertification), or
    bring back a withdrawn enrolment; the existing one otherwise. DomainError when the course is
    not published or is archived."""
    from courses.enrolments import enrolments_add

    enrolments_add(actor=None, course_id=course_id, user_ids=[user_id])
    return enrolment_get(user_id=user_id, course_id=course_id)


def enrolment_new_round(*, user_id: int, course_id: int, reason: str = "") -> EnrolmentData | None:
    """Start the course again (recertification by re-take): a completed enrolment's round and
    lesson results are kept in its history and cleared for the new round, in the caller's
    transaction; an enrolment still in progress is left alone. None when not enrolled."""
    from courses.rounds import enrolment_new_round as _new_round

    enrolment = _new_round(user_id=user_id, course_id=course_id, reason=reason)
    return enrolment_data(enrolment) if enrolment else None


def round_started_at(*, user_id: int, course_id: int):
    """Start of the person's current round of the course (None: their first round); results
    such as quiz attempts from before it belong to an earlier round."""
    from courses.rounds import round_started_at as _started

    return _started(user_id=user_id, course_id=course_id)


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


def module_create(*, actor, course_id: int, title: str, version: int | None = None) -> int:
    """Add a draft module; `actor=None` is the system (demo seeding). `version`: the course
    version the author's page showed (409 `version_conflict` when the draft moved on)."""
    return _services.module_create(actor=actor, course_id=course_id, title=title, version=version).pk


def lesson_create(*, actor, module_id: int, kind: str, title: str, required: bool = True,
                  prerequisites: list[int] | None = None, version: int | None = None) -> LessonData:
    """Add a draft lesson (publish to show it to learners); `actor=None` is the system."""
    lesson = _services.lesson_create(actor=actor, module_id=module_id, kind=kind, title=title,
                                     required=required, prerequisites=prerequisites or [],
                                     version=version)
    return lesson_data(lesson, published=False)


def course_publish(*, actor, course_id: int, version: int | None = None) -> CourseData:
    return course_data(_services.course_publish(actor=actor, course_id=course_id, version=version))


def enrolment_due_at_for(*, user_id: int, course_id: int):
    """The effective due date of the user's enrolment in the course (None: none, or not enrolled)."""
    enrolment = (Enrolment.objects.select_related("course")
                 .filter(user_id=user_id, course_id=course_id).first())
    return effective_due_at(enrolment) if enrolment else None


def enrolled_user_ids(*, course_id: int, user_ids: Iterable[int], live_only: bool = True) -> set[int]:
    """Which of `user_ids` are enrolled in the course (live only by default: not withdrawn)."""
    qs = Enrolment.objects.filter(course_id=course_id, user_id__in=list(user_ids))
    if live_only:
        qs = qs.exclude(status=EnrolmentStatus.WITHDRAWN)
    return set(qs.values_list("user_id", flat=True))


def enrolment_set_due_at(*, actor, enrolment_id: int, due_at) -> EnrolmentData:
    """Give one person an extension of the course's due date (None removes it); audited."""
    return enrolment_data(_enrolment_set_due_at(actor=actor, enrolment_id=enrolment_id, due_at=due_at))


def enrolled_people_search(*, course_id: int, search: str = "",
                           limit: int = 20) -> list[tuple[int, str, str]]:
    """(user id, full name, e-mail) of people enrolled in the course (not withdrawn) whose name
    matches `search` with accents and case ignored, or whose e-mail address contains it."""
    qs = Enrolment.objects.filter(course_id=course_id).exclude(status=EnrolmentStatus.WITHDRAWN)
    text = (search or "").strip()
    if text:
        by_name = search_q(text, "user__search_name")
        qs = qs.filter((by_name or Q(pk__in=[])) | Q(user__email__icontains=text))
    rows = qs.order_by("user__search_name", "pk").values_list("user_id", "user__full_name", "user__email")
    return list(rows[:limit])
