"""A new round of the course (recertification by re-take, docs/decisions/0063): earlier
attempts stay stored but count neither in the attempt limit nor in the grade of the new round."""

from assessments.models import Attempt
from backend.accounts.models import User
from courses import api as courses_api
from tests.assessments.factories import (
    bank_with_questions,
    enrol,
    make_quiz,
    quiz_course,
    right_answers,
)


def test_new_round_restarts_attempts_and_needs_a_new_pass(api, tree, trainee):
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["single_choice", "true_false"])
    by_text = {q.current.text: q for q in questions}
    enrol(course, trainee)
    quiz = make_quiz(lesson, questions, pass_mark=70, max_attempts=1)
    api.force_authenticate(User.objects.get(pk=trainee.pk))
    first = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()
    api.post(f"/api/v1/attempts/{first['id']}/submit/",
             {"responses": right_answers(first, by_text)}, format="json")
    assert courses_api.enrolment_get(user_id=trainee.pk, course_id=course.pk).completed_at
    assert api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").status_code == 409  # limit reached

    courses_api.enrolment_new_round(user_id=trainee.pk, course_id=course.pk, reason="test")
    assert courses_api.round_started_at(user_id=trainee.pk, course_id=course.pk) is not None
    detail = api.get(f"/api/v1/quizzes/{quiz.pk}/").json()
    assert detail["attempts_left"] == 1 and detail["can_start"] is True
    second = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    assert second.status_code in (200, 201), second.content
    second = second.json()
    # A failed attempt in the new round does not complete it, whatever the old round scored.
    api.post(f"/api/v1/attempts/{second['id']}/submit/", {}, format="json")
    assert courses_api.enrolment_get(user_id=trainee.pk, course_id=course.pk).completed_at is None
    assert Attempt.objects.filter(quiz=quiz, user_id=trainee.pk).count() == 2  # history kept
    assert sorted(Attempt.objects.filter(quiz=quiz, user_id=trainee.pk)
                  .values_list("number", flat=True)) == [1, 2]
