"""The dashboards at `/` per role: content, links onward, empty states, and query counts that do
not grow with the number of courses."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.accounts.models import Role
from backend.jobs.api import job_create
from courses import learning
from courses.models import Course
from tests.assessments.factories import bank_with_questions, essay_submitted, make_quiz, quiz_course
from tests.courses.factories import build_course, enrol, lessons_in_order
from tests.factories import user_with_role


def _english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def trainee(tree):
    return _english(user_with_role(Role.TRAINEE, tree["mission"]))


@pytest.fixture
def trainer(tree):
    return _english(user_with_role(Role.TRAINER, tree["ministry"]))


@pytest.fixture
def administrator(tree):
    return _english(user_with_role(Role.ADMINISTRATOR, tree["ministry"]))


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


# --- trainee -------------------------------------------------------------------------------------

def test_new_trainee_sees_empty_states_that_say_what_to_do(client, tree, trainee):
    page = _page(client, trainee)
    assert "Continue learning" in page and "You are not enrolled in any course yet" in page
    assert 'href="/courses/"' in page  # the catalogue, from the empty state
    assert "No deadline ahead" in page and "Nothing is waiting for a grader" in page
    assert "No certificate yet" in page and "No open course of your unit" in page
    assert "Teaching" not in page and "Administration" not in page


def test_trainee_continues_each_course_and_a_completed_one_shows_its_certificate(client, tree, trainee):
    going = build_course(tree["ministry"], title="Đang học", due_at=timezone.now() + dt.timedelta(days=3))
    done = build_course(tree["ministry"], title="Đã xong", modules=1, lessons=1, issues_certificate=True)
    enrol(going, trainee)
    enrol(done, trainee)
    first = lessons_in_order(going)[0]
    learning.lesson_complete(user=trainee, lesson_id=first.pk)
    learning.lesson_complete(user=trainee, lesson_id=lessons_in_order(done)[0].pk)

    page = _page(client, trainee)
    second = lessons_in_order(going)[1]
    assert f'href="/learn/lessons/{second.pk}/"' in page  # the next lesson, not the first
    assert 'aria-valuenow="25"' in page and 'aria-valuenow="100"' in page
    assert "View the certificate" in page and 'href="/certificates/"' in page
    # The completed course offers no "continue" button.
    done_card = page[page.index("Đã xong"):]
    done_card = done_card[:done_card.index("</li>")]
    assert "Continue learning" not in done_card and "Start learning" not in done_card
    due = going.due_at.astimezone(timezone.get_current_timezone())
    assert due.strftime("%d/%m/%Y") in page


def test_trainee_deadlines_are_sorted_and_overdue_marked(client, tree, trainee):
    now = timezone.now()
    later = build_course(tree["ministry"], title="Hạn sau", due_at=now + dt.timedelta(days=20))
    late = build_course(tree["ministry"], title="Quá hạn", due_at=now - dt.timedelta(days=2))
    enrol(later, trainee)
    enrol(late, trainee)
    course, quiz = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["true_false"])
    make_quiz(quiz, questions, title="Kiểm tra giữa kỳ", closes_at=now + dt.timedelta(days=5))
    enrol(course, trainee)

    page = _page(client, trainee)
    section = page[page.index('id="dash-deadlines"'):page.index('id="dash-awaiting"')]
    order = [section.index(t) for t in ("Quá hạn", "Kiểm tra giữa kỳ", "Hạn sau")]
    assert order == sorted(order)
    assert "Overdue" in section and section.count("Overdue") == 1
    assert 'href="/quiz/' in section


def test_trainee_sees_results_waiting_for_grading_and_recommendations(client, tree, trainee):
    essay_submitted(tree, trainee)
    build_course(tree["ministry"], title="Khóa gợi ý")
    build_course(tree["province"], title="Khóa tỉnh khác")  # not their unit's
    build_course(tree["ministry"], title="Không tự ghi danh", self_enrolment=False)

    page = _page(client, trainee)
    waiting = page[page.index('id="dash-awaiting"'):page.index('id="dash-certs"')]
    assert "Bài luận cuối khóa" in waiting and "Awaiting grading" in waiting
    # The course's card does not send them back to the essay waiting for its grade.
    card = page[page.index('id="dash-continue"'):page.index('id="dash-deadlines"')]
    # (continue skips lessons awaiting grading: with nothing else open the card offers the course)
    cards = card.split("</h3>", 1)[1]
    assert "<li>" in cards and "Continue learning</a>" not in cards
    recommended = page[page.index('id="dash-recommended"'):]
    assert "Khóa gợi ý" in recommended
    assert "Khóa tỉnh khác" not in recommended and "Không tự ghi danh" not in recommended


# --- trainer -------------------------------------------------------------------------------------

def test_trainer_sees_grading_courses_drafts_and_activity(client, tree, trainee, trainer):
    course, quiz = essay_submitted(tree, trainee)
    draft = build_course(tree["ministry"], title="Bản nháp mới", publish=False)

    page = _page(client, trainer)
    grading = page[page.index('id="dash-grading"'):page.index('id="dash-mycourses"')]
    assert f'href="/quiz/{quiz.pk}/grading/"' in grading and "1 essay to grade" in grading
    courses = page[page.index('id="dash-mycourses"'):page.index('id="dash-drafts"')]
    assert f'href="/teach/courses/{course.pk}/"' in courses and "Average progress" in courses
    drafts = page[page.index('id="dash-drafts"'):page.index('id="dash-activity"')]
    assert f'href="/teach/courses/{draft.pk}/publish/"' in drafts and "never published" in drafts
    activity = page[page.index('id="dash-activity"'):]
    assert "submitted Bài luận cuối khóa" in activity


def test_trainer_without_courses_is_told_to_create_one(client, tree, trainer):
    page = _page(client, trainer)
    assert "You have no course yet" in page and 'href="/teach/courses/new/"' in page
    assert "No essay is waiting for a grade" in page and "No activity yet" in page


# --- administrator -------------------------------------------------------------------------------

def test_administrator_sees_figures_chart_actions_and_jobs(client, tree, trainee, administrator):
    course = build_course(tree["ministry"], modules=1, lessons=1)
    enrol(course, trainee)
    learning.lesson_complete(user=trainee, lesson_id=lessons_in_order(course)[0].pk)
    job_create(kind="users.import", started_by=administrator, total=10)

    page = _page(client, administrator)
    figures = page[page.index('id="dash-figures"'):page.index('id="dash-action"')]
    assert "enrolments" in figures and "100%" in figures  # one enrolment, completed
    assert "<svg" in figures and "bar-enrolled" in figures and "<table" in figures
    action = page[page.index('id="dash-action"'):page.index('id="dash-jobs"')]
    assert "never signed in" in action and 'href="/manage/users/"' in action
    jobs = page[page.index('id="dash-jobs"'):]
    assert "User import" in jobs and 'href="/manage/import/' in jobs and "0 of 10" in jobs


def test_administrator_with_nothing_to_do_sees_calm_empty_states(client, tree, administrator):
    administrator.last_login = timezone.now()
    administrator.save(update_fields=["last_login"])
    page = _page(client, administrator)
    assert "Nothing needs your action" in page and "No job is running" in page


# --- query counts ----------------------------------------------------------------------------------

def _count(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["trainee", "trainer", "administrator"])
def test_dashboard_queries_do_not_grow_with_courses(client, tree, trainee, trainer, administrator, role):
    user = {"trainee": trainee, "trainer": trainer, "administrator": administrator}[role]
    other = user_with_role(Role.TRAINEE, tree["mission"])

    def add_course(n):
        course = build_course(tree["ministry"], modules=1, lessons=2, title=f"Khóa {n}",
                              due_at=timezone.now() + dt.timedelta(days=n + 1))
        enrol(course, trainee, other)
        learning.lesson_complete(user=other, lesson_id=lessons_in_order(course)[0].pk)

    add_course(0)
    one = _count(client, user)
    for n in range(1, 20):
        add_course(n)
    assert Course.objects.count() == 20
    assert _count(client, user) == one
    assert one <= {"trainee": 16, "trainer": 18, "administrator": 20}[role]
