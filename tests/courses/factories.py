"""Courses built through the real services (so the published snapshot is the real thing)."""

from __future__ import annotations

from courses import enrolments, services
from courses.models import Course, Lesson


def build_course(organisation, *, modules: int = 2, lessons: int = 2, publish: bool = True,
                 chain: bool = False, self_enrolment: bool = True, **course_fields) -> Course:
    """`modules` x `lessons` text lessons; with `chain`, each lesson requires the one before."""
    course = services.course_create(actor=None, organisation_id=organisation.pk,
                                    title=course_fields.pop("title", "Công tác thông tin đối ngoại"),
                                    self_enrolment=self_enrolment, **course_fields)
    previous: Lesson | None = None
    for m in range(modules):
        module = services.module_create(actor=None, course_id=course.pk, title=f"Chuyên đề {m + 1}")
        for n in range(lessons):
            lesson = services.lesson_create(
                actor=None, module_id=module.pk, kind="text", title=f"Bài {m + 1}.{n + 1}",
                body=f"<p>Nội dung bài {m + 1}.{n + 1}</p>",
                prerequisites=[previous.pk] if chain and previous else [])
            previous = lesson
    if publish:
        services.course_publish(actor=None, course_id=course.pk)
    course.refresh_from_db()
    return course


def lessons_in_order(course: Course) -> list[Lesson]:
    return list(Lesson.objects.filter(course=course, deleted_at__isnull=True)
                .order_by("module__position", "position"))


def enrol(course: Course, *users) -> None:
    enrolments.enrolments_add(actor=None, course_id=course.pk, user_ids=[u.pk for u in users])
