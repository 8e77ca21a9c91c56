"""Pinned query counts of a trainee's server-rendered learning pages (issue 14 part 4): the
course outline, a lesson, a quiz's start page and the quiz player each run a fixed number of
queries, the same for a course of 2 lessons as for one of 4 modules x 6 lessons with quizzes
and progress (no query per module, lesson, status or badge). Session, user and language are
included: these are the counts of a whole page request, signed in."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.accounts.models import Role
from courses import learning
from courses import services as course_services
from tests.assessments.factories import bank_with_questions, make_quiz
from tests.courses.factories import enrol, lessons_in_order
from tests.factories import user_with_role

# Whole page requests, signed in (session, user, roles, saved language included).
# The quiz page asks no override query for a quiz without overrides (decision 0076).
OUTLINE, LESSON, QUIZ, PLAYER = 4, 4, 7, 5


def _course(unit, modules: int, readings: int):
    """`modules` modules of `readings` readings and a quiz that needs them (two questions)."""
    course = course_services.course_create(actor=None, organisation_id=unit.pk,
                                           title="Công tác thông tin đối ngoại", self_enrolment=True)
    _bank, questions = bank_with_questions(unit, ["single_choice", "true_false"])
    quiz_lessons = []
    for m in range(modules):
        module = course_services.module_create(actor=None, course_id=course.pk, title=f"Chuyên đề {m}")
        texts = [course_services.lesson_create(actor=None, module_id=module.pk, kind="text",
                                               title=f"Bài {m}.{n}", body="<p>Nội dung</p>")
                 for n in range(readings)]
        quiz_lessons.append(course_services.lesson_create(
            actor=None, module_id=module.pk, kind="quiz", title=f"Kiểm tra {m}",
            prerequisites=[t.pk for t in texts]))
    quizzes = [make_quiz(lesson, questions, pass_mark=70) for lesson in quiz_lessons]
    course_services.course_publish(actor=None, course_id=course.pk)
    return course, quizzes


@pytest.fixture
def learner(tree, client):
    user = user_with_role(Role.TRAINEE, tree["mission"])
    user.language = "vi"
    user.save(update_fields=["language"])
    client.force_login(user)
    return user


def _pages(client, learner, course, quizzes) -> dict[str, str]:
    enrol(course, learner)
    lessons = lessons_in_order(course)
    first_quiz = next(n for n, lesson in enumerate(lessons) if lesson.kind == "quiz")
    for lesson in lessons[:first_quiz]:  # the first module's readings: its quiz opens
        learning.lesson_complete(user=learner, lesson_id=lesson.pk)
    start = client.post(f"/quiz/{quizzes[0].pk}/start/")
    assert start.status_code == 302 and "/quiz/attempt/" in start["Location"]
    return {"outline": f"/courses/{course.pk}/learn/", "lesson": f"/learn/lessons/{lessons[0].pk}/",
            "quiz": f"/quiz/{quizzes[0].pk}/", "player": start["Location"]}


def _count(client, url: str) -> int:
    client.get(url)  # first request: caches and lazy imports are not what is pinned
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if os.environ.get("PRINT_QUERIES"):
        print("\n".join([url, *(q["sql"][:300] for q in queries.captured_queries)]))
    return len(queries)


def test_learning_pages_run_a_fixed_number_of_queries(tree, client, learner):
    small = _pages(client, learner, *_course(tree["ministry"], modules=1, readings=1))
    large = _pages(client, learner, *_course(tree["ministry"], modules=4, readings=5))
    counts = {name: (_count(client, small[name]), _count(client, large[name])) for name in small}
    assert counts == {"outline": (OUTLINE, OUTLINE), "lesson": (LESSON, LESSON),
                      "quiz": (QUIZ, QUIZ), "player": (PLAYER, PLAYER)}
