"""The H5P player page and the package files under H5P_CONTENT_URL (default /h5p-content/)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import path

from frontend.views import h5p

_prefix = urlsplit(settings.H5P_CONTENT_URL).path.lstrip("/")

urlpatterns = [
    path("learn/lessons/<int:lesson_id>/h5p/", h5p.player, name="h5p-player"),
    path(f"{_prefix}libraries/<str:folder>/<path:path>", h5p.library_file, name="h5p-library-file"),
    path(f"{_prefix}content/<str:key>/<path:path>", h5p.content_file, name="h5p-content-file"),
]
