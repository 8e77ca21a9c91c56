"""Manual grading (queue, grade, re-grade), overrides (audited, progress recomputed), and item
statistics as JSON and CSV."""

import pytest

from assessments.models import QuestionVersion
from backend.accounts.models import Role, User
from backend.audit.models import AuditEntry
from courses import api as courses_api
from tests.assessments.factories import (
    bank_with_questions,
    enrol,
    make_quiz,
    quiz_course,
    right_answers,
)
from tests.factories import user_with_role
from tests.spreadsheet_checks import PAYLOADS, assert_csv_cell_is_text, csv_rows


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


@pytest.fixture
def world(tree, trainee):
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["true_false", "essay"])
    quiz = make_quiz(lesson, questions, pass_mark=75)
    enrol(course, trainee)
    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    return {
        "course": course,
        "quiz": quiz,
        "questions": questions,
        "trainer": trainer,
        "by_text": {q.current.text: q for q in questions},
    }


def _take(api, user, world, essay="Bài viết về Kết luận 57"):
    as_user(api, user)
    start = api.post(f"/api/v1/quizzes/{world['quiz'].pk}/attempts/").json()
    answers = right_answers(start, world["by_text"])
    for a in answers:
        if isinstance(a["answer"], str):
            a["answer"] = essay
    return api.post(f"/api/v1/attempts/{start['id']}/submit/", {"responses": answers}, format="json").json()


def test_essay_waits_for_a_grader_then_grade_completes_the_course(api, world, trainee):
    result = _take(api, trainee, world)
    assert result["needs_grading"] is True and result["percentage"] is None and result["passed"] is None
    enrolment = courses_api.enrolment_get(user_id=trainee.pk, course_id=world["course"].pk)
    assert enrolment.completed_at is None

    as_user(api, trainee)
    assert api.get(f"/api/v1/quizzes/{world['quiz'].pk}/grading/").status_code == 404
    as_user(api, world["trainer"])
    queue = api.get(f"/api/v1/quizzes/{world['quiz'].pk}/grading/").json()["results"]
    assert len(queue) == 1 and queue[0]["answer"] == "Bài viết về Kết luận 57"
    assert queue[0]["grader_info"] == "MẬT-es-grader"
    r = api.post(
        f"/api/v1/responses/{queue[0]['response_id']}/grade/", {"mark": 0.5, "feedback": "Khá"}, format="json"
    )
    assert r.status_code == 200 and r.json()["mark"] == 0.5
    assert api.get(f"/api/v1/quizzes/{world['quiz'].pk}/grading/").json()["results"] == []
    enrolment = courses_api.enrolment_get(user_id=trainee.pk, course_id=world["course"].pk)
    assert enrolment.completed_at is not None  # 1.5 / 2 = 75 % meets the pass mark
    as_user(api, trainee)
    mine = api.get(f"/api/v1/attempts/{result['id']}/").json()
    assert mine["percentage"] == 75.0 and mine["questions"][1]["grader_feedback"] == "Khá"
    # A re-grade is audited with before and after.
    as_user(api, world["trainer"])
    api.post(f"/api/v1/responses/{queue[0]['response_id']}/grade/", {"mark": 1}, format="json")
    entries = AuditEntry.objects.filter(verb="assessments.response_graded").order_by("pk")
    assert [(e.details["fraction_before"], e.details["fraction_after"]) for e in entries] == [
        (None, 0.5),
        (0.5, 1.0),
    ]
    too_much = api.post(f"/api/v1/responses/{queue[0]['response_id']}/grade/", {"mark": 5}, format="json")
    assert too_much.status_code == 400


def test_override_needs_a_reason_is_audited_and_feeds_the_result(api, world, trainee):
    result = _take(api, trainee, world, essay="")  # empty essay: 0, graded at once -> 50 %
    assert result["percentage"] == 50.0 and result["passed"] is False
    as_user(api, world["trainer"])
    url = f"/api/v1/attempts/{result['id']}/override/"
    assert api.post(url, {"percentage": 80, "reason": ""}, format="json").status_code == 400
    r = api.post(url, {"percentage": 80, "reason": "Phúc khảo"}, format="json")
    assert r.status_code == 200 and r.json()["percentage"] == 80 and r.json()["computed_percentage"] == 50.0
    entry = AuditEntry.objects.get(verb="assessments.attempt_overridden")
    assert entry.details["reason"] == "Phúc khảo" and entry.details["after"] == 80
    enrolment = courses_api.enrolment_get(user_id=trainee.pk, course_id=world["course"].pk)
    assert enrolment.completed_at is not None
    as_user(api, trainee)
    assert api.post(url, {"percentage": 100, "reason": "x"}, format="json").status_code == 403


