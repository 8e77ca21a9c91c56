"""`Quiz.has_overrides` under a create and a delete of overrides at the same moment (decision
0076): whichever commits first, a quiz that still has an override stays flagged. Real threads with
their own connections and transactions held open on purpose: PostgreSQL only."""

import threading
import time

import pytest
from django.db import connection, transaction

from assessments.models import Quiz, QuizOverride
from assessments.overrides import override_create, override_delete
from backend.accounts.models import Role
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course
from tests.factories import user_with_role

pytestmark = [pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)"),
              pytest.mark.django_db(transaction=True)]


def _quiz_with_one_override(tree):
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["true_false"])
    quiz = make_quiz(lesson, questions)
    first, second = (user_with_role(Role.TRAINEE, tree["mission"]) for _ in range(2))
    enrol(course, first, second)
    existing = override_create(actor=None, quiz_id=quiz.pk, user_id=first.pk, max_attempts=3).override
    assert Quiz.objects.get(pk=quiz.pk).has_overrides
    return quiz, existing, second


def _in_thread(fn, errors: list) -> threading.Thread:
    def run():
        from django.db import connection as own

        try:
            fn()
        except Exception as exc:  # reported by the test's assertion
            errors.append(exc)
        finally:
            own.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _until_someone_waits_for_a_lock(seconds: float = 5.0) -> bool:
    """True once another connection waits for a row lock (False if none did within `seconds`)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND datname = current_database()")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def _hold_open(step, done: threading.Event, release: threading.Event):
    def run():
        with transaction.atomic():
            step()
            done.set()
            release.wait(10)
    return run


def test_a_create_still_open_when_the_last_other_override_is_deleted_keeps_the_flag(tree):
    quiz, existing, person = _quiz_with_one_override(tree)
    created, release, errors = threading.Event(), threading.Event(), []
    creating = _in_thread(_hold_open(
        lambda: override_create(actor=None, quiz_id=quiz.pk, user_id=person.pk, max_attempts=4),
        created, release), errors)
    assert created.wait(10)
    deleting = _in_thread(lambda: override_delete(actor=None, override_id=existing.pk), errors)
    waited = _until_someone_waits_for_a_lock()
    release.set()
    creating.join(10), deleting.join(10)
    assert errors == []
    assert waited  # the delete waited for the create's commit before counting what is left
    assert list(QuizOverride.objects.filter(quiz=quiz).values_list("user_id", flat=True)) == [person.pk]
    assert Quiz.objects.get(pk=quiz.pk).has_overrides


def test_a_create_during_an_open_delete_of_the_last_override_sets_the_flag_again(tree):
    quiz, existing, person = _quiz_with_one_override(tree)
    deleted, release, errors = threading.Event(), threading.Event(), []
    deleting = _in_thread(_hold_open(lambda: override_delete(actor=None, override_id=existing.pk),
                                     deleted, release), errors)
    assert deleted.wait(10)
    creating = _in_thread(
        lambda: override_create(actor=None, quiz_id=quiz.pk, user_id=person.pk, max_attempts=4), errors)
    waited = _until_someone_waits_for_a_lock()
    release.set()
    creating.join(10), deleting.join(10)
    assert errors == [] and waited
    assert list(QuizOverride.objects.filter(quiz=quiz).values_list("user_id", flat=True)) == [person.pk]
    assert Quiz.objects.get(pk=quiz.pk).has_overrides
