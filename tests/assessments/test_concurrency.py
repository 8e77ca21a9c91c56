"""Concurrent starts respect the attempt limit; concurrent submits give one graded result.
Real threads with their own connections: PostgreSQL only (SQLite serialises whole writes)."""

import threading

import pytest
from django.db import connection

from assessments import attempts
from assessments.models import Attempt, AttemptStatus
from backend.accounts.models import Role, User
from backend.errors import DomainError
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course
from tests.factories import user_with_role

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)")


def _race(n, fn):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(fn())
        except DomainError as exc:
            errors.append(exc.code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_and_submits(tree):
    trainee = user_with_role(Role.TRAINEE, tree["mission"])
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["true_false", "single_choice"])
    quiz = make_quiz(lesson, questions, max_attempts=1)
    enrol(course, trainee)

    def start():
        user = User.objects.get(pk=trainee.pk)
        return attempts.attempt_start(user=user, quiz_id=quiz.pk).attempt.pk

    results, errors = _race(8, start)
    assert errors == [] and len(set(results)) == 1  # all resumed the one attempt
    assert Attempt.objects.filter(quiz=quiz).count() == 1
    attempt_id = results[0]

    def submit():
        user = User.objects.get(pk=trainee.pk)
        return attempts.attempt_submit(user=user, attempt_id=attempt_id).finished_at

    results, errors = _race(8, submit)
    assert errors == [] and len(set(results)) == 1  # one grading, seen by all
    assert Attempt.objects.get(pk=attempt_id).status == AttemptStatus.FINISHED
    # The limit holds for starts racing after the only attempt is used.
    results, errors = _race(6, start)
    assert results == [] and errors == ["no_attempts_left"] * 6
    assert Attempt.objects.filter(quiz=quiz).count() == 1
