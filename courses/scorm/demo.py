"""The demo course's SCORM lesson (demo mode only): a SCORM 2004 4th edition package of two SCOs
(a reading with resume, and a scored self-check with a passing score), in Vietnamese, zipped from
`demo_package/` in the project. Idempotent: a course that already has a SCORM package is left alone."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.db import transaction

from courses import api as courses_api

from .models import ScormPackage
from .services import package_upload

LESSON_TITLE = "Kết luận số 57-KL/TW: học và tự kiểm tra (SCORM)"
PACKAGE_FOLDER = Path(__file__).resolve().parent / "demo_package"


def demo_package_zip() -> bytes:
    """The demo package as a SCORM zip (imsmanifest.xml at its root)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(PACKAGE_FOLDER.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(PACKAGE_FOLDER).as_posix())
    return buffer.getvalue()


@transaction.atomic
def seed_scorm(users: dict | None, course_id: int) -> ScormPackage:
    """Add the SCORM lesson to the first module of the demo course, upload its package, publish."""
    existing = ScormPackage.objects.filter(course_id=course_id).first()
    if existing is not None:
        return existing
    modules = [module_id for module_id, _title, _lessons in courses_api.module_lessons(course_id=course_id)]
    if not modules:
        raise RuntimeError("The demo course has no module (run courses.demo.seed_course first).")
    lesson = courses_api.lesson_create(actor=None, module_id=modules[0], kind=courses_api.LessonKind.SCORM,
                                       title=LESSON_TITLE, required=True)
    trainer = (users or {}).get("trainer@demo.local")
    package = package_upload(actor=trainer, lesson_id=lesson.id, file=io.BytesIO(demo_package_zip()))
    courses_api.course_publish(actor=None, course_id=course_id)
    return package
