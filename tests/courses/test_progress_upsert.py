"""The progress row is written by one INSERT ... ON CONFLICT DO UPDATE (courses.learning): what
the locking read + save did before, field by field, including what the statement returns (the
status before it, the completed count) that decides the enrolment's recomputation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses import api, learning, services
from courses.learning import MAX_TRACKED_SECONDS
from courses.models import Enrolment, LessonProgress, ProgressStatus
from tests.courses.factories import build_course, enrol, lessons_in_order
from tests.factories import UserFactory


@pytest.fixture
def course_and_person(tree):
    course = build_course(tree["central"], modules=1, lessons=3)
    person = UserFactory(organisation=tree["mission"])
    enrol(course, person)
    return course, person


def test_tracking_inserts_then_adds_time_and_keeps_the_first_start(course_and_person):
    course, person = course_and_person
    lesson = lessons_in_order(course)[0]
    progress, _enrolment = learning.lesson_track(user=person, lesson_id=lesson.pk, time_spent_seconds=40,
                                                 position="x" * 300)
    assert (progress.status, progress.time_spent_seconds, len(progress.position)) == ("in_progress", 40, 255)
    first_start = progress.started_at
    assert first_start is not None and progress.completed_at is None and progress.pk
    progress, _enrolment = learning.lesson_track(user=person, lesson_id=lesson.pk,
                                                 time_spent_seconds=10**6)
    stored = LessonProgress.objects.get(pk=progress.pk)
    assert stored.time_spent_seconds == 40 + MAX_TRACKED_SECONDS  # a stuck tab adds an hour at most
    assert stored.position == "x" * 255  # no position sent: the resume point stays
    assert stored.started_at == first_start and stored.status == "in_progress"
    learning.lesson_track(user=person, lesson_id=lesson.pk, time_spent_seconds=-5, position="p2")
    stored.refresh_from_db()
    assert (stored.time_spent_seconds, stored.position) == (40 + MAX_TRACKED_SECONDS, "p2")


def test_completion_is_kept_with_its_first_date_and_counted_once(course_and_person):
    course, person = course_and_person
    a, b, _c = lessons_in_order(course)
    learning.lesson_track(user=person, lesson_id=a.pk, time_spent_seconds=5)
    progress, enrolment = learning.lesson_complete(user=person, lesson_id=a.pk)
    assert progress.status == "completed" and progress.time_spent_seconds == 5
    assert progress.started_at < progress.completed_at and enrolment.percent == 33
    first = progress.completed_at
    progress, enrolment = learning.lesson_complete(user=person, lesson_id=a.pk)  # again
    assert progress.completed_at == first and enrolment.percent == 33
    learning.lesson_track(user=person, lesson_id=a.pk, time_spent_seconds=7)  # tracking a done lesson
    stored = LessonProgress.objects.get(pk=progress.pk)
    assert (stored.status, stored.completed_at, stored.time_spent_seconds) == ("completed", first, 12)
    _progress, enrolment = learning.lesson_complete(user=person, lesson_id=b.pk)
    assert enrolment.percent == 66 and Enrolment.objects.get(pk=enrolment.pk).percent == 66


def test_results_set_only_what_is_given_and_clamp_the_score(course_and_person):
    course, person = course_and_person
    a = lessons_in_order(course)[0]
    api.lesson_record_result(user_id=person.pk, lesson_id=a.pk, score=1.7, completed=False,
                             attempts=1, passed=True)
    row = LessonProgress.objects.get(lesson=a)
    assert (row.score, row.attempts, row.passed, row.status) == (1.0, 1, True, "in_progress")
    api.lesson_record_result(user_id=person.pk, lesson_id=a.pk, score=None, completed=False)
    row.refresh_from_db()
    assert (row.score, row.attempts, row.passed) == (1.0, 1, True)  # nothing given, nothing changed
    api.lesson_record_result(user_id=person.pk, lesson_id=a.pk, score=-2, completed=True, attempts=2)
    row.refresh_from_db()
    assert (row.score, row.attempts, row.status) == (0.0, 2, "completed")
    assert Enrolment.objects.get(user=person).percent == 33


def test_an_optional_lesson_is_not_counted_and_the_rest_completes_the_course(tree):
    course = build_course(tree["central"], modules=1, lessons=2, publish=False)
    a, b = lessons_in_order(course)
    services.lesson_update(actor=None, lesson_id=b.pk, required=False)
    services.course_publish(actor=None, course_id=course.pk)
    person = UserFactory(organisation=tree["mission"])
    enrol(course, person)
    _progress, enrolment = learning.lesson_complete(user=person, lesson_id=b.pk)
    assert enrolment.percent == 0 and enrolment.completed_at is None
    _progress, enrolment = learning.lesson_complete(user=person, lesson_id=a.pk)
    stored = Enrolment.objects.get(pk=enrolment.pk)
    assert (stored.percent, stored.status) == (100, "completed")
    assert abs(stored.completed_at - timezone.now()) < timedelta(minutes=1)
    assert set(LessonProgress.objects.filter(enrolment=stored).values_list("status", flat=True)) == {
        ProgressStatus.COMPLETED}


def test_the_statement_returns_the_status_before_it_and_the_other_completed_lessons(course_and_person):
    course, person = course_and_person
    a, b, c = lessons_in_order(course)
    learning.lesson_complete(user=person, lesson_id=a.pk)
    lesson, enrolment = learning.learner_lesson(person.pk, b.pk, lock=True)
    counted = [a.pk, b.pk, c.pk]
    row, was_completed, done = learning._upsert_progress(
        lesson=lesson, enrolment=enrolment, score=None, completed=True, attempts=None, passed=None,
        time_spent=0, position=None, counted=counted)
    assert (row.status, was_completed, done) == ("completed", False, 2)  # a before, b now
    row, was_completed, done = learning._upsert_progress(
        lesson=lesson, enrolment=enrolment, score=None, completed=True, attempts=None, passed=None,
        time_spent=0, position=None, counted=counted)
    assert (row.status, was_completed, done) == ("completed", True, 2)
