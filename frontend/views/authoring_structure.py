"""Trainer pages for a course's structure: modules, lessons, order, and the lesson editor."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.errors import DomainError
from courses import api as courses_api
from courses.api import LessonKind, draft_outline
from frontend import authoring_order
from frontend.forms_authoring import (
    LessonAddForm,
    LessonForm,
    ModuleForm,
    apply_service_error,
)
from frontend.views.authoring import conflict_message
from frontend.views.authoring_common import (
    author_course,
    author_lesson,
    author_module,
    posted_version,
    trainer_required,
)


def _outline(course):
    modules = draft_outline(course)
    for module in modules:
        module.ordered_lessons = sorted(module.live_lessons, key=lambda x: (x.position, x.pk))
    return modules


def _error(request, exc: Exception) -> None:
    if isinstance(exc, DomainError) and exc.code == "version_conflict":
        messages.error(request, conflict_message())
    elif isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, exc.message)


@trainer_required
def structure(request, pk: int):
    course = author_course(request, pk)
    modules = _outline(course)
    return render(request, "frontend/authoring/structure.html", {
        "course": course, "modules": modules, "tab": "structure",
        "module_form": ModuleForm(initial={"version": course.version}, auto_id="new-module-%s"),
        "kinds": LessonKind.choices,
        "lesson_count": sum(len(m.ordered_lessons) for m in modules),
        "reorder_text": {"saving": _("Saving the new order…"),
                         "failed": _("The new order could not be saved. Reload the page.")},
    })


@require_POST
@trainer_required
def module_add(request, pk: int):
    course = author_course(request, pk)
    form = ModuleForm(request.POST)
    if form.is_valid():
        try:
            courses_api.module_create(actor=request.user, course_id=course.pk,
                                   title=form.cleaned_data["title"],
                                   version=form.cleaned_data["version"])
            messages.success(request, _("The module has been added."))
        except (ValidationError, DomainError) as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Give the module a title."))
    return redirect("authoring-structure", pk=course.pk)


@require_POST
@trainer_required
def module_rename(request, pk: int):
    module = author_module(request, pk)
    form = ModuleForm(request.POST)
    if form.is_valid():
        try:
            courses_api.module_update(actor=request.user, module_id=module.pk,
                                   title=form.cleaned_data["title"],
                                   version=form.cleaned_data["version"])
            messages.success(request, _("The module has been renamed."))
        except (ValidationError, DomainError) as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Give the module a title."))
    return redirect("authoring-structure", pk=module.course_id)


@trainer_required
def module_delete(request, pk: int):
    module = author_module(request, pk)
    if request.method == "POST":
        try:
            courses_api.module_delete(actor=request.user, module_id=module.pk,
                                   version=posted_version(request))
            messages.success(request, _("The module and its lessons have been deleted from the "
                                        "draft. Trainees keep seeing them until you publish."))
        except DomainError as exc:
            _error(request, exc)
        return redirect("authoring-structure", pk=module.course_id)
    lessons = [ls for ls in module.lessons.all() if ls.deleted_at is None]
    return render(request, "frontend/authoring/confirm_delete.html", {
        "course": module.course, "object": module, "lessons": lessons, "is_module": True,
        "tab": "structure"})


@require_POST
@trainer_required
def lesson_add(request, pk: int):
    module = author_module(request, pk)
    form = LessonAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the lesson a title and a kind."))
        return redirect("authoring-structure", pk=module.course_id)
    try:
        lesson = courses_api.lesson_create(actor=request.user, module_id=module.pk,
                                        kind=form.cleaned_data["kind"],
                                        title=form.cleaned_data["title"],
                                        version=form.cleaned_data["version"])
    except (ValidationError, DomainError) as exc:
        _error(request, exc)
        return redirect("authoring-structure", pk=module.course_id)
    messages.success(request, _("The lesson has been added. Write its content now."))
    return redirect("authoring-lesson", pk=lesson.id)


@trainer_required
def lesson_delete(request, pk: int):
    lesson = author_lesson(request, pk)
    if request.method == "POST":
        try:
            courses_api.lesson_delete(actor=request.user, lesson_id=lesson.pk,
                                   version=posted_version(request))
            messages.success(request, _("The lesson has been deleted from the draft. Trainees "
                                        "keep seeing it until you publish."))
        except DomainError as exc:
            _error(request, exc)
        return redirect("authoring-structure", pk=lesson.course_id)
    return render(request, "frontend/authoring/confirm_delete.html", {
        "course": lesson.course, "object": lesson, "is_module": False, "tab": "structure"})


def _current_order(course) -> authoring_order.Order:
    return [(m.pk, [ls.pk for ls in m.ordered_lessons]) for m in _outline(course)]


@require_POST
@trainer_required
def move(request, pk: int):
    """Keyboard alternative to dragging: one step up or down, saved by course_reorder."""
    course = author_course(request, pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        target = int(request.POST.get("id", ""))
    except ValueError:
        return redirect("authoring-structure", pk=course.pk)
    order = _current_order(course)
    try:
        if request.POST.get("what") == "module":
            new = authoring_order.move_module(order, target, step)
        else:
            new = authoring_order.move_lesson(order, target, step)
    except ValueError:
        new = order
    try:
        courses_api.course_reorder(actor=request.user, course_id=course.pk,
                                version=posted_version(request) or 0,
                                modules=authoring_order.as_payload(new))
    except (ValidationError, DomainError) as exc:
        _error(request, exc)
    what = "module" if request.POST.get("what") == "module" else "lesson"
    return redirect(f"{reverse('authoring-structure', args=[course.pk])}#{what}-{target}")


@require_POST
@trainer_required
def reorder(request, pk: int):
    """Drag-and-drop saves here (JSON in, JSON out) through the same course_reorder service."""
    course = author_course(request, pk)
    try:
        if request.content_type != "application/json":  # a form's body was read as the form
            raise ValueError("not JSON")
        payload = json.loads(request.body or b"{}")
        modules = [{"id": int(m["id"]), "lessons": [int(x) for x in m.get("lessons", [])]}
                   for m in payload["modules"]]
        version = int(payload["version"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"code": "invalid", "message": _("The new order could not be read.")},
                            status=400)
    try:
        course = courses_api.course_reorder(actor=request.user, course_id=course.pk,
                                         version=version, modules=modules)
    except DomainError as exc:
        message = conflict_message() if exc.code == "version_conflict" else exc.message
        return JsonResponse({"code": exc.code, "message": message}, status=exc.status)
    except ValidationError as exc:
        return JsonResponse({"code": "invalid", "message": " ".join(exc.messages)}, status=400)
    return JsonResponse({"version": course.version, "message": _("The new order has been saved.")})


# --- the lesson editor ---------------------------------------------------------------------------

def _upload_help(kind: str) -> str:
    if kind == LessonKind.VIDEO:
        limit, types = settings.COURSES_VIDEO_MAX_BYTES, settings.COURSES_VIDEO_EXTENSIONS
    else:
        limit, types = settings.COURSES_FILE_MAX_BYTES, settings.COURSES_FILE_EXTENSIONS
    return _("At most %(mb)d MB; accepted types: %(types)s.") % {
        "mb": limit // (1024 * 1024), "types": ", ".join(sorted(types))}


@trainer_required
def lesson_edit(request, pk: int):
    lesson = author_lesson(request, pk)
    course = lesson.course
    modules = _outline(course)
    others = [ls for m in modules for ls in m.ordered_lessons if ls.pk != lesson.pk]
    current = next(ls for m in modules for ls in m.ordered_lessons if ls.pk == lesson.pk)
    initial = {"title": lesson.title, "required": lesson.required, "body": lesson.body,
               "video_url": lesson.video_url, "prerequisites": current.prerequisite_ids,
               "version": course.version}
    form = LessonForm(request.POST or None, request.FILES or None, kind=lesson.kind,
                      other_lessons=others, upload_help=_upload_help(lesson.kind), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {"title": data["title"], "required": data["required"],
                   "prerequisites": data["prerequisites"]}
        for name in ("body", "video_url"):
            if name in form.fields:
                changes[name] = data[name] or ""
        try:
            updated = courses_api.lesson_update(actor=request.user, lesson_id=lesson.pk,
                                             version=data["version"], **changes)
            if data.get("upload"):
                courses_api.lesson_attach_file(actor=request.user, lesson_id=lesson.pk,
                                            upload=data["upload"])
        except (ValidationError, DomainError) as exc:
            if isinstance(exc, DomainError) and exc.code == "version_conflict":
                course.refresh_from_db()
                post = request.POST.copy()
                post["version"] = str(course.version)
                form = LessonForm(post, request.FILES or None, kind=lesson.kind,
                                  other_lessons=others, upload_help=_upload_help(lesson.kind),
                                  initial=initial)
                form.is_valid()
                form.add_error(None, conflict_message())
            else:
                apply_service_error(form, exc)
        else:
            messages.success(request, _("The lesson has been saved."))
            if updated.kind == LessonKind.TEXT and updated.body != (data.get("body") or "").strip():
                messages.info(request, _("Some formatting was removed for safety; the text below "
                                         "is what trainees will see."))
            return redirect("authoring-lesson", pk=lesson.pk)
    return render(request, "frontend/authoring/lesson_form.html", {
        "course": course, "lesson": lesson, "form": form, "tab": "structure", "kinds": LessonKind,
        "rich_text": lesson.kind == LessonKind.TEXT, "editor_text": _editor_text(),
    })


def _editor_text() -> dict:
    """Names for the rich-text toolbar buttons (Quill's own are icons without a label)."""
    return {"header": _("Heading level"), "bold": _("Bold"), "italic": _("Italic"),
            "underline": _("Underline"), "link": _("Link"), "blockquote": _("Quote"),
            "ordered": _("Numbered list"), "bullet": _("Bulleted list"),
            "clean": _("Remove formatting"), "editor": _("Lesson text editor"),
            # Quill writes these as CSS ::before/::after content in English; authoring.js puts
            # them in data attributes that authoring.css shows instead (NOTES.md).
            "normal": _("Paragraph"), "heading2": _("Heading 2"), "heading3": _("Heading 3"),
            "visitUrl": _("Visit link:"), "enterLink": _("Enter link:"), "edit": _("Edit"),
            "save": _("Save"), "remove": _("Remove link"), "linkPlaceholder": "https://",
            "enterVideo": _("Video link:")}
