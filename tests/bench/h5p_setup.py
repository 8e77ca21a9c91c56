"""Bench data for the H5P xAPI scenarios, run in the bench environment (a child process):
one published course with an H5P lesson and its package, the first N bench users enrolled.
Idempotent. Prints {"lesson_id", "object", "user_indexes"} as JSON (bench users
enrolled, by their index: trainees only).

    python -m tests.bench.h5p_setup --users 50
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys

TITLE = "Bench H5P"


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()
    from django.contrib.auth import get_user_model

    from backend.accounts.api import organisation_get_by_code
    from backend.accounts.mfa import user_needs_mfa_setup
    from backend.bench_seeding import bench_user_email
    from courses import enrolments, services
    from courses.h5p.fixture_library import build_question_package
    from courses.h5p.models import H5PContent
    from courses.h5p.selectors import activity_iri
    from courses.h5p.services import h5p_store
    from courses.models import Course, Lesson

    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()
    unit = organisation_get_by_code("bench-central")
    if unit is None:
        raise SystemExit("Seed the bench data first (bench_seed).")
    course = Course.objects.filter(title=TITLE, organisation_id=unit.id).first()
    if course is None:
        course = services.course_create(actor=None, organisation_id=unit.id, title=TITLE)
        module = services.module_create(actor=None, course_id=course.pk, title="Chuyên đề")
        services.lesson_create(actor=None, module_id=module.pk, kind="h5p", title="Câu hỏi")
        services.lesson_create(actor=None, module_id=module.pk, kind="text", title="Bài đọc", body="<p>x</p>")
        services.course_publish(actor=None, course_id=course.pk)
    lesson = Lesson.objects.get(course=course, kind="h5p")
    if not H5PContent.objects.filter(lesson_id=lesson.pk).exists():
        from courses.data import lesson_data
        h5p_store(actor=None, lesson=lesson_data(lesson, published=False),
                  upload=io.BytesIO(build_question_package("Hà Nội là thủ đô?")))
    # Learners only: staff bench users must set up MFA first (production rule) and would get 403.
    users = get_user_model().objects.in_bulk(
        [bench_user_email(i) for i in range(1, 5 * args.users + 1)], field_name="email")
    indexes, ids = [], []
    for index in range(1, 5 * args.users + 1):
        user = users.get(bench_user_email(index))
        if user is not None and not user_needs_mfa_setup(user) and len(ids) < args.users:
            indexes.append(index)
            ids.append(user.pk)
    enrolments.enrolments_add(actor=None, course_id=course.pk, user_ids=ids)
    print(json.dumps({"lesson_id": lesson.pk, "object": activity_iri(lesson.pk), "enrolled": len(ids),
                      "user_indexes": indexes}))


if __name__ == "__main__":
    sys.exit(main())
