"""Course analytics on a large course: courses.api.course_analytics vs a bare count baseline.

Run: `DJANGO_DEBUG=1 .venv/bin/python -m tests.bench.authoring_analytics [learners] [seconds]`
(a throw-away SQLite file unless DATABASE_URL names a `ttdn_bench*` PostgreSQL database, which
is then migrated and filled). Not a test: compare the two figures of the same run. It also
prints the query count, which must not grow with the number of learners.
"""

import os
import random
import sys
import tempfile
import time


def _seed(learners: int):
    from django.utils import timezone

    from backend.accounts.models import Organisation, User
    from courses import services
    from courses.models import Enrolment, LessonProgress, ProgressStatus

    unit = Organisation.objects.create(code="bench-analytics", name="Đơn vị đo hiệu năng",
                                       kind="department")
    course = services.course_create(actor=None, organisation_id=unit.pk, title="Khóa học đo")
    for m in range(4):
        module = services.module_create(actor=None, course_id=course.pk, title=f"Chuyên đề {m}")
        for n in range(5):
            services.lesson_create(actor=None, module_id=module.pk, kind="text", title=f"Bài {m}.{n}")
    services.course_publish(actor=None, course_id=course.pk)
    course.refresh_from_db()
    lessons = [ls["id"] for m in course.published["modules"] for ls in m["lessons"]]
    users = User.objects.bulk_create(
        [User(email=f"a{i}@bench.invalid", full_name=f"Học viên {i}", organisation=unit,
              password="!") for i in range(learners)], batch_size=2000)
    now = timezone.now()
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(user=u, course=course, enrolled_at=now - timezone.timedelta(days=i % 90))
         for i, u in enumerate(users)], batch_size=2000)
    rng = random.Random(7)
    progress = []
    for e in enrolments:
        for lesson_id in lessons[: rng.randint(0, len(lessons))]:
            progress.append(LessonProgress(enrolment=e, lesson_id=lesson_id,
                                           status=ProgressStatus.COMPLETED, completed_at=now,
                                           score=rng.random() if lesson_id % 3 == 0 else None))
    LessonProgress.objects.bulk_create(progress, batch_size=5000)
    return course, len(progress)


def _rate(fn, seconds: float) -> float:
    fn()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        n += 1
    return n / (time.perf_counter() - start)


def main() -> None:
    learners = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    url = os.environ.get("DATABASE_URL", "")
    if not url or "ttdn_bench" not in url:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/analytics.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses import api as courses_api
    from courses.models import Enrolment

    call_command("migrate", verbosity=0)
    course, rows = _seed(learners)
    with CaptureQueriesContext(connection) as queries:
        courses_api.course_analytics(course_id=course.pk)
    bare = _rate(lambda: Enrolment.objects.filter(course=course).count(), seconds)
    full = _rate(lambda: courses_api.course_analytics(course_id=course.pk), seconds)
    print(f"{learners} learners, {rows} lesson-progress rows, {connection.vendor}")
    print(f"bare enrolment count        {bare:8.1f} /s")
    print(f"course_analytics            {full:8.1f} /s  ({full / bare:.3f} x bare; "
          f"{len(queries)} queries)")


if __name__ == "__main__":
    main()
