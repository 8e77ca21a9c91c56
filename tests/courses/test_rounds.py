"""A new round of an enrolment (recertification by re-take): the finished round is kept with its
lesson results, the new one starts empty and completes (and announces it) like a first round."""

from courses import api as courses_api
from courses import learning
from courses.models import Enrolment, EnrolmentRound, LessonProgress
from tests.courses.factories import build_course, enrol, lessons_in_order


def _complete_all(course, user):
    for lesson in lessons_in_order(course):
        learning.lesson_complete(user=user, lesson_id=lesson.pk)


def test_new_round_keeps_history_and_completes_again(tree, trainee):
    course = build_course(tree["ministry"], modules=1, lessons=2)
    enrol(course, trainee)
    assert courses_api.enrolment_new_round(user_id=trainee.pk, course_id=course.pk).completed_at is None
    assert not EnrolmentRound.objects.exists()  # a round in progress is left alone
    _complete_all(course, trainee)
    first = Enrolment.objects.get(user=trainee, course=course)
    assert courses_api.round_started_at(user_id=trainee.pk, course_id=course.pk) is None

    data = courses_api.enrolment_new_round(user_id=trainee.pk, course_id=course.pk, reason="recertification")
    assert data.id == first.pk and data.completed_at is None and data.percent == 0
    assert data.status == "active"
    history = EnrolmentRound.objects.get(enrolment=first)
    assert (history.number, history.percent, history.reason) == (1, 100, "recertification")
    assert history.completed_at == first.completed_at
    assert {p["lesson"] for p in history.progress} == {lesson.pk for lesson in lessons_in_order(course)}
    assert not LessonProgress.objects.filter(enrolment=first).exists()
    assert courses_api.round_started_at(user_id=trainee.pk, course_id=course.pk) == history.closed_at

    announced = []
    courses_api.enrolment_completed.connect(lambda sender, enrolment, **kw: announced.append(enrolment),
                                            weak=False, dispatch_uid="test-rounds")
    try:
        _complete_all(course, trainee)
    finally:
        courses_api.enrolment_completed.disconnect(dispatch_uid="test-rounds")
    assert [e.id for e in announced] == [first.pk]
    assert Enrolment.objects.get(pk=first.pk).completed_at is not None

    courses_api.enrolment_new_round(user_id=trainee.pk, course_id=course.pk, reason="recertification")
    latest = EnrolmentRound.objects.filter(enrolment=first).order_by("-number").first()
    assert latest.number == 2 and latest.closed_at > history.closed_at
    assert courses_api.round_started_at(user_id=trainee.pk, course_id=course.pk) == latest.closed_at


def test_no_round_without_an_enrolment(tree, trainee):
    course = build_course(tree["ministry"], modules=1, lessons=1)
    assert courses_api.enrolment_new_round(user_id=trainee.pk, course_id=course.pk) is None
