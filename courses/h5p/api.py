"""What H5P publishes for the web pages: the player grant, the sandboxed file serving, the
lesson's package and settings for its author, and the grading methods.

`frontend` reaches H5P only through this module (docs/decisions/0060-what-frontend-may-import.md).
"""

from __future__ import annotations

from courses.h5p.archive import path_problem
from courses.h5p.config import content_path, files_base, h5p_root, site_origin
from courses.h5p.files import ServedFile, content_file, library_file, sandbox_headers, typed
from courses.h5p.grants import PlayerGrant, grant_make, grant_read
from courses.h5p.models import GradingMethod
from courses.h5p.selectors import (
    GrantedPlayer,
    access_for_grant,
    activity_iri,
    content_for_lesson,
    lesson_for_author,
    lesson_for_player,
    library_store_folder,
    result_for,
    state_for,
)
from courses.h5p.storage import parse_player_folder

__all__ = [
    "GradingMethod",
    "GrantedPlayer",
    "PlayerGrant",
    "ServedFile",
    "access_for_grant",
    "activity_iri",
    "content_file",
    "content_for_lesson",
    "content_path",
    "files_base",
    "grant_make",
    "grant_read",
    "h5p_root",
    "lesson_for_author",
    "lesson_for_player",
    "library_file",
    "library_store_folder",
    "parse_player_folder",
    "path_problem",
    "result_for",
    "sandbox_headers",
    "site_origin",
    "state_for",
    "typed",
]
