"""The demo course's H5P activity (demo mode only): a yes/no question in Vietnamese, packaged from
the project's own content type. Idempotent: a course that already has H5P content is left alone."""

from __future__ import annotations

import io

from django.db import transaction

from courses import api as courses_api

from .fixture_library import build_question_package
from .models import H5PContent
from .services import h5p_store

LESSON_TITLE = "Câu hỏi nhanh: Kết luận số 57-KL/TW"
QUESTION = ("Kết luận số 57-KL/TW về tiếp tục nâng cao chất lượng, hiệu quả công tác thông tin đối "
            "ngoại trong tình hình mới được Bộ Chính trị ban hành ngày 15/6/2023. Đúng hay sai?")
L10N = {"yes": "Đúng", "no": "Sai", "right": "Chính xác! Kết luận được ban hành ngày 15/6/2023.",
        "wrong": "Chưa đúng. Hãy xem lại bài “Kết luận số 57-KL/TW và Hướng dẫn số 111-HD/BTGTW”."}


@transaction.atomic
def seed_h5p(users: dict | None, course_id: int) -> H5PContent:
    """Add the H5P lesson to the first module of the demo course, upload its package, publish."""
    existing = H5PContent.objects.filter(course_id=course_id).first()
    if existing is not None:
        return existing
    modules = [module_id for module_id, _title, _lessons in courses_api.module_lessons(course_id=course_id)]
    if not modules:
        raise RuntimeError("The demo course has no module (run courses.demo.seed_course first).")
    lesson = courses_api.lesson_create(actor=None, module_id=modules[0], kind=courses_api.LessonKind.H5P,
                                       title=LESSON_TITLE, required=True)
    package = build_question_package(QUESTION, title=LESSON_TITLE, correct="yes", language="vi", l10n=L10N)
    trainer = (users or {}).get("trainer@demo.local")
    result = h5p_store(actor=trainer, lesson=lesson, upload=io.BytesIO(package))
    courses_api.course_publish(actor=None, course_id=course_id)
    return result.content
