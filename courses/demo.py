"""Demo course on foreign-information work (demo mode only). Idempotent: found by title and unit."""

from __future__ import annotations

from django.db import transaction

from backend.accounts.api import organisation_get_by_code
from courses import services
from courses.demo_content import MODULES, SUMMARY, TITLE
from courses.models import Course

DEMO_UNIT = "btgtw"


@transaction.atomic
def seed_course(users: dict | None = None) -> Course:
    """Create and publish the demo course once; later runs return the existing course."""
    unit = organisation_get_by_code(DEMO_UNIT)
    if unit is None:
        raise RuntimeError("Seed the demo units first (backend.accounts.demo.seed_accounts).")
    existing = Course.objects.filter(organisation_id=unit.id, title=TITLE).first()
    if existing is not None:
        return existing
    course = services.course_create(actor=None, organisation_id=unit.id, title=TITLE,
                                    summary=SUMMARY, language="vi", self_enrolment=True,
                                    issues_certificate=True)
    trainer = (users or {}).get("trainer@demo.local")
    if trainer is not None:
        Course.objects.filter(pk=course.pk).update(created_by=trainer)
    previous = None
    for module_title, lessons in MODULES:
        module = services.module_create(actor=None, course_id=course.pk, title=module_title)
        for lesson_title, body in lessons:
            # Reading order is enforced: each lesson opens when the one before it is done.
            lesson = services.lesson_create(actor=None, module_id=module.pk, kind="text",
                                            title=lesson_title, body=body.strip(),
                                            prerequisites=[previous.pk] if previous else [])
            previous = lesson
    return services.course_publish(actor=None, course_id=course.pk)
