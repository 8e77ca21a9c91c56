"""What the pages of packaged activities (H5P, SCORM) share: the viewer's access, shown as the
lesson-not-open page when the lesson is locked (404 when the viewer may not see it at all), and
whether the viewer may upload its package."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpResponse
from django.shortcuts import render

from backend.errors import DomainError


def viewer_access(request, lookup: Callable, lesson_id: int):
    """(access, None), or (None, the response to send): `lookup(user=, lesson_id=)` is the app's
    viewer check (an enrolled learner's open lesson, or staff preview)."""
    try:
        return lookup(user=request.user, lesson_id=lesson_id), None
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        response: HttpResponse = render(request, "frontend/h5p/locked.html", {"message": exc.message},
                                        status=exc.status)
        return None, response


def may_author(lookup: Callable, user, lesson_id: int) -> bool:
    """Whether `lookup(user=, lesson_id=)`, the app's author check, lets this user upload."""
    try:
        lookup(user=user, lesson_id=lesson_id)
    except DomainError:
        return False
    return True
