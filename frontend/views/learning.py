"""Trainee pages: catalogue, course page (self-enrolment), my courses, course outline, lesson.

Every rule (who sees what, locks, completion, percent) lives in courses; these views only call
its selectors and services and render what they return, so the pages and the REST API agree.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.errors import DomainError
from courses import api as courses_api
from courses.api import (
    SELF_COMPLETED_KINDS,
    CourseStatus,
    EnrolmentStatus,
    ProgressStatus,
    effective_due_at,
    lesson_file_url,
    published_outline_payload,
    sanitise_html,
)
from frontend.course_index import course_index, lesson_url

PAGE_SIZE = 12
VIDEO_FILE_SUFFIXES = (".mp4", ".webm", ".m4v", ".ogv")


def _visible_course(user, course_id: int):
    try:
        return courses_api.course_get_visible(user, course_id)
    except DomainError as exc:
        raise Http404 from exc


def _published(course, key: str, default=""):
    return (course.published or {}).get(key) or getattr(course, key, default)


def _course_card(course, enrolment=None, *, with_unit: bool = False) -> dict:
    return {"id": course.pk, "title": _published(course, "title"),
            "summary": _published(course, "summary"), "language": _published(course, "language"),
            # This person's due date: their extension, else the course's (courses.due_dates).
            "due_at": effective_due_at(enrolment, course) if enrolment is not None else course.due_at,
            "self_enrolment": course.self_enrolment,
            "issues_certificate": course.issues_certificate,
            "organisation": course.organisation.name if with_unit else "", "enrolment": enrolment,
            "cover": course.cover, "cover_small": course.cover_small}


def _can_self_enrol(course, enrolment, now) -> bool:
    if enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN:
        return False
    return (course.self_enrolment and course.status == CourseStatus.PUBLISHED
            and not (course.enrolment_opens_at and now < course.enrolment_opens_at)
            and not (course.enrolment_closes_at and now >= course.enrolment_closes_at))


@login_required
def catalogue(request):
    q = request.GET.get("q", "").strip()[:200]
    language = request.GET.get("language", "")
    language = language if language in dict(settings.LANGUAGES) else ""
    open_only = request.GET.get("open") == "1"
    qs = courses_api.catalogue(request.user, search=q, language=language, open_only=open_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = {e.course_id: e for e in courses_api.enrolments_of_user(request.user)}
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "frontend/learning/catalogue.html", {
        "page": page, "courses": [_course_card(c, mine.get(c.pk), with_unit=True) for c in page],
        "q": q, "language": language, "open_only": open_only, "languages": settings.LANGUAGES,
        "query": query.urlencode(),
    })


@login_required
def course_detail(request, pk: int):
    course = _visible_course(request.user, pk)
    enrolment = courses_api.enrolment_of(request.user.pk, course.pk, live_only=False)
    live = enrolment if enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN else None
    return render(request, "frontend/learning/course.html", {
        "course": _course_card(course, live, with_unit=True), "raw": course,
        "can_enrol": _can_self_enrol(course, enrolment, timezone.now()),
        "enrolment_closed": course.self_enrolment and live is None
        and not _can_self_enrol(course, enrolment, timezone.now()),
    })


@login_required
@require_POST
def course_enrol(request, pk: int):
    _visible_course(request.user, pk)
    try:
        _enrolment, created = courses_api.enrolment_self(user=request.user, course_id=pk)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect("course-detail", pk=pk)
    if created:
        messages.success(request, _("You are enrolled. Good luck with your studies!"))
    return redirect("course-outline", pk=pk)


@login_required
def my_courses(request):
    enrolments = courses_api.enrolments_of_user(request.user)
    statuses = courses_api.statuses_by_enrolment([e.pk for e in enrolments])
    rows = []
    for enrolment in enrolments:
        course = enrolment.course
        nxt = courses_api.next_lesson(course.published, statuses[enrolment.pk], enrolment.last_lesson_id)
        rows.append({"course": _course_card(course, enrolment), "enrolment": enrolment,
                     "next_lesson_id": nxt["id"] if nxt else None,
                     "started": bool(statuses[enrolment.pk])})
    return render(request, "frontend/learning/my_courses.html", {"rows": rows, "now": timezone.now()})


def _locked_reasons(modules: list[dict]) -> dict[int, list[dict]]:
    """lesson id -> the published prerequisites it still waits for (for locked lessons)."""
    by_id = {lesson["id"]: lesson for module in modules for lesson in module["lessons"]}
    return {lesson["id"]: [by_id[p] for p in lesson["prerequisites"]
                           if p in by_id and by_id[p]["status"] != ProgressStatus.COMPLETED]
            for lesson in by_id.values() if lesson["locked"]}


@login_required
def course_outline(request, pk: int):
    # The learner's own outline: the live enrolment and its course in one read (a live
    # enrolment is what makes the course visible to them, as in the API's outline).
    enrolment = courses_api.enrolment_of(request.user.pk, pk, with_course=True)
    course = enrolment.course if enrolment is not None else _visible_course(request.user, pk)
    if enrolment is None:
        messages.info(request, _("Enrol in the course to see its lessons."))
        return redirect("course-detail", pk=pk)
    if course.published is None:
        raise Http404
    statuses = courses_api.learner_statuses(enrolment.pk)
    outline = published_outline_payload(course, statuses, enrolment)
    reasons = _locked_reasons(outline["modules"])
    for module in outline["modules"]:
        for lesson in module["lessons"]:
            lesson["waits_for"] = reasons.get(lesson["id"], [])
            # the status may also be "awaiting grading"
            lesson["status"] = statuses.get(lesson["id"], ProgressStatus.NOT_STARTED)
            lesson["url"] = lesson_url(lesson["id"])
    return render(request, "frontend/learning/outline.html", {
        "course": _course_card(course, enrolment), "outline": outline, "enrolment": enrolment,
        "next_lesson_id": outline["next_lesson_id"],
    })


def _module_title(published: dict, lesson_id: int) -> str:
    for module in published.get("modules", []):
        if any(item["id"] == lesson_id for item in module["lessons"]):
            return module["title"]
    return ""


def _media(lesson_id: int, snap: dict) -> dict:
    url = snap.get("video_url") or ""
    return {
        "body": sanitise_html(snap.get("body") or ""),
        "video_file_url": lesson_file_url(lesson_id, snap.get("video_file") or "") or "",
        "video_url": url,
        # A link straight to a media file plays in our <video>; any other page opens as a link.
        "video_url_playable": url.lower().split("?")[0].endswith(VIDEO_FILE_SUFFIXES),
        "file_url": lesson_file_url(lesson_id, snap.get("file") or "") or "",
        "file_name": snap.get("file_name") or "",
        "file_size": snap.get("file_size") or 0,
    }


@login_required
def lesson_page(request, pk: int):
    try:
        lesson, enrolment = courses_api.access_lesson_as_learner(request.user, pk)
    except DomainError as exc:
        if exc.code == "lesson_locked":
            return _locked_page(request, pk, exc.message)
        raise Http404 from exc
    course = lesson.course
    snap = lesson.published
    statuses = courses_api.learner_statuses(enrolment.pk)
    return render(request, "frontend/learning/lesson.html", {
        "course": _course_card(course, enrolment), "enrolment": enrolment,
        "lesson": {"id": lesson.pk, **snap, "status": statuses.get(lesson.pk, ProgressStatus.NOT_STARTED)},
        "module_title": _module_title(course.published, lesson.pk), "media": _media(lesson.pk, snap),
        "self_completed": snap["kind"] in SELF_COMPLETED_KINDS,
        "archived": course.status == CourseStatus.ARCHIVED,
        "nav": course_index(request.user, lesson_id=lesson.pk, course=course, enrolment=enrolment,
                            statuses=statuses),
    })


def _locked_page(request, pk: int, message: str):
    try:
        course, snap, unmet = courses_api.lesson_unmet_prerequisites(request.user, pk)
    except DomainError as exc:
        raise Http404 from exc
    return render(request, "frontend/learning/locked.html", {
        "course": _course_card(course), "lesson": snap, "unmet": unmet, "message": message,
    }, status=409)


@login_required
@require_POST
def lesson_complete(request, pk: int):
    try:
        _progress, enrolment = courses_api.lesson_complete(user=request.user, lesson_id=pk)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect("lesson", pk=pk)
    if enrolment.completed_at is not None:
        messages.success(request, _("Lesson completed. You have completed the course!"))
    else:
        messages.success(request, _("Lesson completed. Course progress: %(percent)d%%.")
                         % {"percent": enrolment.percent})
    return redirect("lesson", pk=pk)
