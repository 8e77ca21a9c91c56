"""Reads and the "fetch and check access" helpers for courses, lessons and enrolments.

Who sees what (decision 0001):
- staff (trainer or administrator) over a course's unit see it, drafts included; only trainers
  over the unit may edit it;
- a published course owned by unit U is open to users whose unit lies in U's subtree;
- whoever holds an enrolment (not withdrawn) keeps seeing the course, archived or not.
"""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from backend import raw_rows
from backend.accounts.api import (
    Role,
    ancestor_paths,
    holds,
    path_q,
    search_q,
    subtree_paths,
    user_organisation_path,
    user_role_scopes,
)
from backend.errors import Conflict, DomainError
from courses import progress as rules
from courses.models import (
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentRound,
    EnrolmentStatus,
    Lesson,
    LessonProgress,
    Module,
)

STAFF = (Role.TRAINER, Role.ADMINISTRATOR)
LIVE_ENROLMENT = (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)


def not_found() -> DomainError:
    return DomainError(_("Not found."), code="not_found", status=404)


# --- roles over a course --------------------------------------------------------------------

def staff_paths(user) -> list[str] | None:
    """Subtrees where the user is trainer or administrator (None: everywhere)."""
    return subtree_paths(user_role_scopes(user), STAFF)


def is_course_staff(user, course: Course) -> bool:
    scopes = user_role_scopes(user)
    path = course.organisation.path
    return holds(scopes, Role.TRAINER, path) or holds(scopes, Role.ADMINISTRATOR, path)


def is_course_author(user, course: Course) -> bool:
    return holds(user_role_scopes(user), Role.TRAINER, course.organisation.path)


def staff_covers_user(user, user_path: str | None) -> bool:
    """Is the caller trainer or administrator over the unit at `user_path`?"""
    scopes = user_role_scopes(user)
    return user_path is not None and any(holds(scopes, r, user_path) for r in STAFF)


# --- the one queryset filter per resource ------------------------------------------------------

