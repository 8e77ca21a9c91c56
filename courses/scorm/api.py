"""What the SCORM app publishes to the pages (frontend) and to other apps: the lesson's package,
its author check and stored files, the player's grants and how its files are served, and a
learner's result and attempts (reports, progress pages).

`frontend` reaches SCORM only through this module (docs/decisions/0060-what-frontend-may-import.md).
"""

from __future__ import annotations

from courses.attempt_grading import GradingMethod
from courses.scorm.grants import PlayerGrant, grant_make, grant_read
from courses.scorm.models import CompletionRule, ScormVersion
from courses.scorm.package import FILE_EXTENSIONS
from courses.scorm.results import AttemptData, attempts_for, result_for
from courses.scorm.runtime import RuntimeAccess, SessionStart, cmi_get, runtime_access
from courses.scorm.selectors import (
    GrantedPlayer,
    PackageData,
    PackageItem,
    ViewerAccess,
    access_for_grant,
    lesson_for_author,
    lesson_for_viewer,
    package_for_lesson,
)
from courses.scorm.serving import (
    LAUNCH_MAX_BYTES,
    ServedFile,
    is_navigation,
    launch_document,
    launch_path,
    package_file,
    player_policy,
)
from courses.scorm.storage import package_file_path, scorm_root

__all__ = [
    "FILE_EXTENSIONS",
    "LAUNCH_MAX_BYTES",
    "AttemptData",
    "CompletionRule",
    "GradingMethod",
    "GrantedPlayer",
    "PackageData",
    "PackageItem",
    "PlayerGrant",
    "RuntimeAccess",
    "ScormVersion",
    "ServedFile",
    "SessionStart",
    "ViewerAccess",
    "access_for_grant",
    "attempts_for",
    "cmi_get",
    "grant_make",
    "grant_read",
    "is_navigation",
    "launch_document",
    "launch_path",
    "lesson_for_author",
    "lesson_for_viewer",
    "package_file",
    "package_file_path",
    "package_for_lesson",
    "player_policy",
    "result_for",
    "runtime_access",
    "scorm_root",
]
