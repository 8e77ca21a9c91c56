"""Trainer pages: my courses, create, settings, publish, archive/restore, preview as trainee.

Every write goes through courses.services, exactly like the REST API; the forms only shape input.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.errors import Conflict, DomainError
from courses import api as courses_api
from courses.api import CourseStatus, LessonKind, courses_authored_by, draft_outline, lesson_file_url
from frontend.forms_authoring import CourseForm, apply_service_error
from frontend.views.authoring_common import (
    author_course,
    author_lesson,
    posted_version,
    trainer_required,
    trainer_units,
)


def conflict_message() -> str:
    return _("Someone else changed this course while you were editing it. Your input is kept "
             "below; check the current version (open it in a new tab) and save again to "
             "replace it.")


@trainer_required
def course_list(request):
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in CourseStatus.values:
        status = ""
    courses = courses_authored_by(request.user, search=search, status=status).order_by(
        "-updated_at", "-id")[:200]
    return render(request, "frontend/authoring/course_list.html", {
        "courses": courses, "search": search, "status": status,
        "statuses": CourseStatus.choices,
    })


@trainer_required
def course_create(request):
    units = trainer_units(request.user)
    form = CourseForm(request.POST or None, request.FILES or None, units=units,
                      initial={"language": "vi", "completion_percent": 100})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cover = data.pop("cover", None)
        try:
            with transaction.atomic():  # a refused cover creates no course
                course = courses_api.course_create(actor=request.user,
                                                organisation_id=data.pop("organisation"), **data)
                _apply_cover(request.user, course.pk, cover, remove=False)
        except (ValidationError, DomainError) as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("The course has been created. Now add its modules "
                                        "and lessons."))
            return redirect("authoring-structure", pk=course.pk)
    return render(request, "frontend/authoring/course_form.html", {"form": form, "creating": True})


def _apply_cover(actor, course_id: int, upload, *, remove: bool) -> None:
    if upload:
        courses_api.course_set_cover(actor=actor, course_id=course_id, upload=upload)
    elif remove:
        courses_api.course_remove_cover(actor=actor, course_id=course_id)


def _settings_initial(course) -> dict:
    return {name: getattr(course, name) for name in (
        "title", "summary", "language", "self_enrolment", "enrolment_opens_at",
        "enrolment_closes_at", "due_at", "issues_certificate", "completion_rule",
        "completion_percent", "version")}


@trainer_required
def course_settings(request, pk: int):
    course = author_course(request, pk)
    initial = _settings_initial(course)
    form = CourseForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        # Send only what changed: a content field marks the course as having unpublished changes.
        changes = {name: form.cleaned_data[name] for name in form.changed_data
                   if name != "version" and name not in CourseForm.FILE_FIELDS}
        try:
            with transaction.atomic():  # a refused cover saves none of the other changes
                courses_api.course_update(actor=request.user, course_id=course.pk,
                                       version=form.cleaned_data["version"] or 0, **changes)
                _apply_cover(request.user, course.pk, form.cleaned_data.get("cover"),
                             remove=form.cleaned_data.get("remove_cover", False))
        except Conflict as exc:
            if exc.code != "version_conflict":
                raise
            course.refresh_from_db()
            data = request.POST.copy()
            data["version"] = str(course.version)  # saving again deliberately replaces theirs
            form = CourseForm(data, initial=_settings_initial(course), editing=True)
            form.is_valid()
            form.add_error(None, conflict_message())
        except (ValidationError, DomainError) as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("The course settings have been saved."))
            return redirect("authoring-settings", pk=course.pk)
    return render(request, "frontend/authoring/course_form.html", {
        "form": form, "creating": False, "course": course, "tab": "settings"})


@trainer_required
def course_publish(request, pk: int):
    course = author_course(request, pk)
    if request.method == "POST":
        try:
            courses_api.course_publish(actor=request.user, course_id=course.pk,
                                    version=posted_version(request))
        except DomainError as exc:
            messages.error(request, conflict_message() if exc.code == "version_conflict"
                           else exc.message)
            return redirect("authoring-publish", pk=course.pk)
        messages.success(request, _("The course has been published. Trainees now see this version."))
        return redirect("authoring-structure", pk=course.pk)
    return render(request, "frontend/authoring/publish.html", {
        "course": course, "tab": "publish",
        "changes": courses_api.course_publish_changes(course_id=course.pk),
    })


@trainer_required
def course_archive(request, pk: int):
    course = author_course(request, pk)
    if request.method == "POST":
        courses_api.course_archive(actor=request.user, course_id=course.pk)
        messages.success(request, _("The course has been archived: it left the catalogue; "
                                    "enrolled trainees can still read it."))
        return redirect("authoring-settings", pk=course.pk)
    return render(request, "frontend/authoring/archive.html", {"course": course, "tab": "settings"})


@require_POST
@trainer_required
def course_restore(request, pk: int):
    course = author_course(request, pk)
    courses_api.course_restore(actor=request.user, course_id=course.pk)
    messages.success(request, _("The course has been restored."))
    return redirect("authoring-settings", pk=course.pk)


# --- preview: the draft in the trainee look, with no enrolment and no progress ------------------

def _ordered(modules):
    out = []
    for module in modules:
        module.ordered_lessons = sorted(module.live_lessons, key=lambda x: (x.position, x.pk))
        out.append(module)
    return out


@trainer_required
def course_preview(request, pk: int):
    course = author_course(request, pk)
    return render(request, "frontend/authoring/preview_course.html", {
        "course": course, "modules": _ordered(draft_outline(course)), "tab": "preview"})


@trainer_required
def lesson_preview(request, pk: int):
    lesson = author_lesson(request, pk)
    course = lesson.course
    sequence = [ls for m in _ordered(draft_outline(course)) for ls in m.ordered_lessons]
    index = next((i for i, ls in enumerate(sequence) if ls.pk == lesson.pk), None)
    if index is None:
        raise Http404
    return render(request, "frontend/authoring/preview_lesson.html", {
        "course": course, "lesson": sequence[index], "tab": "preview", "kinds": LessonKind,
        "file_url": lesson_file_url(lesson.pk, lesson.video_file.name or lesson.file.name, draft=True),
        "previous": sequence[index - 1] if index > 0 else None,
        "next": sequence[index + 1] if index + 1 < len(sequence) else None,
    })
