"""Course cover images. Covers are not secret (decision 0056): anyone with the URL gets them,
but only names that are a course's current cover are served, and names are random."""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import Http404
from django.views.decorators.http import require_safe

from backend.private_media import private_file_response
from courses.api import cover_is_current

TOKEN = re.compile(r"[0-9a-f]{32}")
FOLDER = "courses/covers"


@require_safe
def course_cover(request, token: str):
    if not TOKEN.fullmatch(token):
        raise Http404
    name = f"{FOLDER}/{token}.webp"
    if not cover_is_current(name):
        raise Http404
    # The name changes with every upload, so the bytes behind a URL never change.
    return private_file_response(request, storage=default_storage, name=name, filename="cover.webp",
                                 content_type="image/webp", inline=True,
                                 cache_control="public, max-age=31536000, immutable")
