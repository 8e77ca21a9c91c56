"""Uploaded lesson files: limits (size and type, read from settings) and storage names.

Names are random (backend.private_media.private_name): the uploaded name is kept in
`Lesson.file_name` for Content-Disposition only, so no URL or storage path can be guessed."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.private_media import private_name


def lesson_file_name(instance, filename: str) -> str:
    return private_name("courses/files", filename)


def lesson_video_name(instance, filename: str) -> str:
    return private_name("courses/videos", filename)


def check_upload(kind: str, upload) -> None:
    if kind == "video":
        max_bytes, allowed = settings.COURSES_VIDEO_MAX_BYTES, settings.COURSES_VIDEO_EXTENSIONS
    else:
        max_bytes, allowed = settings.COURSES_FILE_MAX_BYTES, settings.COURSES_FILE_EXTENSIONS
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError({"file": _("Files of type “%(ext)s” are not accepted; use one of: "
                                         "%(allowed)s.") % {"ext": extension or "?",
                                                            "allowed": ", ".join(sorted(allowed))}})
    if upload.size > max_bytes:
        raise ValidationError({"file": _("The file is larger than %(mb)d MB.")
                               % {"mb": max_bytes // (1024 * 1024)}})
