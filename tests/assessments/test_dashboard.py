"""assessments.dashboard: quiz close dates, results waiting for a grader, the grading to do and
the latest submissions, each in one query."""

import datetime as dt

from django.utils import timezone

from assessments import attempts, dashboard, manual_grading
from assessments.models import Response
from backend.accounts.models import Role
from tests.assessments.factories import enrol, essay_submitted
from tests.factories import user_with_role


def test_grading_todo_counts_essays_per_quiz_and_forgets_graded_ones(tree, django_assert_num_queries):
    a, b = (user_with_role(Role.TRAINEE, tree["mission"]) for _ in range(2))
    course, quiz = essay_submitted(tree, a)
    enrol(course, b)
    started = attempts.attempt_start(user=b, quiz_id=quiz.pk)
    attempts.attempt_submit(user=b, attempt_id=started.attempt.pk, answers=[
        {"position": r.position, "answer": "Bài viết"} for r in started.responses])
    with django_assert_num_queries(1):
        todo = dashboard.grading_todo([course.pk])
    assert [(t.quiz_id, t.waiting) for t in todo] == [(quiz.pk, 2)]
    assert dashboard.grading_todo([course.pk + 1000]) == []

    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    response = Response.objects.filter(attempt__user=a).get()
    manual_grading.response_grade(actor=trainer, response_id=response.pk, mark=1, feedback="")
    assert [t.waiting for t in dashboard.grading_todo([course.pk])] == [1]


def test_awaiting_grade_lists_the_trainees_own_attempts(tree, django_assert_num_queries):
    trainee = user_with_role(Role.TRAINEE, tree["mission"])
    other = user_with_role(Role.TRAINEE, tree["mission"])
    _course, quiz = essay_submitted(tree, trainee)
    with django_assert_num_queries(1):
        mine = dashboard.awaiting_grade_for(trainee.pk)
    assert [(a.quiz_id, a.lesson_id) for a in mine] == [(quiz.pk, quiz.lesson_id)]
    assert dashboard.awaiting_grade_for(other.pk) == []


def test_quiz_deadlines_are_soonest_first_and_only_for_dated_quizzes(tree, django_assert_num_queries):
    trainee = user_with_role(Role.TRAINEE, tree["mission"])
    closes = timezone.now() + dt.timedelta(days=3)
    _course, quiz = essay_submitted(tree, trainee, closes_at=closes)
    with django_assert_num_queries(1):
        rows = dashboard.quiz_deadlines([quiz.lesson_id, 999999])
    assert [(d.quiz_id, d.closes_at) for d in rows] == [(quiz.pk, closes)]
    assert dashboard.quiz_deadlines([]) == []


def test_recent_submissions_name_the_learner(tree, django_assert_num_queries):
    trainee = user_with_role(Role.TRAINEE, tree["mission"], full_name="Phạm Thu Trang")
    course, _quiz = essay_submitted(tree, trainee)
    with django_assert_num_queries(1):
        rows = dashboard.recent_submissions([course.pk])
    assert [(s.learner_name, s.needs_grading, s.percentage) for s in rows] == [("Phạm Thu Trang", True, None)]
