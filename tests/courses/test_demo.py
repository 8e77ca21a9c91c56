"""The demo course: seeded once, published, in Vietnamese, usable by the demo trainee."""

from django.core.management import call_command

from courses import learning
from courses.models import Course, Lesson


def test_demo_is_idempotent_and_the_trainee_can_take_the_course(db, settings):
    settings.DEMO_MODE = True
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)
    course = Course.objects.get()
    assert course.status == "published" and course.self_enrolment and course.issues_certificate
    assert course.organisation.code == "btgtw"
    assert 4 <= len([m for m in course.published["modules"]
                     if any(ls["kind"] == "text" for ls in m["lessons"])]) <= 5
    # Quiz lessons (assessments' demo) are completed by their quizzes: tests/assessments/test_demo.py.
    lessons = list(Lesson.objects.filter(course=course, kind="text").order_by("module__position", "position"))
    assert all(ls.body.count("<p>") >= 3 for ls in lessons)
    assert "Kết luận số 57-KL/TW" in lessons[0].body and "111-HD/BTGTW" in lessons[0].body

    from backend.accounts.models import User
    from courses.enrolments import enrolment_self

    trainee = User.objects.get(email="trainee@demo.local")
    enrolment_self(user=trainee, course_id=course.pk)
    for lesson in lessons:
        learning.lesson_complete(user=trainee, lesson_id=lesson.pk)
    # The demo's H5P activity (courses.h5p.demo) is completed by its answer, through xAPI.
    from courses.h5p.services import xapi_ingest
    from tests.h5p.statements import statement

    activity = Lesson.objects.get(course=course, kind="h5p")
    assert course.enrolments.get(user=trainee).percent < 100
    xapi_ingest(user=trainee, lesson_id=activity.pk,
                statements=[statement(activity.pk, raw=1, success=True, completion=True)])
    assert 0 < course.enrolments.get(user=trainee).percent < 100  # the quizzes remain
