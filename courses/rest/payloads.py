"""Build the plain dicts the output serializers render: published values for learners,
draft values for authors. No queries here beyond what the caller passes in."""

from __future__ import annotations

from django.urls import reverse

from courses import progress as rules
from courses.covers import cover_url
from courses.due_dates import effective_due_at
from courses.models import Course, Enrolment, Lesson, LessonKind, LessonProgress, ProgressStatus


def enrolment_brief(enrolment: Enrolment | None) -> dict | None:
    if enrolment is None:
        return None
    return {"status": enrolment.status, "percent": enrolment.percent,
            "completed_at": enrolment.completed_at, "enrolled_at": enrolment.enrolled_at}


def course_payload(course: Course, *, staff: bool, author: bool,
                   enrolment: Enrolment | None = None) -> dict:
    snap = course.published or {}
    # Staff see the draft; everyone else what was last published.
    source = {} if staff else snap
    return {
        "id": course.pk,
        "title": source.get("title", course.title),
        "summary": source.get("summary", course.summary),
        "language": source.get("language", course.language),
        "status": course.status,
        "organisation": {"id": course.organisation_id, "code": course.organisation.code,
                         "name": course.organisation.name},
        "self_enrolment": course.self_enrolment,
        "enrolment_opens_at": course.enrolment_opens_at,
        "enrolment_closes_at": course.enrolment_closes_at,
        "due_at": course.due_at,
        "issues_certificate": course.issues_certificate,
        "completion_rule": source.get("completion_rule", course.completion_rule),
        "completion_percent": source.get("completion_percent", course.completion_percent),
        "published_at": course.published_at,
        "release": course.release,
        "can_edit": author,
        "version": course.version if staff else None,
        "has_unpublished_changes": course.has_unpublished_changes if staff else None,
        "enrolment": enrolment_brief(enrolment),
        "cover_url": cover_url(course.cover),
        "cover_small_url": cover_url(course.cover_small),
    }


def lesson_file_url(lesson_id: int, name: str, *, draft: bool = False) -> str | None:
    """Where the lesson's file is served after an access check (never a public media URL)."""
    if not name:
        return None
    return reverse("api-lesson-file", args=[lesson_id]) + ("?draft=true" if draft else "")


def progress_payload(progress: LessonProgress | None) -> dict:
    if progress is None:
        return {"status": ProgressStatus.NOT_STARTED, "score": None, "attempts": 0,
                "time_spent_seconds": 0, "position": "", "completed_at": None}
    return {"status": progress.status, "score": progress.score, "attempts": progress.attempts,
            "time_spent_seconds": progress.time_spent_seconds, "position": progress.position,
            "completed_at": progress.completed_at}


def lesson_payload(lesson: Lesson, *, draft: bool, prerequisite_ids: list[int] | None = None,
                   progress: LessonProgress | None = None, with_progress: bool = False) -> dict:
    if draft:
        values = {
            "module_id": lesson.module_id, "kind": lesson.kind, "title": lesson.title,
            "body": lesson.body, "video_url": lesson.video_url, "video_file": lesson.video_file.name,
            "file": lesson.file.name, "file_name": lesson.file_name, "file_size": lesson.file_size,
            "required": lesson.required, "prerequisites": prerequisite_ids or [],
            "position": lesson.position,
        }
    else:
        values = lesson.published
    activity = lesson.activity_id
    return {
        "id": lesson.pk, "course_id": lesson.course_id, "module_id": values["module_id"],
        "kind": values["kind"], "title": values["title"], "body": values["body"],
        "video_url": values["video_url"],
        "video_file_url": lesson_file_url(lesson.pk, values["video_file"], draft=draft),
        "file_url": lesson_file_url(lesson.pk, values["file"], draft=draft), "file_name": values["file_name"],
        "file_size": values["file_size"], "required": values["required"],
        "prerequisites": values["prerequisites"], "position": values["position"],
        "quiz_id": activity if values["kind"] == LessonKind.QUIZ else None,
        "activity_id": activity, "draft": draft,
        "progress": progress_payload(progress) if with_progress else None,
    }


def published_outline_payload(course: Course, statuses: dict[int, str],
                              enrolment: Enrolment | None) -> dict:
    snap = course.published or {"modules": [], "title": course.title}
    ids = {lesson["id"] for lesson in rules.outline_lessons(snap)}
    modules = []
    for module in snap["modules"]:
        lessons = []
        for item in module["lessons"]:
            lessons.append({
                **{k: item[k] for k in ("id", "kind", "title", "required", "prerequisites", "position")},
                "status": rules.stored_status(statuses.get(item["id"], ProgressStatus.NOT_STARTED)),
                "locked": rules.is_locked(item, statuses, ids) if enrolment else False,
                "quiz_id": item.get("activity_id") if item["kind"] == LessonKind.QUIZ else None,
            })
        modules.append({"id": module["id"], "title": module["title"], "position": module["position"],
                        "lessons": lessons})
    nxt = rules.next_lesson(snap, statuses, enrolment.last_lesson_id) if enrolment else None
    return {"course_id": course.pk, "title": snap["title"], "draft": False, "release": course.release,
            "modules": modules, "enrolment": enrolment_brief(enrolment),
            "next_lesson_id": nxt["id"] if nxt else None}


def draft_outline_payload(course: Course, modules) -> dict:
    out = []
    for m_pos, module in enumerate(modules, start=1):
        lessons = [{
            "id": ls.pk, "kind": ls.kind, "title": ls.title, "required": ls.required,
            "prerequisites": ls.prerequisite_ids, "position": l_pos, "status": ProgressStatus.NOT_STARTED,
            "locked": False, "quiz_id": ls.activity_id if ls.kind == LessonKind.QUIZ else None,
        } for l_pos, ls in enumerate(sorted(module.live_lessons, key=lambda x: (x.position, x.pk)), 1)]
        out.append({"id": module.pk, "title": module.title, "position": m_pos, "lessons": lessons})
    return {"course_id": course.pk, "title": course.title, "draft": True, "release": course.release,
            "modules": out, "enrolment": None, "next_lesson_id": None}


def course_progress_payload(course: Course, enrolment: Enrolment,
                            progress: dict[int, LessonProgress]) -> dict:
    snap = course.published or {"modules": []}
    lessons = rules.outline_lessons(snap)
    ids = {lesson["id"] for lesson in lessons}
    statuses = {lid: p.status for lid, p in progress.items()}
    rows = []
    for item in lessons:
        p = progress_payload(progress.get(item["id"]))
        rows.append({"id": item["id"], "title": item["title"], "kind": item["kind"],
                     "required": item["required"], "status": p["status"],
                     "locked": rules.is_locked(item, statuses, ids), "score": p["score"],
                     "attempts": p["attempts"], "time_spent_seconds": p["time_spent_seconds"],
                     "completed_at": p["completed_at"]})
    return {"course_id": course.pk, "user_id": enrolment.user_id, "status": enrolment.status,
            "percent": enrolment.percent, "completed_at": enrolment.completed_at,
            "enrolled_at": enrolment.enrolled_at, "due_at": effective_due_at(enrolment, course),
            "lessons": rows}
