"""Authoring writes: courses, modules, lessons, order, publish and archive.

Every write locks the course row first (one lock order: course, then its children), checks the
author, optionally checks the `version` the client read (409 `version_conflict` on mismatch),
and bumps the version, so concurrent edits of one course never silently overwrite each other.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.api import Role, holds, organisation_get, search_key, user_role_scopes
from backend.audit.api import audit_record
from backend.errors import Conflict, DomainError, Forbidden
from courses import progress as rules
from courses.html import lesson_search_key, sanitise_html
from courses.learning import enrolments_recompute
from courses.models import (
    CompletionRule,
    Course,
    CourseStatus,
    Lesson,
    LessonKind,
    Module,
)
from courses.selectors import is_course_author, not_found
from courses.uploads import check_upload

CONTENT_FIELDS = frozenset({"title", "summary", "language", "completion_rule", "completion_percent"})
SETTING_FIELDS = frozenset({"self_enrolment", "enrolment_opens_at", "enrolment_closes_at", "due_at",
                            "issues_certificate"})


def _search_text(title: str, summary: str) -> str:
    return search_key(f"{title} {summary}")[:600]


def _lock_course(actor, course_id: int, version: int | None) -> Course:
    course = Course.objects.select_for_update().filter(pk=course_id).first()
    if course is None:
        raise not_found()
    if actor is not None and not is_course_author(actor, course):
        raise not_found()
    if version is not None and version != course.version:
        raise Conflict(_("Someone else changed this course meanwhile; reload and try again."),
                       code="version_conflict", fields={"version": str(course.version)})
    return course


def _touch(course: Course, *, content: bool = True) -> None:
    course.version += 1
    fields = ["version", "updated_at"]
    if content:
        course.has_unpublished_changes = True
        fields.append("has_unpublished_changes")
    course.save(update_fields=fields)


def _check_window(opens, closes) -> None:
    if opens and closes and closes <= opens:
        raise ValidationError({"enrolment_closes_at": _("Enrolment must close after it opens.")})


def _check_rule(rule: str, percent: int) -> None:
    if rule not in CompletionRule.values:
        raise ValidationError({"completion_rule": _("Unknown completion rule.")})
    if not 1 <= percent <= 100:
        raise ValidationError({"completion_percent": _("Give a percentage between 1 and 100.")})


@transaction.atomic
def course_create(*, actor, organisation_id: int, title: str, summary: str = "", language: str = "vi",
                  self_enrolment: bool = False, enrolment_opens_at=None, enrolment_closes_at=None,
                  due_at=None, issues_certificate: bool = False,
                  completion_rule: str = CompletionRule.ALL_REQUIRED,
                  completion_percent: int = 100) -> Course:
    unit = organisation_get(organisation_id)
    if unit is None:
        raise ValidationError({"organisation": _("Unknown unit.")})
    if actor is not None and not holds(user_role_scopes(actor), Role.TRAINER, unit.path):
        raise Forbidden(_("You are not a trainer of this unit."))
    _check_window(enrolment_opens_at, enrolment_closes_at)
    _check_rule(completion_rule, completion_percent)
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    course = Course(organisation_id=unit.id, title=title.strip(), summary=summary.strip(),
                    language=language, self_enrolment=self_enrolment,
                    enrolment_opens_at=enrolment_opens_at, enrolment_closes_at=enrolment_closes_at,
                    due_at=due_at, issues_certificate=issues_certificate,
                    completion_rule=completion_rule, completion_percent=completion_percent,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None)
    if not course.title:
        raise ValidationError({"title": _("A title is required.")})
    course.search_key = _search_text(course.title, course.summary)
    course.save()
    return course


@transaction.atomic
def course_update(*, actor, course_id: int, version: int, **changes) -> Course:
    course = _lock_course(actor, course_id, version)
    unknown = set(changes) - CONTENT_FIELDS - SETTING_FIELDS
    if unknown:
        raise ValidationError({field: _("This field cannot be changed.") for field in unknown})
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationError({"title": _("A title is required.")})
    if "language" in changes and changes["language"] not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    for field, value in changes.items():
        setattr(course, field, value.strip() if isinstance(value, str) else value)
    _check_window(course.enrolment_opens_at, course.enrolment_closes_at)
    _check_rule(course.completion_rule, course.completion_percent)
    course.search_key = _search_text(course.title, course.summary)
    course.save()
    _touch(course, content=bool(set(changes) & CONTENT_FIELDS))
    return course


# --- modules -------------------------------------------------------------------------------------

@transaction.atomic
def module_create(*, actor, course_id: int, title: str, version: int | None = None) -> Module:
    course = _lock_course(actor, course_id, version)
    if not title.strip():
        raise ValidationError({"title": _("A title is required.")})
    last = Module.objects.filter(course=course, deleted_at__isnull=True).aggregate(m=Max("position"))
    module = Module.objects.create(course=course, title=title.strip(), position=(last["m"] or 0) + 1)
    _touch(course)
    return module


@transaction.atomic
def module_update(*, actor, module_id: int, title: str, version: int | None = None) -> Module:
    module = _live_module(module_id)
    course = _lock_course(actor, module.course_id, version)
    if not title.strip():
        raise ValidationError({"title": _("A title is required.")})
    module.title = title.strip()
    module.save(update_fields=["title"])
    _touch(course)
    return module


@transaction.atomic
def module_delete(*, actor, module_id: int, version: int | None = None) -> None:
    """Soft delete: the module and its lessons leave the draft, and leave what trainees see at
    the next publish; progress on its lessons is kept."""
    module = _live_module(module_id)
    course = _lock_course(actor, module.course_id, version)
    now = timezone.now()
    Lesson.objects.filter(module=module, deleted_at__isnull=True).update(deleted_at=now)
    module.deleted_at = now
    module.save(update_fields=["deleted_at"])
    _touch(course)


def _live_module(module_id: int) -> Module:
    module = Module.objects.filter(pk=module_id, deleted_at__isnull=True).first()
    if module is None:
        raise not_found()
    return module


# --- lessons ---------------------------------------------------------------------------------------

def _clean_lesson_fields(kind: str, changes: dict) -> dict:
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationError({"title": _("A title is required.")})
    if "body" in changes:
        changes["body"] = sanitise_html(changes["body"] or "")
    url = changes.get("video_url")
    if url:
        if kind != LessonKind.VIDEO:
            raise ValidationError({"video_url": _("Only video lessons have a video link.")})
        if not url.lower().startswith("https://"):
            raise ValidationError({"video_url": _("Use an https:// link.")})
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    return changes


def _set_prerequisites(lesson: Lesson, prerequisite_ids: list[int]) -> None:
    wanted = set(prerequisite_ids) - {lesson.pk}
    if len(wanted) != len(set(prerequisite_ids)):
        raise ValidationError({"prerequisites": _("A lesson cannot be its own prerequisite.")})
    found = set(Lesson.objects.filter(course_id=lesson.course_id, deleted_at__isnull=True,
                                      pk__in=wanted).values_list("pk", flat=True))
    if found != wanted:
        raise ValidationError({"prerequisites": _("Prerequisites must be lessons of this course.")})
    through = Lesson.prerequisites.through
    edges: dict[int, set[int]] = {}
    for src, dst in through.objects.filter(from_lesson__course_id=lesson.course_id).exclude(
            from_lesson_id=lesson.pk).values_list("from_lesson_id", "to_lesson_id"):
        edges.setdefault(src, set()).add(dst)
    edges[lesson.pk] = wanted
    if rules.has_cycle(edges):
        raise ValidationError({"prerequisites": _("These prerequisites would form a cycle.")})
    lesson.prerequisites.set(wanted)


@transaction.atomic
def lesson_create(*, actor, module_id: int, kind: str, title: str, body: str = "",
                  video_url: str = "", required: bool = True, prerequisites: list[int] | None = None,
                  version: int | None = None) -> Lesson:
    module = _live_module(module_id)
    course = _lock_course(actor, module.course_id, version)
    if kind not in LessonKind.values:
        raise ValidationError({"kind": _("Unknown kind of lesson.")})
    fields = _clean_lesson_fields(kind, {"title": title, "body": body, "video_url": video_url})
    last = Lesson.objects.filter(module=module, deleted_at__isnull=True).aggregate(m=Max("position"))
    lesson = Lesson.objects.create(course=course, module=module, kind=kind, required=required,
                                   position=(last["m"] or 0) + 1, **fields)
    if prerequisites:
        _set_prerequisites(lesson, prerequisites)
    _touch(course)
    return lesson


@transaction.atomic
def lesson_update(*, actor, lesson_id: int, version: int | None = None, **changes) -> Lesson:
    lesson = _live_lesson(lesson_id)
    course = _lock_course(actor, lesson.course_id, version)
    allowed = {"title", "body", "video_url", "required", "prerequisites"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({field: _("This field cannot be changed.") for field in unknown})
    prerequisites = changes.pop("prerequisites", None)
    for field, value in _clean_lesson_fields(lesson.kind, changes).items():
        setattr(lesson, field, value)
    lesson.save()
    if prerequisites is not None:
        _set_prerequisites(lesson, prerequisites)
    _touch(course)
    return lesson


@transaction.atomic
def lesson_delete(*, actor, lesson_id: int, version: int | None = None) -> None:
    lesson = _live_lesson(lesson_id)
    course = _lock_course(actor, lesson.course_id, version)
    lesson.deleted_at = timezone.now()
    lesson.save(update_fields=["deleted_at"])
    # Other draft lessons no longer wait for it.
    Lesson.prerequisites.through.objects.filter(to_lesson_id=lesson.pk).delete()
    _touch(course)


@transaction.atomic
def lesson_attach_file(*, actor, lesson_id: int, upload, version: int | None = None) -> Lesson:
    """The video file of a video lesson or the attachment of a file lesson. A replaced file is
    kept in storage: the published version may still point at it."""
    lesson = _live_lesson(lesson_id)
    course = _lock_course(actor, lesson.course_id, version)
    if lesson.kind not in (LessonKind.VIDEO, LessonKind.FILE):
        raise DomainError(_("Only video and file lessons take a file."), code="wrong_lesson_kind")
    check_upload(lesson.kind, upload)
    target = lesson.video_file if lesson.kind == LessonKind.VIDEO else lesson.file
    target.save(upload.name, upload, save=False)
    lesson.file_name = upload.name[:255]
    lesson.file_size = upload.size
    lesson.save()
    _touch(course)
    return lesson


@transaction.atomic
def lesson_set_activity(*, lesson_id: int, activity_id: int | None) -> None:
    """Link the activity (a quiz) behind a lesson. A link, not content: it also applies to the
    published version at once, so trainees need no republish to reach a new quiz."""
    lesson = Lesson.objects.filter(pk=lesson_id).first()
    if lesson is None:
        raise not_found()
    course = Course.objects.select_for_update().get(pk=lesson.course_id)
    lesson.activity_id = activity_id
    if lesson.published is not None:
        lesson.published = {**lesson.published, "activity_id": activity_id}
    lesson.save(update_fields=["activity_id", "published"])
    if course.published:
        for module in course.published["modules"]:
            for item in module["lessons"]:
                if item["id"] == lesson.pk:
                    item["activity_id"] = activity_id
        course.save(update_fields=["published"])


def _live_lesson(lesson_id: int) -> Lesson:
    lesson = Lesson.objects.filter(pk=lesson_id, deleted_at__isnull=True).first()
    if lesson is None:
        raise not_found()
    return lesson


# --- order -----------------------------------------------------------------------------------------

@transaction.atomic
def course_reorder(*, actor, course_id: int, version: int, modules: list[dict]) -> Course:
    """Set the order of modules and of lessons inside them (lessons may move between modules).
    `modules` lists every live module: [{"id": 3, "lessons": [7, 5]}, ...]."""
    course = _lock_course(actor, course_id, version)
    live_modules = {m.pk: m for m in Module.objects.filter(course=course, deleted_at__isnull=True)}
    live_lessons = {ls.pk: ls for ls in Lesson.objects.filter(course=course, deleted_at__isnull=True)}
    given_modules = [item["id"] for item in modules]
    given_lessons = [lid for item in modules for lid in item.get("lessons", [])]
    if sorted(given_modules) != sorted(live_modules) or sorted(given_lessons) != sorted(live_lessons):
        raise ValidationError({"modules": _("List every module and lesson of the course exactly once.")})
    for m_pos, item in enumerate(modules, start=1):
        live_modules[item["id"]].position = m_pos
        for l_pos, lesson_id in enumerate(item.get("lessons", []), start=1):
            lesson = live_lessons[lesson_id]
            lesson.module_id = item["id"]
            lesson.position = l_pos
    Module.objects.bulk_update(live_modules.values(), ["position"])
    Lesson.objects.bulk_update(live_lessons.values(), ["module", "position"])
    _touch(course)
    return course


# --- publish and archive ------------------------------------------------------------------------------

def _lesson_snapshot(lesson: Lesson, prerequisite_ids: list[int], position: int) -> dict:
    return {
        "id": lesson.pk, "module_id": lesson.module_id, "kind": lesson.kind, "title": lesson.title,
        "body": lesson.body, "video_url": lesson.video_url,
        "video_file": lesson.video_file.name or "", "file": lesson.file.name or "",
        "file_name": lesson.file_name, "file_size": lesson.file_size, "required": lesson.required,
        "prerequisites": prerequisite_ids, "position": position, "activity_id": lesson.activity_id,
    }


@transaction.atomic
def course_publish(*, actor, course_id: int, version: int | None = None) -> Course:
    """Make the current draft what trainees see. Lessons keep their ids, so progress carries
    over; lessons deleted from the draft drop out; percents are recomputed."""
    from courses.selectors import draft_outline

    course = _lock_course(actor, course_id, version)
    if course.status == CourseStatus.ARCHIVED:
        raise Conflict(_("Restore the course before publishing it."), code="course_archived")
    modules = [m for m in draft_outline(course) if m.live_lessons]
    if not modules:
        raise Conflict(_("Add at least one lesson before publishing."), code="course_empty")
    published_ids = {ls.pk for m in modules for ls in m.live_lessons}
    outline_modules, snapshots = [], []
    for m_pos, module in enumerate(modules, start=1):
        items = []
        for l_pos, lesson in enumerate(sorted(module.live_lessons, key=lambda x: (x.position, x.pk)),
                                       start=1):
            prereqs = [p for p in lesson.prerequisite_ids if p in published_ids]
            snap = _lesson_snapshot(lesson, prereqs, l_pos)
            lesson.published = snap
            lesson.published_search_key = lesson_search_key(snap["title"], snap["body"])
            snapshots.append(lesson)
            items.append({k: snap[k] for k in ("id", "kind", "title", "required", "prerequisites",
                                               "position", "activity_id")})
        outline_modules.append({"id": module.pk, "title": module.title, "position": m_pos,
                                "lessons": items})
    Lesson.objects.bulk_update(snapshots, ["published", "published_search_key"], batch_size=500)
    Lesson.objects.filter(course=course, published__isnull=False).exclude(
        pk__in=published_ids).update(published=None, published_search_key=None)
    course.published = {
        "title": course.title, "summary": course.summary, "language": course.language,
        "completion_rule": course.completion_rule, "completion_percent": course.completion_percent,
        "modules": outline_modules,
    }
    course.published_search_key = course.search_key
    course.published_at = timezone.now()
    course.release += 1
    course.status = CourseStatus.PUBLISHED
    course.has_unpublished_changes = False
    course.version += 1
    course.save()
    completed = enrolments_recompute(course)
    audit_record(actor=actor, verb="course.published", target=course,
                 details={"release": course.release, "lessons": len(published_ids),
                          "completed_by_republish": completed})
    return course


@transaction.atomic
def course_archive(*, actor, course_id: int) -> Course:
    """Hide the course from the catalogue and close enrolment; enrolments, progress and
    completions stay, and enrolled users can still read it."""
    course = _lock_course(actor, course_id, None)
    if course.status != CourseStatus.ARCHIVED:
        course.status = CourseStatus.ARCHIVED
        course.archived_at = timezone.now()
        course.save(update_fields=["status", "archived_at", "updated_at"])
        _touch(course, content=False)
        audit_record(actor=actor, verb="course.archived", target=course)
    return course


@transaction.atomic
def course_restore(*, actor, course_id: int) -> Course:
    course = _lock_course(actor, course_id, None)
    if course.status == CourseStatus.ARCHIVED:
        course.status = CourseStatus.PUBLISHED if course.published else CourseStatus.DRAFT
        course.archived_at = None
        course.save(update_fields=["status", "archived_at", "updated_at"])
        _touch(course, content=False)
        audit_record(actor=actor, verb="course.restored", target=course)
    return course


# --- cover image ---------------------------------------------------------------------------------

def _delete_files_on_commit(*names: str) -> None:
    from django.core.files.storage import default_storage

    def delete():
        for name in names:
            if name:
                default_storage.delete(name)
    transaction.on_commit(delete)


@transaction.atomic
def course_set_cover(*, actor, course_id: int, upload) -> Course:
    """Resize an uploaded picture (courses.covers) and make it the course's cover; the previous
    files go once the change is committed. Authorised before the upload is even read."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from backend.private_media import private_name
    from courses.covers import resize_cover

    course = _lock_course(actor, course_id, None)
    sizes = resize_cover(upload)
    old = (course.cover, course.cover_small)
    course.cover = default_storage.save(private_name("courses/covers", "c.webp"), ContentFile(sizes["large"]))
    course.cover_small = default_storage.save(private_name("courses/covers", "c.webp"),
                                              ContentFile(sizes["small"]))
    course.save(update_fields=["cover", "cover_small", "updated_at"])
    _delete_files_on_commit(*old)
    return course


@transaction.atomic
def course_remove_cover(*, actor, course_id: int) -> Course:
    course = _lock_course(actor, course_id, None)
    old = (course.cover, course.cover_small)
    course.cover = course.cover_small = ""
    course.save(update_fields=["cover", "cover_small", "updated_at"])
    _delete_files_on_commit(*old)
    return course
