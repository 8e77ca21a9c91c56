"""The courses bench seed on the test database with a small N: the SQL runs on this backend,
the data is what the services would have produced, and the endpoints the load hits answer."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from backend.accounts.models import User
from courses import learning
from courses.bench_seed import LESSONS_PER_MODULE, MODULES, _bench_courses
from courses.models import Course, Enrolment, Lesson, LessonProgress

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bench_on(settings):
    settings.BENCH_ENDPOINTS = True


def seed(**options):
    call_command("bench_seed", stdout=open("/dev/null", "w"), **options)  # noqa: SIM115


def test_courses_enrolments_and_progress_are_consistent_and_idempotent():
    seed(users=250)
    courses = list(_bench_courses())
    assert len(courses) == 2
    lessons = MODULES * LESSONS_PER_MODULE
    assert Lesson.objects.filter(course__in=courses).count() == 2 * lessons
    enrolments = Enrolment.objects.filter(course__in=courses)
    assert enrolments.count() == 250 * 2
    done = LessonProgress.objects.filter(enrolment__course__in=courses).count()
    assert 0 < done <= 500 * lessons
    # The percent seeded is exactly what the services compute from the progress rows.
    before = dict(enrolments.values_list("pk", "percent"))
    for course in courses:
        learning.enrolments_recompute(course)
    assert dict(enrolments.values_list("pk", "percent")) == before
    assert enrolments.filter(percent=100, completed_at__isnull=False, status="completed").exists()

    seed(users=250)  # again: nothing added
    assert Enrolment.objects.filter(course__in=courses).count() == 500
    assert LessonProgress.objects.filter(enrolment__course__in=courses).count() == done
    # A scenario's course under the bench owner (the pages' and the exam's) changes nothing a
    # re-seed spreads: no new enrolments, no progress on the scenario's own enrolments.
    scenario = Course.objects.create(title="Kỳ thi thử 1796419994",
                                     organisation_id=courses[0].organisation_id,
                                     status="published")
    Enrolment.objects.create(user=User.objects.get(email="u000001@bench.invalid"), course=scenario,
                             percent=50, enrolled_at=timezone.now())
    seed(users=250)
    assert Enrolment.objects.filter(course__in=courses).count() == 500
    assert LessonProgress.objects.filter(enrolment__course__in=courses).count() == done
    assert Enrolment.objects.filter(course=scenario).count() == 1  # the scenario's own, alone
    assert not LessonProgress.objects.filter(enrolment__course=scenario).exists()
    seed(users=3, reset=True)
    assert Enrolment.objects.filter(course__in=_bench_courses()).count() == 3


def test_seeded_course_serves_outline_and_completion():
    seed(users=120)
    user = User.objects.get(email="u000001@bench.invalid")
    enrolment = Enrolment.objects.filter(user=user, completed_at__isnull=True).first()
    api = APIClient()
    api.force_authenticate(user)
    outline = api.get(f"/api/v1/courses/{enrolment.course_id}/outline/").json()
    flat = [lesson for module in outline["modules"] for lesson in module["lessons"]]
    assert len(flat) == MODULES * LESSONS_PER_MODULE
    quizzes = [lesson for lesson in flat if lesson["kind"] == "quiz"]
    assert all(len(q["prerequisites"]) == LESSONS_PER_MODULE - 1 for q in quizzes)
    todo = next(lesson for lesson in flat if lesson["status"] != "completed" and lesson["kind"] != "quiz")
    response = api.post(f"/api/v1/lessons/{todo['id']}/complete/")
    assert response.status_code == 200, response.json()
    assert response.json()["enrolment"]["percent"] >= enrolment.percent