def test_statistics_json_and_csv(api, tree, world, trainee):
    others = [user_with_role(Role.TRAINEE, tree["mission"]) for _ in range(3)]
    enrol(world["course"], *others)
    for n, user in enumerate([trainee, *others]):
        as_user(api, user)
        start = api.post(f"/api/v1/quizzes/{world['quiz'].pk}/attempts/").json()
        answers = right_answers(start, world["by_text"]) if n % 2 == 0 else []
        answers = [a for a in answers if not isinstance(a["answer"], str)]
        api.post(f"/api/v1/attempts/{start['id']}/submit/", {"responses": answers}, format="json")
    as_user(api, world["trainer"])
    stats = api.get(f"/api/v1/quizzes/{world['quiz'].pk}/statistics/").json()
    assert stats["quiz"]["s"] == 4
    facility = {q["type"]: q["facility"] for q in stats["questions"]}
    assert facility == {"true_false": 50.0, "essay": 0.0}
    csv = api.get(f"/api/v1/quizzes/{world['quiz'].pk}/statistics/csv/?attempts=all")
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.getvalue()  # streamed: read once
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert "Câu hỏi true_false số 1?" in text or "MẬT-title-true_false-0" in text
    assert len(text.strip().splitlines()) == 3


def test_statistics_csv_never_writes_question_text_as_a_formula(api, tree, world, trainee):
    as_user(api, trainee)
    start = api.post(f"/api/v1/quizzes/{world['quiz'].pk}/attempts/").json()
    api.post(f"/api/v1/attempts/{start['id']}/submit/", {"responses": []}, format="json")
    question = world["questions"][0]
    QuestionVersion.objects.filter(pk=question.current_id).update(title=PAYLOADS[2])
    as_user(api, world["trainer"])
    response = api.get(f"/api/v1/quizzes/{world['quiz'].pk}/statistics/csv/")
    assert response.status_code == 200
    assert_csv_cell_is_text(csv_rows(response.getvalue()), PAYLOADS[2])


def test_grading_a_response_that_is_not_graded_by_hand_is_a_409_and_changes_nothing(api, world, trainee):
    result = _take(api, trainee, world)
    as_user(api, world["trainer"])
    from assessments.models import Response as QuizResponse

    automatic = QuizResponse.objects.get(attempt_id=result["id"], version__type="true_false")
    before = (automatic.fraction, automatic.feedback, automatic.manual)
    response = api.post(f"/api/v1/responses/{automatic.pk}/grade/", {"mark": 0, "feedback": "Sai"},
                        format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "not_manually_graded" and response.json()["message"]
    automatic.refresh_from_db()
    assert (automatic.fraction, automatic.feedback, automatic.manual) == before
    assert not AuditEntry.objects.filter(verb="assessments.response_graded").exists()


def test_grade_feedback_and_override_reason_have_a_length_limit(api, world, trainee, settings):
    from assessments.manual_grading import FREE_TEXT_MAX_CHARS
    from assessments.models import Response as QuizResponse

    result = _take(api, trainee, world)
    essay = QuizResponse.objects.get(attempt_id=result["id"], version__type="essay")
    as_user(api, world["trainer"])
    too_long = "x" * (FREE_TEXT_MAX_CHARS + 1)
    response = api.post(f"/api/v1/responses/{essay.pk}/grade/", {"mark": 1, "feedback": too_long},
                        format="json")
    assert response.status_code == 400 and "feedback" in response.json()["fields"]
    essay.refresh_from_db()
    assert essay.fraction is None and essay.feedback == ""
    response = api.post(f"/api/v1/attempts/{result['id']}/override/",
                        {"percentage": 90, "reason": too_long}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    ok = api.post(f"/api/v1/responses/{essay.pk}/grade/",
                  {"mark": 1, "feedback": "y" * FREE_TEXT_MAX_CHARS}, format="json")
    assert ok.status_code == 200


def test_the_grading_page_refuses_too_long_feedback_too(client, world, trainee, api):
    from assessments.manual_grading import FREE_TEXT_MAX_CHARS
    from assessments.models import Response as QuizResponse

    result = _take(api, trainee, world)
    essay = QuizResponse.objects.get(attempt_id=result["id"], version__type="essay")
    client.force_login(world["trainer"])
    client.post(f"/quiz/{world['quiz'].pk}/grading/",
                {"response": essay.pk, "mark": "1", "feedback": "x" * (FREE_TEXT_MAX_CHARS + 1)})
    essay.refresh_from_db()
    assert essay.fraction is None
