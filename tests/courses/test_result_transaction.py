"""courses.api.lesson_record_result runs in its caller's transaction without a savepoint
(decision 0069): a refusal the caller catches must leave that transaction usable, and a result
that is recorded is recorded once."""

import pytest
from django.db import transaction

from backend.accounts.models import User
from backend.errors import DomainError
from courses import api, services
from courses.models import LessonProgress, ProgressStatus
from tests.courses.factories import build_course, enrol, lessons_in_order
from tests.factories import UserFactory


def _record(user, lesson):
    api.lesson_record_result(user_id=user.pk, lesson_id=lesson.pk, score=1.0, completed=True)


@pytest.mark.parametrize("case", ["not_enrolled", "course_archived", "not_found"])
def test_a_caught_refusal_leaves_the_callers_transaction_usable(tree, case):
    course = build_course(tree["central"], modules=1, lessons=2)
    lesson = lessons_in_order(course)[0]
    person = UserFactory(organisation=tree["mission"])
    if case != "not_enrolled":
        enrol(course, person)
    if case == "course_archived":
        services.course_archive(actor=None, course_id=course.pk)
    if case == "not_found":
        lesson.pk = 10**9
    with transaction.atomic():  # the caller's transaction (a quiz submit)
        with pytest.raises(DomainError) as caught:
            _record(person, lesson)
        assert caught.value.code == case
        # Marked for rollback, this would raise TransactionManagementError.
        User.objects.filter(pk=person.pk).update(full_name="Đã chấm điểm")
    assert User.objects.get(pk=person.pk).full_name == "Đã chấm điểm"


def test_a_result_inside_the_callers_transaction_is_recorded_once(tree):
    course = build_course(tree["central"], modules=1, lessons=2)
    lesson = lessons_in_order(course)[0]
    person = UserFactory(organisation=tree["mission"])
    enrol(course, person)
    with transaction.atomic():
        _record(person, lesson)
        _record(person, lesson)
    rows = LessonProgress.objects.filter(enrolment__user=person, lesson=lesson)
    assert rows.count() == 1 and rows.get().status == ProgressStatus.COMPLETED
