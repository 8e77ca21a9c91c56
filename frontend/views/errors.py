"""Error pages: JSON under /api/, a translated page elsewhere; never a traceback."""

from django.shortcuts import render

from backend.api.errors import json_not_found, json_server_error


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return json_not_found(request, exception)
    return render(request, "frontend/error.html", {"status": 404}, status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return json_server_error(request)
    return render(request, "frontend/error.html", {"status": 500}, status=500)
