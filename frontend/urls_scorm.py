"""The SCORM lesson page, and under SCORM_CONTENT_URL (default /scorm-content/) the sandboxed
player document and the files it loads, each addressed by a player grant (courses/scorm/grants.py)."""

import re

from django.conf import settings
from django.urls import path, re_path

from backend import sandbox
from frontend.views import scorm, scorm_frame

_prefix = sandbox.content_path(settings.SCORM_CONTENT_URL).lstrip("/")

urlpatterns = [
    path("learn/lessons/<int:lesson_id>/scorm/", scorm.player, name="scorm-player"),
    path(f"{_prefix}<str:token>/sco/<int:index>/<path:path>", scorm_frame.sco_file, name="scorm-sco-file"),
    path(f"{_prefix}<str:token>/static/<path:path>", scorm_frame.player_file, name="scorm-player-file"),
    re_path(rf"^{re.escape(_prefix)}", sandbox.not_found),  # nothing of the site under the prefix
]
