"""A SCORM lesson in a published course, built through the real courses services, with its
package row written directly (no zip: the upload path has its own tests in tests/scorm/packages.py).

`item(...)` makes one entry of `ScormPackage.items` (the manifest's default organisation,
flattened in manifest order); `make_package(lesson, items=[...])` stores the package a lesson
plays. Scalars follow the manifest: mastery_score 0-100 (1.2), scaled_passing_score -1..1 and
completion_threshold 0..1 (2004)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from backend.accounts.models import Role
from courses import api as courses_api
from courses import enrolments, services
from courses.models import Course, Lesson
from courses.scorm.models import CompletionRule, ScormPackage, ScormVersion
from tests.factories import user_with_role


@dataclass
class ScormCourse:
    course: Course
    lesson: Lesson
    trainer: object
    trainee: object


def build_scorm_course(organisation, *, enrol_trainee: bool = True, second_required: bool = False,
                       trainee=None) -> ScormCourse:
    trainer = user_with_role(Role.TRAINER, organisation)
    course = services.course_create(actor=None, organisation_id=organisation.pk,
                                    title="Bồi dưỡng kỹ năng với SCORM", self_enrolment=True)
    module = services.module_create(actor=None, course_id=course.pk, title="Chuyên đề 1")
    lesson = services.lesson_create(actor=None, module_id=module.pk, kind="scorm", title="Bài học SCORM")
    if second_required:
        services.lesson_create(actor=None, module_id=module.pk, kind="text", title="Bài đọc",
                               body="<p>Đọc</p>")
    services.course_publish(actor=None, course_id=course.pk)
    trainee = trainee or user_with_role(Role.TRAINEE, organisation)
    if enrol_trainee:
        enrolments.enrolments_add(actor=None, course_id=course.pk, user_ids=[trainee.pk])
    course.refresh_from_db()
    lesson.refresh_from_db()
    return ScormCourse(course=course, lesson=lesson, trainer=trainer, trainee=trainee)


def item(identifier: str = "sco-1", *, title: str | None = None, is_sco: bool = True,
         href: str = "index.html", depth: int = 1, required: bool = True, **extra: Any) -> dict:
    """One item of the default organisation (keys as ScormPackage.items documents)."""
    return {
        "identifier": identifier, "title": title or f"Phần {identifier}", "depth": depth,
        "is_sco": is_sco, "href": href if is_sco else "", "mastery_score": None,
        "scaled_passing_score": None, "completion_threshold": None, "launch_data": "",
        "max_time_allowed": "", "time_limit_action": "", "required": required, **extra,
    }


def make_package(lesson, *, version: str = ScormVersion.SCORM_12, items: list[dict] | None = None,
                 completion_rule: str = CompletionRule.ALL, grading_method: str = "highest",
                 title: str = "Gói SCORM thử", actor=None) -> ScormPackage:
    """Store (or replace) the package a SCORM lesson plays, with a fresh package_key."""
    fields = {
        "course_id": lesson.course_id, "package_key": f"l{lesson.pk}-{uuid.uuid4().hex[:16]}",
        "version": version, "title": title, "manifest_identifier": "MANIFEST-1", "organization": "ORG-1",
        "items": items if items is not None else [item()], "completion_rule": completion_rule,
        "grading_method": grading_method, "uploaded_at": timezone.now(), "created_by": actor,
    }
    package, created = ScormPackage.objects.update_or_create(lesson_id=lesson.pk, defaults=fields)
    if created:
        courses_api.lesson_set_activity(lesson_id=lesson.pk, activity_id=package.pk)
    return package
