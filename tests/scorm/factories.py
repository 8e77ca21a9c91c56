"""A SCORM lesson in a published course, built through the real courses services."""

from __future__ import annotations

from dataclasses import dataclass

from backend.accounts.models import Role
from courses import enrolments, services
from courses.models import Course, Lesson
from tests.factories import user_with_role


@dataclass
class ScormCourse:
    course: Course
    lesson: Lesson
    trainer: object
    trainee: object


def build_scorm_course(organisation, *, enrol_trainee: bool = True, trainee=None) -> ScormCourse:
    trainer = user_with_role(Role.TRAINER, organisation)
    course = services.course_create(actor=None, organisation_id=organisation.pk,
                                    title="Khóa học SCORM", self_enrolment=True)
    module = services.module_create(actor=None, course_id=course.pk, title="Chuyên đề 1")
    lesson = services.lesson_create(actor=None, module_id=module.pk, kind="scorm", title="Bài SCORM")
    services.course_publish(actor=None, course_id=course.pk)
    trainee = trainee or user_with_role(Role.TRAINEE, organisation)
    if enrol_trainee:
        enrolments.enrolments_add(actor=None, course_id=course.pk, user_ids=[trainee.pk])
    course.refresh_from_db()
    lesson.refresh_from_db()
    return ScormCourse(course=course, lesson=lesson, trainer=trainer, trainee=trainee)
