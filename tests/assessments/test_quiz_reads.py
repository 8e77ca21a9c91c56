"""The quiz and the person's attempts, read by hand-written statements (decision 0077), are what
the ORM loads: every field converted as the ORM converts it, attempts in number order."""

import pytest

from assessments import attempts as attempt_services
from assessments import selectors
from assessments.models import Attempt, Quiz
from backend.errors import DomainError
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course
from tests.factories import UserFactory


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_quiz_get_and_person_attempts_load_what_the_orm_loads(tree, trainee):
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["single_choice", "true_false"])
    quiz = make_quiz(lesson, questions, max_attempts=3, time_limit_seconds=600)
    other = UserFactory(organisation=tree["ministry"])
    enrol(course, trainee, other)
    for _ in range(2):
        started = attempt_services.attempt_start(user=trainee, quiz_id=quiz.pk).attempt
        attempt_services.attempt_submit(user=trainee, attempt_id=started.pk, answers=[])
    attempt_services.attempt_start(user=other, quiz_id=quiz.pk)

    loaded = selectors.quiz_get(quiz.pk)
    assert _fields(loaded) == _fields(Quiz.objects.get(pk=quiz.pk))
    mine = selectors.person_attempts(loaded, trainee.pk)
    expected = Attempt.objects.filter(quiz=quiz, user_id=trainee.pk).order_by("number")
    assert [_fields(a) for a in mine] == [_fields(a) for a in expected]
    assert [a.number for a in mine] == [1, 2] and all(a.quiz is loaded for a in mine)
    assert mine[0].deadline.tzinfo is not None and mine[0].percentage is not None
    assert selectors.person_attempts(loaded, UserFactory(organisation=tree["ministry"]).pk) == []


def test_a_missing_quiz_is_not_found(db):
    with pytest.raises(DomainError) as raised:
        selectors.quiz_get(987654321)
    assert raised.value.status == 404