def course_visibility_q(user, prefix: str = "") -> Q:
    """Courses the user may see (the list and every detail use this, so they agree)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    paths = staff_paths(user)
    if paths is None:
        return Q()  # staff everywhere see every course (Q() | x would be just x)
    staff = path_q(paths, f"{prefix}organisation__path")
    ancestors = ancestor_paths(user_organisation_path(user))
    open_to_unit = Q(**{f"{prefix}status": CourseStatus.PUBLISHED,
                        f"{prefix}organisation__path__in": ancestors})
    enrolled = Q(enrolments__user_id=user.pk, enrolments__status__in=LIVE_ENROLMENT)
    # `enrolled` is a join; wrap the whole thing in pk__in so rows are never duplicated.
    return staff | open_to_unit | Q(**{f"{prefix}pk__in": Course.objects.filter(enrolled).values("pk")})


def course_search_q(search: str, *, published: bool) -> Q | None:
    """Courses whose title, summary or the text of one of their lessons contains the search,
    accents and case ignored: in the published version or in the draft. None: no search.
    (Course and Lesson name their two keys alike; a lesson's published key is NULL while the
    lesson is not published, and a deleted draft lesson no longer counts.)"""
    field = "published_search_key" if published else "search_key"
    matches = search_q(search, field)
    if matches is None:
        return None
    lessons = Lesson.objects.filter(matches)
    if not published:
        lessons = lessons.filter(deleted_at__isnull=True)
    return matches | Q(pk__in=lessons.values("course_id"))


def courses_visible_to(user, *, search: str = "", status: str = "") -> QuerySet[Course]:
    qs = Course.objects.filter(course_visibility_q(user)).select_related("organisation")
    if status:
        qs = qs.filter(status=status)
    draft = course_search_q(search, published=False)
    if draft is not None:
        paths = staff_paths(user)
        if paths is None:
            qs = qs.filter(draft)
        else:
            # Staff search their drafts; everyone else searches what was published.
            staff = path_q(paths, "organisation__path")
            qs = qs.filter((staff & draft) | (~staff & course_search_q(search, published=True)))
    return qs


def courses_authored_by(user, *, search: str = "", status: str = "") -> QuerySet[Course]:
    """Courses the user may edit: those of units in their trainer subtrees (drafts included)."""
    if not getattr(user, "is_authenticated", False):
        return Course.objects.none()
    paths = subtree_paths(user_role_scopes(user), [Role.TRAINER])
    qs = Course.objects.filter(path_q(paths, "organisation__path")).select_related("organisation")
    if status:
        qs = qs.filter(status=status)
    draft = course_search_q(search, published=False)
    if draft is not None:
        qs = qs.filter(draft)
    return qs


def enrolment_visibility_q(user, course: Course) -> Q:
    """Enrolments of `course` the caller may see: all of them for the course's staff, those of
    users in the caller's staff subtrees otherwise, and always the caller's own."""
    if is_course_staff(user, course):
        return Q(course=course)
    return Q(course=course) & (path_q(staff_paths(user) or [], "user__organisation__path")
                               | Q(user_id=user.pk))


# --- fetch and check ---------------------------------------------------------------------------

def course_get_visible(user, course_id: int) -> Course:
    course = courses_visible_to(user).filter(pk=course_id).first()
    if course is None:
        raise not_found()
    return course


def course_get_for_author(user, course_id: int) -> Course:
    course = Course.objects.select_related("organisation").filter(pk=course_id).first()
    if course is None or not is_course_author(user, course):
        raise not_found()
    return course


def module_get_for_author(user, module_id: int) -> Module:
    module = Module.objects.select_related("course__organisation").filter(
        pk=module_id, deleted_at__isnull=True).first()
    if module is None or not is_course_author(user, module.course):
        raise not_found()
    return module


def lesson_get_for_author(user, lesson_id: int) -> Lesson:
    lesson = Lesson.objects.select_related("course__organisation").filter(
        pk=lesson_id, deleted_at__isnull=True).first()
    if lesson is None or not is_course_author(user, lesson.course):
        raise not_found()
    return lesson


def enrolment_of(user_id: int, course_id: int, *, live_only: bool = True,
                 with_course: bool = False) -> Enrolment | None:
    """The user's enrolment in the course; `with_course` reads the course in the same query (a
    live enrolment makes the course visible to its learner: course_visibility_q's `enrolled`).

    Written as SQL (built once per form): it opens every outline, in the API and as a page, and
    its ORM form cost more to build and compile than to run (decision 0077)."""
    params = [user_id, course_id, *(LIVE_ENROLMENT if live_only else ())]
    with connection.cursor() as cursor:
        cursor.execute(_enrolment_of_sql(live_only, with_course), params)
        row = cursor.fetchone()
    if row is None:
        return None
    end = raw_rows.width(Enrolment)
    enrolment = raw_rows.instance(Enrolment, row[:end])
    if with_course:
        enrolment.course = raw_rows.instance(Course, row[end:])
    return enrolment


@functools.cache
def _enrolment_of_sql(live_only: bool, with_course: bool) -> str:
    enrolment, course = Enrolment._meta.db_table, Course._meta.db_table
    select = raw_rows.columns(Enrolment, "e") + (f", {raw_rows.columns(Course, 'c')}" if with_course else "")
    join = f" JOIN {course} c ON c.id = e.course_id" if with_course else ""
    live = " AND e.status IN (%s, %s)" if live_only else ""
    # One row at most: (user, course) is unique among enrolments (enrolment_once).
    return (f"SELECT {select} FROM {enrolment} e{join} "  # noqa: S608 - our tables
            f"WHERE e.user_id = %s AND e.course_id = %s{live}")


def progress_statuses(enrolment_id: int, lesson_ids=None) -> dict[int, str]:
    qs = LessonProgress.objects.filter(enrolment_id=enrolment_id)
    if lesson_ids is not None:
        qs = qs.filter(lesson_id__in=list(lesson_ids))
    return dict(qs.values_list("lesson_id", "status"))


def _display_rows(qs) -> list[tuple[int, int, str]]:
    rows = qs.values_list("enrolment_id", "lesson_id", "status", "lesson__kind", "attempts", "score")
    return [(eid, lid, rules.display_status(status, kind=kind, attempts=attempts, score=score))
            for eid, lid, status, kind, attempts, score in rows]


def learner_statuses(enrolment_id: int) -> dict[int, str]:
    """lesson id -> the status the learner sees (stored status, or "awaiting grading" for a quiz
    whose attempts wait for a trainer): what "continue" and the course index decide with.
    Written as SQL: it runs on every outline, lesson and quiz page (decision 0077)."""
    with connection.cursor() as cursor:
        cursor.execute(_learner_statuses_sql(), [enrolment_id])
        rows = cursor.fetchall()
    return {lid: rules.display_status(status, kind=kind, attempts=attempts, score=score)
            for lid, status, kind, attempts, score in rows}


@functools.cache
def _learner_statuses_sql() -> str:
    progress, lesson = LessonProgress._meta.db_table, Lesson._meta.db_table
    return (f"SELECT p.lesson_id, p.status, l.kind, p.attempts, p.score "  # noqa: S608 - our tables
            f"FROM {progress} p JOIN {lesson} l ON l.id = p.lesson_id WHERE p.enrolment_id = %s")


def published_lesson_ids(course: Course) -> set[int]:
    return {lesson["id"] for lesson in rules.outline_lessons(course.published)}


@functools.cache
def _learner_lesson_sql(lock: bool) -> str:
    """`learner_lesson`'s statement, built once per lock mode."""
    enrolment, course, lesson = (m._meta.db_table for m in (Enrolment, Course, Lesson))
    rounds = EnrolmentRound._meta.db_table
    return (
        f"SELECT {raw_rows.columns(Enrolment, 'e')}, {raw_rows.columns(Course, 'c')}, "  # noqa: S608 - our tables
        f"{raw_rows.columns(Lesson, 'l')}, "
        f"(SELECT r.closed_at FROM {rounds} r WHERE r.enrolment_id = e.id ORDER BY r.number DESC LIMIT 1) "
        f"FROM {enrolment} e JOIN {course} c ON c.id = e.course_id "
        f"JOIN {lesson} l ON l.course_id = e.course_id "
        "WHERE e.user_id = %s AND e.status IN (%s, %s) AND l.id = %s AND l.published IS NOT NULL"
        + (" FOR UPDATE OF e" if lock and connection.features.has_select_for_update_of else "")
    )


