"""Quiz pages with Django's test client: start page, start, player shell, review as the policy
allows, the trainers' grading queue. (The player itself: tests/e2e/test_quiz_player.py.)"""

import re

import pytest
from django.utils import translation

from assessments import attempts
from backend.accounts.models import Role, User
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course, right_answers
from tests.factories import user_with_role


@pytest.fixture
def world(tree, trainee, client):
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["single_choice", "matching", "essay"])
    quiz = make_quiz(lesson, questions, max_attempts=2, pass_mark=50, review_correct="immediately")
    enrol(course, trainee)
    trainee.language = "en"  # the saved language of a signed-in person decides
    trainee.save()
    client.force_login(trainee)
    return {"quiz": quiz, "questions": questions, "by_text": {q.current.text: q for q in questions}}


def test_start_page_start_player_and_review(client, world, trainee):
    quiz = world["quiz"]
    page = client.get(f"/quiz/{quiz.pk}/")
    assert page.status_code == 200 and b'id="start-quiz"' in page.content
    response = client.post(f"/quiz/{quiz.pk}/start/")
    assert response.status_code == 302
    player = client.get(response["Location"])
    assert player.status_code == 200 and b'id="quiz-player"' in player.content
    assert "MẬT" not in player.content.decode()
    attempt_id = int(response["Location"].rstrip("/").split("/")[-1])
    user = User.objects.get(pk=trainee.pk)
    start = attempts.attempt_start(user=user, quiz_id=quiz.pk)
    from django.utils import timezone

    from assessments.payloads import attempt_payload

    body = attempt_payload(start.attempt, start.responses, as_staff=False, now=timezone.now())
    attempts.attempt_submit(user=user, attempt_id=attempt_id, answers=right_answers(body, world["by_text"]))
    review = client.get(f"/quiz/attempt/{attempt_id}/review/")
    text = review.content.decode()
    assert review.status_code == 200 and 'data-result="pending"' in text  # the essay awaits a grader
    assert "MẬT-es-grader" not in text and "Kết luận số 57-KL/TW" in text
    # The player of a finished attempt sends to the review.
    assert client.get(f"/quiz/attempt/{attempt_id}/").status_code == 302


def test_grading_page_for_trainers_only(client, tree, world, trainee):
    quiz = world["quiz"]
    user = User.objects.get(pk=trainee.pk)
    start = attempts.attempt_start(user=user, quiz_id=quiz.pk)
    essay = next(r for r in start.responses if r.version.type == "essay")
    attempts.attempt_submit(
        user=user, attempt_id=start.attempt.pk, answers=[{"position": essay.position, "answer": "Bài viết"}]
    )
    assert client.get(f"/quiz/{quiz.pk}/grading/").status_code == 404
    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    client.force_login(trainer)
    page = client.get(f"/quiz/{quiz.pk}/grading/")
    assert page.status_code == 200 and "Bài viết" in page.content.decode()
    done = client.post(f"/quiz/{quiz.pk}/grading/", {"response": essay.pk, "mark": "0,5", "feedback": "Tốt"})
    assert done.status_code == 302
    essay.refresh_from_db()
    assert essay.fraction == 0.5 and essay.feedback == "Tốt"
    with translation.override("en"):
        assert client.get(f"/quiz/{quiz.pk}/grading/").content.decode().count('class="grading-item"') == 0
    # Trainers see any attempt's review with everything.
    review = client.get(f"/quiz/attempt/{start.attempt.pk}/review/").content.decode()
    assert "MẬT-sc-chung" in review


def test_other_users_attempt_pages_are_404(client, tree, world, trainee):
    user = User.objects.get(pk=trainee.pk)
    start = attempts.attempt_start(user=user, quiz_id=world["quiz"].pk)
    other = user_with_role(Role.TRAINEE, tree["mission"])
    client.force_login(other)
    assert client.get(f"/quiz/attempt/{start.attempt.pk}/").status_code == 404
    assert client.get(f"/quiz/attempt/{start.attempt.pk}/review/").status_code == 404
    assert client.get(f"/quiz/{world['quiz'].pk}/").status_code == 404


