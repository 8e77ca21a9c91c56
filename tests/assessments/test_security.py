"""No payload a trainee can get before the review policy allows contains a correct answer,
per-answer feedback, general feedback, a fraction or any other grading key.

The test walks every trainee-facing response of a quiz flow (outline, quiz detail, start,
resume, autosave, get attempt, submit, get after submit) and searches the serialized JSON
for the markers planted in every question's secrets."""

import json

import pytest

from backend.accounts.models import User
from tests.assessments.factories import (
    SECRET_MARKERS,
    bank_with_questions,
    enrol,
    make_quiz,
    quiz_course,
    right_answers,
)


def _text(response) -> str:
    # ensure_ascii=False so Vietnamese markers are compared as written.
    return json.dumps(response.json(), ensure_ascii=False)


def _assert_clean(label: str, response) -> None:
    text = _text(response)
    leaked = [m for m in SECRET_MARKERS if m in text]
    assert not leaked, f"{label} leaks {leaked}: {text[:500]}"


@pytest.mark.parametrize("policy", ["never", "after_close"])
def test_every_trainee_response_hides_secrets_until_the_policy_allows(api, tree, trainee, policy):
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"])
    quiz = make_quiz(
        lesson,
        questions,
        shuffle_questions=True,
        review_score=policy,
        review_responses=policy,
        review_correct=policy,
        review_feedback=policy,
    )
    enrol(course, trainee)
    api.force_authenticate(User.objects.get(pk=trainee.pk))
    seen = []

    def check(label, response, status=(200, 201)):
        assert response.status_code in status, (label, response.status_code, response.content[:300])
        _assert_clean(label, response)
        seen.append(label)

    check("outline", api.get(f"/api/v1/courses/{course.pk}/outline/"))
    check("lesson", api.get(f"/api/v1/lessons/{lesson.pk}/"))
    check("quiz detail", api.get(f"/api/v1/quizzes/{quiz.pk}/"))
    start = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    check("start", start)
    attempt_id = start.json()["id"]
    check("resume", api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/"))
    by_text = {q.current.text: q for q in questions}
    answers = right_answers(start.json(), by_text)
    # What the trainee types is theirs to see; a typed right answer (short answer, number) is
    # also a secret marker, so those are left out of what is sent.
    sent = [
        a
        for a in answers
        if not any(m in json.dumps(a["answer"], ensure_ascii=False) for m in SECRET_MARKERS)
    ]
    assert len(sent) == 6
    check("autosave", api.patch(f"/api/v1/attempts/{attempt_id}/", {"responses": sent}, format="json"))
    check("get attempt", api.get(f"/api/v1/attempts/{attempt_id}/"))
    check("quiz detail during", api.get(f"/api/v1/quizzes/{quiz.pk}/"))
    check("submit", api.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json"))
    check("submit again", api.post(f"/api/v1/attempts/{attempt_id}/submit/", {}, format="json"))
    check("get after submit", api.get(f"/api/v1/attempts/{attempt_id}/"))
    check("quiz detail after", api.get(f"/api/v1/quizzes/{quiz.pk}/"))
    check("outline after", api.get(f"/api/v1/courses/{course.pk}/outline/"))
    check("progress", api.get(f"/api/v1/courses/{course.pk}/progress/"))
    # Authoring endpoints refuse trainees without revealing anything.
    check("bank list", api.get("/api/v1/question-banks/"))
    for url in (
        f"/api/v1/questions/{questions[0].pk}/",
        f"/api/v1/quizzes/{quiz.pk}/grading/",
        f"/api/v1/quizzes/{quiz.pk}/statistics/",
    ):
        check(url, api.get(url), status=(404,))
    assert len(seen) == 18


def test_policy_immediately_shows_everything_after_submit_only(api, tree, trainee):
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["single_choice", "essay"])
    quiz = make_quiz(lesson, questions, review_correct="immediately")
    enrol(course, trainee)
    api.force_authenticate(User.objects.get(pk=trainee.pk))
    start = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    _assert_clean("start", start)
    done = api.post(f"/api/v1/attempts/{start.json()['id']}/submit/", {}, format="json").json()
    text = json.dumps(done, ensure_ascii=False)
    assert "correct_answer" in text and "MẬT-sc-chung" in text
    assert "MẬT-es-grader" not in text and "MẬT-title" not in text  # never for trainees