def learner_lesson(user_id: int, lesson_id: int, *, lock: bool = False) -> tuple[Lesson, Enrolment] | None:
    """The published lesson, its course and the user's live enrolment in that course, in one
    query (None when the lesson is not published or the user holds no live enrolment in its
    course). The enrolment carries `round_started_at` (the start of the person's current round,
    courses.rounds.round_started_at) from a subquery of the same statement. `lock`: the
    enrolment row is locked (FOR UPDATE OF the enrolment only, never the course or lesson).

    Written as SQL: this statement runs on every lesson opened, completed or graded, and its
    ORM form (a filtered relation, two select_related, a subquery) cost about 2 ms to build
    and compile against well under 1 ms to run (decision 0075)."""
    with connection.cursor() as cursor:
        cursor.execute(_learner_lesson_sql(lock), [user_id, *LIVE_ENROLMENT, lesson_id])
        row = cursor.fetchone()
    if row is None:
        return None
    e_end = raw_rows.width(Enrolment)
    c_end = e_end + raw_rows.width(Course)
    enrolment = raw_rows.instance(Enrolment, row[:e_end])
    course = raw_rows.instance(Course, row[e_end:c_end])
    lesson = raw_rows.instance(Lesson, row[c_end:-1])
    enrolment.round_started_at = raw_rows.value(EnrolmentRound, "closed_at", row[-1])
    enrolment.course = lesson.course = course
    return lesson, enrolment


def lesson_get_for_learner(user, lesson_id: int, *, lock: bool = False) -> tuple[Lesson, Enrolment]:
    """A published lesson of a course the user is enrolled in, with its prerequisites met.
    404 when the user may not see it at all, 409 `lesson_locked` when it is still locked.
    Lesson, course and enrolment come from one query (`learner_lesson`). `lock`: the enrolment
    is read under its row lock (a writer of this learner's progress takes it first anyway), so
    the prerequisites are checked under it too."""
    found = learner_lesson(user.pk, lesson_id, lock=lock)
    if found is None or found[0].course.status == CourseStatus.DRAFT:
        raise not_found()
    lesson, enrolment = found
    prerequisites = set(lesson.published.get("prerequisites", [])) & published_lesson_ids(lesson.course)
    if prerequisites:
        statuses = progress_statuses(enrolment.pk, prerequisites)
        if rules.is_locked(lesson.published, statuses, prerequisites):
            raise Conflict(_("Complete the prerequisite lessons first."), code="lesson_locked")
    return lesson, enrolment


def learner_course_of_lesson(user, lesson_id: int) -> tuple[Course, Enrolment] | None:
    """The course of a published lesson and the user's live enrolment in it (one query);
    None when the user is not enrolled (staff previewing) or the lesson is not published."""
    found = learner_lesson(user.pk, lesson_id)
    if found is None or found[0].course.published is None:
        return None
    lesson, enrolment = found
    return lesson.course, enrolment


def lessons_visible_to(user) -> QuerySet[Lesson]:
    """Lessons of courses the user may see: live draft lessons, and deleted ones still in the
    published version (whether the user may *read* one is `lesson_get_for_viewer`)."""
    return Lesson.objects.filter(
        course_visibility_q(user, "course__"),
        Q(deleted_at__isnull=True) | Q(published__isnull=False),
    ).select_related("course__organisation")