def _finished_review(client, tree, trainee, **policy):
    """A finished attempt: single choice partly right, multiple choice right, true/false left
    blank, essay waiting for a grader; returns the review page's HTML (Vietnamese)."""
    from django.utils import timezone

    from assessments.payloads import attempt_payload
    from assessments.questions import get_type

    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(
        tree["ministry"], ["single_choice", "multiple_choice", "true_false", "essay"]
    )
    quiz = make_quiz(lesson, questions, **policy)
    enrol(course, trainee)
    client.force_login(trainee)
    user = User.objects.get(pk=trainee.pk)
    start = attempts.attempt_start(user=user, quiz_id=quiz.pk)
    body = attempt_payload(start.attempt, start.responses, as_staff=False, now=timezone.now())
    by_text = {q.current.text: q for q in questions}
    answers = []
    for item in body["questions"]:
        version = by_text[item["text"]].current
        if version.type == "single_choice":
            partly = next(c for c in item["choices"] if c["text"] == "Nghị quyết số 1")
            answers.append({"position": item["position"], "answer": partly["id"]})
        elif version.type == "multiple_choice":
            right = get_type("multiple_choice").correct_response(version.data)
            answers.append({"position": item["position"], "answer": right})
        elif version.type == "essay":
            answers.append({"position": item["position"], "answer": "Bài viết"})
    attempts.attempt_submit(user=user, attempt_id=start.attempt.pk, answers=answers)
    user.language = "en"  # a signed-in person's saved language decides (decision 0050)
    user.save(update_fields=["language"])
    page = client.get(f"/quiz/attempt/{start.attempt.pk}/review/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    return page.content.decode()


def _outcomes(text: str) -> dict[str, str]:
    item = r'<li class="quiz-question" id="question-\d+" data-type="(\w+)" data-outcome="(\w+)"'
    return dict(re.findall(item, text))


def test_review_marks_each_question_like_an_examiner(client, tree, trainee):
    text = _finished_review(client, tree, trainee, review_correct="immediately")
    assert _outcomes(text) == {
        "single_choice": "partial", "multiple_choice": "correct", "true_false": "unanswered",
        "essay": "pending",
    }
    # Words next to the colour and the icon, the marks with a decimal comma, hints on choices.
    for words in ("Partially correct", "Correct", "Not answered", "Awaiting grading",
                  "0.33 / 1 mark(s)", "1 / 1 mark(s)", "— / 1 mark(s)", "Choose one",
                  "Choose one or more", "Correct answer"):
        assert words in text, words
    # The navigation panel links every question and names its outcome for screen readers.
    assert text.count('class="quiz-nav-item"') == 4
    assert re.search(r'href="#question-\d" data-outcome="correct">.*?: Correct</span>', text)


def test_marks_have_a_decimal_comma_in_vietnamese():
    from frontend.templatetags.quiz_tags import marks_text

    with translation.override("vi"):
        assert marks_text(0.5, 1.0).startswith("0,5 / 1 ")
        assert marks_text(1 / 3, 2).startswith("0,33 / 2 ")
        assert marks_text(None, 1).startswith("— / 1 ")


def test_review_without_the_score_never_tells_right_from_wrong(client, tree, trainee):
    text = _finished_review(client, tree, trainee, review_score="never", review_correct="never",
                            review_feedback="never")
    assert set(_outcomes(text).values()) == {"answered", "unanswered"}
    assert "MẬT" not in text and "Correct answer" not in text
    # The questions' area (the course index around it may say the lesson awaits grading: that
    # tells nothing about right or wrong).
    questions = text[text.index('class="quiz-question"'):]
    for words in ("Partially correct", "Awaiting grading", "0.33", "Incorrect", "Correct<"):
        assert words not in questions, words
