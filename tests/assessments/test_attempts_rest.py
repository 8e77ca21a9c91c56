"""The quiz flow through the REST API: start, autosave, submit, review, limits, the server's clock,
versions frozen at start, results reported to course progress."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from assessments import attempts as attempts_module
from assessments import services
from assessments.models import Attempt, AttemptStatus
from backend.accounts.models import User
from courses import api as courses_api
from tests.assessments.factories import (
    bank_with_questions,
    enrol,
    make_quiz,
    quiz_course,
    right_answers,
)

AUTO_TYPES = [
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numerical",
    "matching",
    "ordering",
]


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


@pytest.fixture
def setup(tree, trainee):
    course, lesson = quiz_course(tree["ministry"])
    bank, questions = bank_with_questions(tree["ministry"], AUTO_TYPES)
    enrol(course, trainee)
    return {
        "course": course,
        "lesson": lesson,
        "bank": bank,
        "questions": questions,
        "by_text": {q.current.text: q for q in questions},
    }


def test_start_autosave_submit_review_and_progress(api, setup, trainee):
    quiz = make_quiz(setup["lesson"], setup["questions"], pass_mark=70, time_limit_seconds=600)
    as_user(api, trainee)
    r = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert len(body["questions"]) == 7 and 595 <= body["remaining_seconds"] <= 600
    # A second start (reload, double click) resumes the same attempt.
    again = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    assert again.status_code == 200 and again.json()["id"] == body["id"]

    answers = right_answers(body, setup["by_text"])
    r = api.patch(f"/api/v1/attempts/{body['id']}/", {"responses": answers[:3]}, format="json")
    assert r.status_code == 200 and r.json()["saved"] == [1, 2, 3]
    got = api.get(f"/api/v1/attempts/{body['id']}/").json()
    assert [q["answer"] for q in got["questions"][:3]] == [a["answer"] for a in answers[:3]]
    assert "percentage" not in got

    r = api.post(f"/api/v1/attempts/{body['id']}/submit/", {"responses": answers[3:]}, format="json")
    assert r.status_code == 200, r.json()
    result = r.json()
    assert result["status"] == "finished" and result["percentage"] == 100.0 and result["passed"] is True
    # Default policy: correct answers only after the quiz closes (it never does here).
    assert "correct_answer" not in result["questions"][0] and "feedback" in result["questions"][0]
    # Idempotent.
    again = api.post(f"/api/v1/attempts/{body['id']}/submit/", {}, format="json").json()
    assert again["percentage"] == 100.0 and Attempt.objects.count() == 1

    enrolment = courses_api.enrolment_get(user_id=trainee.pk, course_id=setup["course"].pk)
    assert enrolment.percent == 100 and enrolment.completed_at is not None
    detail = api.get(f"/api/v1/quizzes/{quiz.pk}/").json()
    assert detail["attempts_used"] == 1 and detail["attempts"][0]["percentage"] == 100.0


def test_failing_below_pass_mark_does_not_complete_then_highest_attempt_does(api, setup, trainee):
    quiz = make_quiz(setup["lesson"], setup["questions"], pass_mark=70, max_attempts=2)
    as_user(api, trainee)
    first = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    api.post(f"/api/v1/attempts/{first['id']}/submit/", {}, format="json")
    enrolment = courses_api.enrolment_get(user_id=trainee.pk, course_id=setup["course"].pk)
    assert enrolment.completed_at is None
    second = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    api.post(
        f"/api/v1/attempts/{second['id']}/submit/",
        {"responses": right_answers(second, setup["by_text"])},
        format="json",
    )
    enrolment = courses_api.enrolment_get(user_id=trainee.pk, course_id=setup["course"].pk)
    assert enrolment.completed_at is not None
    r = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    assert r.status_code == 409 and r.json()["code"] == "no_attempts_left"
    detail = api.get(f"/api/v1/quizzes/{quiz.pk}/").json()
    assert detail["attempts_left"] == 0 and detail["can_start"] is False


def test_closed_not_open_and_delay(api, setup, trainee):
    now = timezone.now()
    quiz = make_quiz(
        setup["lesson"],
        setup["questions"],
        closes_at=now - timedelta(minutes=1),
        opens_at=now - timedelta(days=1),
    )
    as_user(api, trainee)
    assert api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["code"] == "quiz_closed"
    services.quiz_update(
        actor=None, quiz_id=quiz.pk, opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=1)
    )
    assert api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["code"] == "quiz_not_open"
    services.quiz_update(actor=None, quiz_id=quiz.pk, opens_at=None, attempt_delay_seconds=3600)
    first = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    api.post(f"/api/v1/attempts/{first['id']}/submit/", {}, format="json")
    assert api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["code"] == "attempt_delay"


def test_server_deadline_decides_not_the_client(api, setup, trainee):
    quiz = make_quiz(setup["lesson"], setup["questions"], time_limit_seconds=60)
    as_user(api, trainee)
    start = timezone.now()
    body = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    answers = right_answers(body, setup["by_text"])
    # Within the grace after the deadline: still accepted.
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(seconds=65)):
        r = api.patch(f"/api/v1/attempts/{body['id']}/", {"responses": answers[:1]}, format="json")
        assert r.status_code == 200 and r.json()["remaining_seconds"] == 0
    # Past deadline + grace: refused, and the attempt is graded with what was saved.
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(seconds=120)):
        r = api.patch(f"/api/v1/attempts/{body['id']}/", {"responses": answers[1:]}, format="json")
        assert r.status_code == 409 and r.json()["code"] == "attempt_time_over"
        r = api.post(f"/api/v1/attempts/{body['id']}/submit/", {"responses": answers}, format="json")
    result = r.json()
    assert result["status"] == "finished" and result["timed_out"] is True
    assert result["mark"] == 1.0  # only the first answer was saved in time


def test_overdue_attempt_is_graded_by_the_periodic_task_and_on_access(api, setup, trainee):
    from assessments.tasks import finish_overdue_attempts

    quiz = make_quiz(setup["lesson"], setup["questions"], time_limit_seconds=60, max_attempts=3)
    as_user(api, trainee)
    body = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    api.patch(
        f"/api/v1/attempts/{body['id']}/",
        {"responses": right_answers(body, setup["by_text"])[:2]},
        format="json",
    )
    assert finish_overdue_attempts() == 0
    later = timezone.now() + timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert finish_overdue_attempts.delay().get() == 1
        assert finish_overdue_attempts() == 0  # idempotent
    attempt = Attempt.objects.get(pk=body["id"])
    assert attempt.status == AttemptStatus.FINISHED and attempt.timed_out and attempt.mark == 2.0
    # On access: a second attempt left running is graded when the trainee opens the quiz.
    second = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    with mock.patch("django.utils.timezone.now", return_value=later + timedelta(minutes=5)):
        detail = api.get(f"/api/v1/quizzes/{quiz.pk}/").json()
    assert [a["status"] for a in detail["attempts"]] == ["finished", "finished"]
    assert Attempt.objects.get(pk=second["id"]).timed_out


def test_question_edits_do_not_change_started_attempts(api, setup, trainee):
    question = setup["questions"][0]  # single choice
    quiz = make_quiz(setup["lesson"], [question], max_attempts=2)
    as_user(api, trainee)
    body = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    old_choices = body["questions"][0]["choices"]
    services.question_update(
        actor=None,
        question_id=question.pk,
        text="Câu hỏi đã sửa?",
        data={"choices": [{"text": "Mới A", "fraction": 1}, {"text": "Mới B"}]},
    )
    got = api.get(f"/api/v1/attempts/{body['id']}/").json()
    assert got["questions"][0]["text"] == body["questions"][0]["text"]
    assert got["questions"][0]["choices"] == old_choices
    right = next(c["id"] for c in question.versions.get(number=1).data["choices"] if c["fraction"] == 1)
    result = api.post(
        f"/api/v1/attempts/{body['id']}/submit/",
        {"responses": [{"position": 1, "answer": right}]},
        format="json",
    ).json()
    assert result["percentage"] == 100.0
    new = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    assert new["questions"][0]["text"] == "Câu hỏi đã sửa?"


def test_random_draw_is_frozen_per_attempt(api, tree, setup, trainee):
    bank, _questions = bank_with_questions(tree["ministry"], ["true_false"], copies=10)
    quiz = make_quiz(
        setup["lesson"], slots=[{"bank": bank.pk, "category": "Chung", "count": 4}], shuffle_questions=True
    )
    as_user(api, trainee)
    body = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    texts = [q["text"] for q in body["questions"]]
    assert len(texts) == 4 and len(set(texts)) == 4
    for _ in range(2):
        assert [q["text"] for q in api.get(f"/api/v1/attempts/{body['id']}/").json()["questions"]] == texts


def test_other_trainees_attempt_is_404(api, tree, setup, trainee):
    from backend.accounts.models import Role
    from tests.factories import user_with_role

    quiz = make_quiz(setup["lesson"], setup["questions"])
    other = user_with_role(Role.TRAINEE, tree["mission"])
    enrol(setup["course"], other)
    as_user(api, trainee)
    body = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    as_user(api, other)
    assert api.get(f"/api/v1/attempts/{body['id']}/").status_code == 404
    assert api.patch(f"/api/v1/attempts/{body['id']}/", {"responses": []}, format="json").status_code == 404
    assert api.post(f"/api/v1/attempts/{body['id']}/submit/", {}, format="json").status_code == 404
    assert Attempt.objects.get(pk=body["id"]).status == AttemptStatus.IN_PROGRESS


def test_not_enrolled_cannot_see_or_start(api, tree, setup):
    from backend.accounts.models import Role
    from tests.factories import user_with_role

    quiz = make_quiz(setup["lesson"], setup["questions"])
    outsider = user_with_role(Role.TRAINEE, tree["mission"])
    as_user(api, outsider)
    assert api.get(f"/api/v1/quizzes/{quiz.pk}/").status_code == 404
    assert api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").status_code == 404


def test_bad_answer_is_a_field_error_and_saves_nothing(api, setup, trainee):
    quiz = make_quiz(setup["lesson"], setup["questions"])
    as_user(api, trainee)
    body = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    r = api.patch(
        f"/api/v1/attempts/{body['id']}/",
        {"responses": [{"position": 1, "answer": "no-such-choice"}]},
        format="json",
    )
    assert r.status_code == 400 and "responses.1" in r.json()["fields"]
    r = api.patch(
        f"/api/v1/attempts/{body['id']}/", {"responses": [{"position": 99, "answer": 1}]}, format="json"
    )
    assert r.status_code == 400


def test_grace_is_a_setting(settings):
    settings.ASSESSMENTS_DEADLINE_GRACE_SECONDS = 3
    assert attempts_module.grace() == timedelta(seconds=3)
