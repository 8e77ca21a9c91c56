"""Refuse request input that would end in a server error before any view sees it.

Every request: the path, the query string and cookies must not contain NUL (PostgreSQL refuses
such text, so a search for ``%00`` was a 500). Bodies outside the REST API (pages' forms,
allauth's headless endpoints, the pages' own fetch calls) go through the same checks as the API's
parsers (`backend.api.untrusted`): no NUL in form fields; JSON without RecursionError on deep
nesting, NUL or out-of-range numbers, and an object for allauth. /api/ bodies are checked by
`backend.api.parsers`, which know the view.

Reading a multipart form here consumes the request stream: a view that then reads
``request.body`` must first check that the body is what it expects (JSON), as the pages' JSON
endpoints do.

Answers are 400 in the caller's language: the API's error shape under /api/, allauth's under
/_allauth/, a JSON body to a JSON request, the 400 page otherwise.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from backend.api.errors import error_body
from backend.api.untrusted import (
    INT64_MAX,
    INT64_MIN,
    InputError,
    check_query,
    check_text,
    load_json,
)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_json(request) -> bool:
    return request.content_type == "application/json" or request.content_type.endswith("+json")


def _refusal(request, exc: InputError):
    if request.path.startswith("/_allauth/"):
        error = {"message": exc.message, "code": "invalid"}
        if exc.field:
            error["param"] = exc.field
        return JsonResponse({"status": 400, "errors": [error]}, status=400)
    if request.path.startswith("/api/") or _is_json(request):
        return JsonResponse(error_body("invalid", exc.message,
                                       {exc.field: exc.message} if exc.field else {}), status=400)
    raise BadRequest(exc.message)


def _view_reads_own_upload(request) -> bool:
    """The page view is marked with `untrusted.reads_own_upload` (it parses the body itself)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "reads_own_upload", False)


def check_request(request) -> None:
    """Raise InputError for the first unsafe value of `request`."""
    check_text("path", request.path_info)
    check_query(request.GET)
    for name, value in request.COOKIES.items():
        check_text(name, name + value)
    if request.method in ("GET", "HEAD", "OPTIONS") or request.path.startswith("/api/"):
        return  # API bodies: backend.api.parsers
    if request.content_type == "multipart/form-data" and _view_reads_own_upload(request):
        return  # parsed (and checked) by the view, with its own upload handler
    if request.content_type in FORM_TYPES:
        check_query(request.POST)
    elif _is_json(request) and request.body:
        data = load_json(request.body)
        if request.path.startswith("/_allauth/") and not isinstance(data, dict):
            raise InputError("", _("The request body must be a JSON object."))


class RefuseUnsafeInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except InputError as exc:
            return _refusal(request, exc)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """``<int:…>`` in a URL matches any number of digits; an id no column can hold names
        nothing (SQLite cannot even bind it), so the page is not found."""
        if any(isinstance(v, int) and not INT64_MIN <= v <= INT64_MAX
               for v in (*view_args, *view_kwargs.values())):
            raise Http404
        return None
