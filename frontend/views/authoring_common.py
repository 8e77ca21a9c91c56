"""Access helpers shared by the trainer authoring pages.

Who may do what is decided by courses.selectors (the same checks the REST API uses): only
trainers over a course's unit reach its authoring pages; others get 404 for a course (no
existence leak, decision 0001) and 403 for the trainer landing page.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from backend.accounts.api import Role, organisations_for, user_has_role
from backend.errors import DomainError
from courses import api as courses_api


def trainer_required(view):
    """Signed in and a trainer somewhere; anyone else sees a translated 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_has_role(request.user, Role.TRAINER):
            return render(request, "frontend/authoring/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _or_404(fetch, user, pk):
    try:
        return fetch(user, pk)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def author_course(request, pk: int):
    return _or_404(courses_api.course_get_for_author, request.user, pk)


def author_module(request, pk: int):
    return _or_404(courses_api.module_get_for_author, request.user, pk)


def author_lesson(request, pk: int):
    return _or_404(courses_api.access_lesson_as_author, request.user, pk)


def trainer_units(user):
    """Units where the user may create courses: their trainer subtrees."""
    return list(organisations_for(user, [Role.TRAINER]).order_by("path"))


def posted_version(request) -> int | None:
    raw = request.POST.get("version", "")
    try:
        return int(raw) if raw != "" else None
    except ValueError:
        return None