def lesson_get_for_viewer(user, lesson_id: int, *, draft: bool = False
                          ) -> tuple[Lesson, bool, Enrolment | None]:
    """A lesson as the caller may read it: (lesson, draft?, enrolment). Authors asking for the
    draft get it; the course's staff get the published lesson; anyone else gets what
    `lesson_get_for_learner` allows (404 not visible or not enrolled, 409 `lesson_locked`).
    The lesson page, GET /api/v1/lessons/{id}/ and the lesson's file all decide with this."""
    lesson = lessons_visible_to(user).filter(pk=lesson_id).first()
    if lesson is None:
        raise not_found()
    if draft and lesson.deleted_at is None and is_course_author(user, lesson.course):
        return lesson, True, None
    if is_course_staff(user, lesson.course):
        if lesson.published is None:
            raise not_found()
        return lesson, False, None
    lesson, enrolment = lesson_get_for_learner(user, lesson_id)
    return lesson, False, enrolment


def lesson_stored_file(lesson: Lesson, *, draft: bool) -> tuple[str, str]:
    """(storage name, uploaded file name) of the lesson's video or attachment; ("", "") if none.
    Learners get the published version's file: a replaced draft file waits for the publish."""
    values = ({"kind": lesson.kind, "video_file": lesson.video_file.name, "file": lesson.file.name,
               "file_name": lesson.file_name} if draft else lesson.published or {})
    name = values.get("video_file" if values.get("kind") == "video" else "file") or ""
    return name, (values.get("file_name") or "") if name else ""


def draft_outline(course: Course) -> list[Module]:
    """The draft structure for authors: live modules with their live lessons and prerequisites
    (three queries whatever the size)."""
    modules = list(Module.objects.filter(course=course, deleted_at__isnull=True))
    lessons = list(Lesson.objects.filter(course=course, deleted_at__isnull=True))
    through = Lesson.prerequisites.through.objects.filter(from_lesson__course=course).values_list(
        "from_lesson_id", "to_lesson_id")
    prereqs: dict[int, list[int]] = {}
    for src, dst in through:
        prereqs.setdefault(src, []).append(dst)
    by_module: dict[int, list[Lesson]] = {}
    for lesson in lessons:
        lesson.prerequisite_ids = sorted(prereqs.get(lesson.pk, []))
        by_module.setdefault(lesson.module_id, []).append(lesson)
    for module in modules:
        module.live_lessons = by_module.get(module.pk, [])
    return modules


# --- trainee pages (frontend): the catalogue, my courses, why a lesson is locked ------------------

def catalogue(user, *, search: str = "", language: str = "", open_only: bool = False,
              now=None) -> QuerySet[Course]:
    """Published courses the user may see, searched like the API (case and diacritics ignored);
    `open_only`: those taking self-enrolment right now."""
    qs = courses_visible_to(user, search=search, status=CourseStatus.PUBLISHED)
    if language:
        qs = qs.filter(published__language=language)
    if open_only:
        from django.utils import timezone

        now = now or timezone.now()
        qs = qs.filter(Q(enrolment_opens_at__isnull=True) | Q(enrolment_opens_at__lte=now),
                       Q(enrolment_closes_at__isnull=True) | Q(enrolment_closes_at__gt=now),
                       self_enrolment=True)
    return qs.order_by("-published_at", "-id")


def enrolments_of_user(user) -> list[Enrolment]:
    """The user's live enrolments (newest first) with their courses: one query."""
    return list(Enrolment.objects.filter(user_id=user.pk, status__in=LIVE_ENROLMENT)
                .select_related("course"))


def statuses_by_enrolment(enrolment_ids) -> dict[int, dict[int, str]]:
    """enrolment id -> {lesson id: status the learner sees}, for many enrolments in one query."""
    out: dict[int, dict[int, str]] = {eid: {} for eid in enrolment_ids}
    rows = _display_rows(LessonProgress.objects.filter(enrolment_id__in=list(enrolment_ids)))
    for enrolment_id, lesson_id, status in rows:
        out[enrolment_id][lesson_id] = status
    return out


def lesson_unmet_prerequisites(user, lesson_id: int) -> tuple[Course, dict, list[dict]]:
    """For a lesson `lesson_get_for_learner` refused as locked: its course, its published
    values and the published prerequisites not yet completed (outline entries, reading order)."""
    lesson = Lesson.objects.select_related("course").filter(
        pk=lesson_id, published__isnull=False).first()
    if lesson is None:
        raise not_found()
    enrolment = enrolment_of(user.pk, lesson.course_id)
    if enrolment is None:
        raise not_found()
    wanted = set(lesson.published.get("prerequisites", []))
    statuses = progress_statuses(enrolment.pk, wanted)
    unmet = [item for item in rules.outline_lessons(lesson.course.published)
             if item["id"] in wanted and statuses.get(item["id"]) != rules.COMPLETED]
    return lesson.course, {"id": lesson.pk, **lesson.published}, unmet


def cover_is_current(name: str) -> bool:
    """Is `name` the stored cover (either size) of some course? Only those are served."""
    return Course.objects.filter(Q(cover=name) | Q(cover_small=name)).exclude(cover="").exists()
