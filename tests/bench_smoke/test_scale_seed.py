"""The set-based bench seed at a tiny size (50 users): every table's count is what the formulas
give (10 enrolments per user, about 10 progress rows per enrolment, 2 attempts per enrolment with
their responses), a second run adds nothing, and the attempts are ones the quiz code can read."""

import pytest
from django.core.management import call_command

from assessments.bench_seed import ATTEMPTS_PER_ENROLMENT, RESPONSES_PER_ATTEMPT, _bench_quizzes
from assessments.models import Attempt, QuizSlot, Response
from courses.bench_seed import MODULES, _bench_courses
from courses.models import Enrolment, Lesson, LessonProgress

pytestmark = pytest.mark.django_db

USERS = 50


@pytest.fixture(autouse=True)
def _bench_on(settings):
    settings.BENCH_ENDPOINTS = True


def seed(**options):
    call_command("bench_seed", stdout=open("/dev/null", "w"), **options)  # noqa: SIM115


def counts() -> dict[str, int]:
    courses = _bench_courses()
    quizzes = _bench_quizzes()
    return {
        "courses": courses.count(),
        "enrolments": Enrolment.objects.filter(course__in=courses).count(),
        "progress": LessonProgress.objects.filter(enrolment__course__in=courses).count(),
        "quizzes": quizzes.count(),
        "slots": QuizSlot.objects.filter(quiz__in=quizzes).count(),
        "attempts": Attempt.objects.filter(quiz__in=quizzes).count(),
        "responses": Response.objects.filter(attempt__quiz__in=quizzes).count(),
    }


def test_scale_seed_counts_and_is_idempotent():
    seed(users=USERS)
    first = counts()
    # One course for 50 users (N // 100, at least one): every user enrols in it once.
    enrolments = USERS * min(10, first["courses"])
    assert first["enrolments"] == enrolments
    # Lessons done per enrolment: k for k < 20, all 30 for k = 20; mean 10.5.
    assert 5 * enrolments <= first["progress"] <= 16 * enrolments
    assert first["quizzes"] == first["slots"] == first["courses"] * MODULES
    assert first["attempts"] == ATTEMPTS_PER_ENROLMENT * enrolments
    assert first["responses"] == RESPONSES_PER_ATTEMPT * first["attempts"]
    attempt = Attempt.objects.filter(quiz__in=_bench_quizzes(), number=2).first()
    assert attempt.status == "finished" and attempt.final_percentage == 80.0
    assert attempt.responses.count() == RESPONSES_PER_ATTEMPT

    # Each quiz is its lesson's activity, in the row and in the published outline.
    quiz = _bench_quizzes().first()
    lesson = Lesson.objects.get(pk=quiz.lesson_id)
    assert lesson.activity_id == lesson.published["activity_id"] == quiz.pk

    seed(users=USERS)  # again: nothing added
    assert counts() == first
