"""The learner's hand-written reads (decision 0077): `enrolment_of` and `learner_statuses` load
what the ORM loads, and `unread_count` counts what the ORM counts."""

from django.utils import timezone

from backend.notifications.models import Notification
from backend.notifications.selectors import unread_count
from courses import learning
from courses.models import Course, Enrolment, EnrolmentStatus, LessonProgress
from courses.progress import AWAITING_GRADING, display_status
from courses.selectors import enrolment_of, learner_statuses
from tests.courses.factories import build_course, enrol, lessons_in_order
from tests.factories import UserFactory


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_enrolment_of_is_the_orm_row_with_its_course(tree):
    course = build_course(tree["central"], modules=2, lessons=2)
    person, other = UserFactory(organisation=tree["mission"]), UserFactory(organisation=tree["mission"])
    enrol(course, person)
    learning.lesson_complete(user=person, lesson_id=lessons_in_order(course)[0].pk)
    found = enrolment_of(person.pk, course.pk, with_course=True)
    assert _fields(found) == _fields(Enrolment.objects.get(user=person, course=course))
    assert _fields(found.course) == _fields(Course.objects.get(pk=course.pk))
    assert found.course.published["modules"] and found.enrolled_at.tzinfo is not None
    assert enrolment_of(other.pk, course.pk) is None
    assert "course" not in enrolment_of(person.pk, course.pk)._state.fields_cache


def test_a_withdrawn_enrolment_is_found_only_when_asked_for(tree):
    course = build_course(tree["central"])
    person = UserFactory(organisation=tree["mission"])
    enrol(course, person)
    Enrolment.objects.filter(user=person).update(status=EnrolmentStatus.WITHDRAWN,
                                                 withdrawn_at=timezone.now())
    assert enrolment_of(person.pk, course.pk) is None
    assert enrolment_of(person.pk, course.pk, live_only=False).status == EnrolmentStatus.WITHDRAWN


def test_learner_statuses_are_the_displayed_statuses_of_every_progress_row(tree):
    course = build_course(tree["central"], modules=1, lessons=3)
    person = UserFactory(organisation=tree["mission"])
    enrol(course, person)
    first, second, _third = lessons_in_order(course)
    learning.lesson_complete(user=person, lesson_id=first.pk)
    enrolment = Enrolment.objects.get(user=person)
    LessonProgress.objects.create(enrolment=enrolment, lesson=second, status="in_progress", attempts=1)
    expected = {p.lesson_id: display_status(p.status, kind=p.lesson.kind, attempts=p.attempts, score=p.score)
                for p in LessonProgress.objects.filter(enrolment=enrolment).select_related("lesson")}
    assert learner_statuses(enrolment.pk) == expected == {first.pk: "completed", second.pk: "in_progress"}
    assert learner_statuses(enrolment.pk + 1000) == {}
    assert display_status("in_progress", kind="quiz", attempts=1, score=None) == AWAITING_GRADING


def test_unread_count_counts_the_recipients_unread_notifications(tree):
    person, other = UserFactory(organisation=tree["mission"]), UserFactory(organisation=tree["mission"])
    rows = [(person, None), (person, None), (person, timezone.now()), (other, None)]
    for n, (who, read) in enumerate(rows):
        Notification.objects.create(recipient=who, kind="test", dedup_key=f"k{n}", title="t",
                                    created_at=timezone.now(), read_at=read)
    assert unread_count(person) == 2 == Notification.objects.filter(recipient=person, read_at=None).count()
    assert unread_count(other) == 1
