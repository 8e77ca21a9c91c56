"""An H5P lesson in a published course, built through the real courses services."""

from __future__ import annotations

from dataclasses import dataclass

from backend.accounts.models import Role
from courses import enrolments, services
from courses.models import Course, Lesson
from tests.factories import user_with_role


@dataclass
class H5PCourse:
    course: Course
    lesson: Lesson
    trainer: object
    trainee: object


def build_h5p_course(organisation, *, enrol_trainee: bool = True, second_required: bool = False,
                     trainee=None) -> H5PCourse:
    trainer = user_with_role(Role.TRAINER, organisation)
    course = services.course_create(actor=None, organisation_id=organisation.pk,
                                    title="Thông tin đối ngoại với H5P", self_enrolment=True)
    module = services.module_create(actor=None, course_id=course.pk, title="Chuyên đề 1")
    lesson = services.lesson_create(actor=None, module_id=module.pk, kind="h5p", title="Câu hỏi H5P")
    if second_required:
        services.lesson_create(actor=None, module_id=module.pk, kind="text", title="Bài đọc",
                               body="<p>Đọc</p>")
    services.course_publish(actor=None, course_id=course.pk)
    trainee = trainee or user_with_role(Role.TRAINEE, organisation)
    if enrol_trainee:
        enrolments.enrolments_add(actor=None, course_id=course.pk, user_ids=[trainee.pk])
    course.refresh_from_db()
    lesson.refresh_from_db()
    return H5PCourse(course=course, lesson=lesson, trainer=trainer, trainee=trainee)
