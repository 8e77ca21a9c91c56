"""Error pages: JSON under /api/, a translated page elsewhere; never a traceback."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from backend.api.errors import error_body, json_not_found, json_server_error


def _api(request) -> bool:
    return request.path.startswith("/api/")


def _page(request, status: int, **context):
    return render(request, "frontend/error.html", {"status": status, **context}, status=status)


def bad_request(request, exception=None):
    if _api(request):
        return JsonResponse(error_body("bad_request", _("Malformed request.")), status=400)
    return _page(request, 400)


def permission_denied(request, exception=None):
    if _api(request):
        return JsonResponse(error_body("permission_denied",
                                       _("You do not have permission to perform this action.")),
                            status=403)
    return _page(request, 403)


def csrf_failure(request, reason=""):
    """A form sent from a page left open too long (or without cookies): say so, in the page."""
    return _page(request, 403, csrf=True)


def not_found(request, exception=None):
    if _api(request):
        return json_not_found(request, exception)
    return _page(request, 404)


def server_error(request):
    if _api(request):
        return json_server_error(request)
    return _page(request, 500)
