"""The course index every learning page shows (lesson, H5P player, quiz start, attempt, review):
modules and lessons with the learner's status, the current lesson, previous/next, what completes
the current lesson, and, once the course is complete, the way to its certificate.

One builder for all of those views, from the published outline the learner already gets and the
learner's statuses (courses.selectors): a fixed number of queries whatever the course's size
(decision 0057).
"""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from assessments import api as assessments_api
from certificates import api as certificates_api
from courses import api as courses_api
from courses.api import LessonKind, ProgressStatus

_MARK = 987654321
_lesson_urls: dict[tuple, tuple[str, str]] = {}


def lesson_url(lesson_id: int) -> str:
    """reverse("lesson", args=[lesson_id]) without resolving the pattern for each of a course's
    lessons: the URL around the id is worked out once per script prefix and URLconf."""
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    parts = _lesson_urls.get(key)
    if parts is None:
        head, tail = reverse("lesson", args=[_MARK]).split(str(_MARK))
        parts = _lesson_urls[key] = (head, tail)
    return f"{parts[0]}{int(lesson_id)}{parts[1]}"


def completion_hint(kind: str, *, required: bool, pass_mark: float | None = None) -> str:
    """What completes a lesson of this kind, in the learner's words."""
    if not required:
        return _("Optional: it does not count towards completing the course.")
    if kind == LessonKind.QUIZ:
        if pass_mark:
            return _("Completed when you score at least %(mark)s %%.") % {
                "mark": floatformat(pass_mark, -1)}  # 70, 62,5 (the language's decimal mark)
        return _("Completed when you submit the quiz and it is graded.")
    if kind == LessonKind.H5P:
        return _("Completed when you finish the activity.")
    if kind == LessonKind.SCORM:
        return _("Completed when the package reports that you have finished it.")
    if kind == LessonKind.VIDEO:
        return _("Completed when you have watched it and mark it as complete.")
    return _("Completed when you have read it and mark it as complete.")


def _entry(item: dict, statuses: dict[int, str], ids: set[int], current_id: int) -> dict:
    locked = courses_api.is_locked(item, statuses, ids)
    return {"id": item["id"], "title": item["title"], "kind": item["kind"],
            "required": item.get("required", True), "locked": locked,
            "status": statuses.get(item["id"], ProgressStatus.NOT_STARTED),
            "current": item["id"] == current_id, "url": lesson_url(item["id"]),
            "prerequisites": item.get("prerequisites", [])}


def _certificate(user_id: int, course) -> dict | None:
    if not course.issues_certificate:
        return None
    cert = certificates_api.learner_certificate(user_id=user_id, course_id=course.pk)
    mine = reverse("my-certificates")
    if cert is not None and cert.pdf_ready:
        return {"ready": True, "url": reverse("api-certificate-pdf", args=[cert.id]), "mine": mine}
    return {"ready": False, "url": mine, "mine": mine}


def course_index(user, *, lesson_id: int, course=None, enrolment=None,
                 statuses: dict[int, str] | None = None, pass_mark: float | None = None) -> dict | None:
    """The index around lesson `lesson_id` for `user`; None when the user is not enrolled (staff
    previewing) or the lesson is not in the published course. Views that already hold the
    course, enrolment and statuses pass them in; the others get them here (three queries)."""
    if course is None or enrolment is None:
        found = courses_api.learner_course_of_lesson(user, lesson_id)
        if found is None:
            return None
        course, enrolment = found
    if statuses is None:
        statuses = courses_api.learner_statuses(enrolment.pk)
    lessons = courses_api.outline_lessons(course.published)
    ids = {item["id"] for item in lessons}
    if lesson_id not in ids:
        return None
    by_id: dict[int, dict] = {}
    modules = []
    for module in course.published.get("modules", []):
        entries = [_entry(item, statuses, ids, lesson_id) for item in module.get("lessons", [])]
        by_id.update((e["id"], e) for e in entries)
        modules.append({"id": module["id"], "title": module["title"], "lessons": entries,
                        "current": any(e["current"] for e in entries)})
    order = [item["id"] for item in lessons]
    at = order.index(lesson_id)
    previous = by_id[order[at - 1]] if at > 0 else None
    following = by_id[order[at + 1]] if at + 1 < len(order) else None
    if following is not None and following["locked"]:
        following = {**following, "waits_for": [
            by_id[p]["title"] for p in following["prerequisites"]
            if p in by_id and by_id[p]["status"] != ProgressStatus.COMPLETED]}
    current = by_id[lesson_id]
    if pass_mark is None and current["kind"] == LessonKind.QUIZ:
        quiz = assessments_api.quiz_for_lesson(lesson_id)
        pass_mark = quiz.pass_mark if quiz else None
    completed = enrolment.completed_at is not None
    return {
        "course": {"id": course.pk, "title": course.published.get("title") or course.title},
        "modules": modules, "current": current, "previous": previous, "next": following,
        "hint": completion_hint(current["kind"], required=current["required"], pass_mark=pass_mark),
        "percent": enrolment.percent, "completed": completed,
        "certificate": _certificate(user.pk, course) if completed else None,
    }
