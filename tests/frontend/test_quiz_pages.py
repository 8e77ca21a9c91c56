"""Quiz pages with Django's test client: start page, start, player shell, review as the policy
allows, the trainers' grading queue. (The player itself: tests/e2e/test_quiz_player.py.)"""

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
