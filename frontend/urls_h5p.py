"""The H5P lesson page, and under H5P_CONTENT_URL (default /h5p-content/) the sandboxed player
frame and the files it loads, each addressed by a player grant (courses/h5p/grants.py)."""

import re

from django.urls import path, re_path

from courses.h5p import api as h5p_api
from frontend.views import h5p, h5p_frame

_prefix = h5p_api.content_path().lstrip("/")

urlpatterns = [
    path("learn/lessons/<int:lesson_id>/h5p/", h5p.player, name="h5p-player"),
    path(f"{_prefix}<str:token>/", h5p_frame.frame, name="h5p-frame"),
    path(f"{_prefix}<str:token>/content/<path:path>", h5p_frame.content_file, name="h5p-content-file"),
    path(f"{_prefix}<str:token>/libraries/<str:folder>/<path:path>", h5p_frame.library_file,
         name="h5p-library-file"),
    path(f"{_prefix}<str:token>/static/<path:path>", h5p_frame.player_file, name="h5p-player-file"),
    re_path(rf"^{re.escape(_prefix)}", h5p_frame.not_found),  # nothing of the site under the prefix
]
