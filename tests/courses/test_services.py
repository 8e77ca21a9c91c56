"""Authoring, publishing, enrolment and progress services against a real database."""

import pytest
from django.core.exceptions import ValidationError

from backend.accounts.models import Role
from backend.audit.models import AuditEntry
from backend.errors import Conflict, DomainError
from courses import api, enrolments, learning, services
from courses.models import Course, Enrolment, EnrolmentStatus, Lesson, LessonProgress
from tests.courses.factories import build_course, enrol, lessons_in_order
from tests.factories import CohortFactory, UserFactory, user_with_role


@pytest.fixture
def completions():
    seen = []

    def receiver(sender, enrolment, **kwargs):
        seen.append(enrolment)

    api.enrolment_completed.connect(receiver)
    yield seen
    api.enrolment_completed.disconnect(receiver)


def test_draft_edits_stay_invisible_until_the_next_publish(tree):
    course = build_course(tree["central"], modules=1, lessons=1)
    lesson = lessons_in_order(course)[0]
    services.course_update(actor=None, course_id=course.pk, version=course.version, title="Tên mới")
    services.lesson_update(actor=None, lesson_id=lesson.pk, body="<p>Bản nháp</p>")
    course.refresh_from_db()
    lesson.refresh_from_db()
    assert course.published["title"] == "Công tác thông tin đối ngoại"
    assert lesson.published["body"] == "<p>Nội dung bài 1.1</p>"
    assert course.has_unpublished_changes
    services.course_publish(actor=None, course_id=course.pk)
    course.refresh_from_db()
    lesson.refresh_from_db()
    assert course.published["title"] == "Tên mới"
    assert lesson.published["body"] == "<p>Bản nháp</p>"
    assert course.release == 2 and not course.has_unpublished_changes


def test_unsafe_html_is_never_stored(tree):
    course = build_course(tree["central"], modules=1, lessons=1, publish=False)
    lesson = lessons_in_order(course)[0]
    services.lesson_update(actor=None, lesson_id=lesson.pk,
                           body='<p onmouseover="x()">A<script>x()</script></p>')
    lesson.refresh_from_db()
    assert lesson.body == "<p>A</p>"


def test_stale_version_is_refused(tree):
    course = build_course(tree["central"], publish=False)
    services.course_update(actor=None, course_id=course.pk, version=course.version, summary="một")
    with pytest.raises(Conflict) as caught:
        services.course_update(actor=None, course_id=course.pk, version=course.version, summary="hai")
    assert caught.value.code == "version_conflict"
    assert Course.objects.get(pk=course.pk).summary == "một"


def test_prerequisite_cycles_and_foreign_lessons_are_refused(tree):
    course = build_course(tree["central"], modules=1, lessons=3, publish=False, chain=True)
    first, _second, third = lessons_in_order(course)
    with pytest.raises(ValidationError):
        services.lesson_update(actor=None, lesson_id=first.pk, prerequisites=[third.pk])
    other = build_course(tree["central"], modules=1, lessons=1, publish=False)
    with pytest.raises(ValidationError):
        services.lesson_update(actor=None, lesson_id=first.pk,
                               prerequisites=[lessons_in_order(other)[0].pk])


def test_publishing_an_empty_course_is_refused(tree):
    course = services.course_create(actor=None, organisation_id=tree["central"].pk, title="Trống")
    with pytest.raises(Conflict) as caught:
        services.course_publish(actor=None, course_id=course.pk)
    assert caught.value.code == "course_empty"


def test_progress_survives_republish_and_deleted_lessons_drop_out(tree, trainee, completions):
    course = build_course(tree["central"], modules=1, lessons=3)
    a, b, c = lessons_in_order(course)
    enrol(course, trainee)
    learning.lesson_complete(user=trainee, lesson_id=a.pk)
    learning.lesson_complete(user=trainee, lesson_id=b.pk)
    assert Enrolment.objects.get(user=trainee).percent == 66
    services.lesson_delete(actor=None, lesson_id=c.pk)
    assert Enrolment.objects.get(user=trainee).percent == 66  # not before the publish
    services.course_publish(actor=None, course_id=course.pk)
    enrolment = Enrolment.objects.get(user=trainee)
    assert enrolment.percent == 100 and enrolment.completed_at is not None
    assert len(completions) == 1 and completions[0].user_id == trainee.pk
    assert Lesson.objects.get(pk=c.pk).published is None
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 2


def test_adding_a_lesson_lowers_percent_of_active_enrolments_only(tree):
    course = build_course(tree["central"], modules=1, lessons=2)
    a, _b = lessons_in_order(course)
    learner = user_with_role(Role.TRAINEE, tree["mission"])
    enrol(course, learner)
    learning.lesson_complete(user=learner, lesson_id=a.pk)
    services.lesson_create(actor=None, module_id=a.module_id, kind="text", title="Bài thêm")
    services.course_publish(actor=None, course_id=course.pk)
    assert Enrolment.objects.get(user=learner).percent == 33


def test_completion_hook_fires_once(tree, trainee, completions):
    course = build_course(tree["central"], modules=1, lessons=2)
    a, b = lessons_in_order(course)
    enrol(course, trainee)
    learning.lesson_complete(user=trainee, lesson_id=a.pk)
    assert completions == []
    learning.lesson_complete(user=trainee, lesson_id=b.pk)
    learning.lesson_complete(user=trainee, lesson_id=b.pk)
    api.lesson_record_result(user_id=trainee.pk, lesson_id=b.pk, score=0.2, completed=False)
    services.course_publish(actor=None, course_id=course.pk)
    assert len(completions) == 1
    data = completions[0]
    assert (data.percent, data.status) == (100, "completed") and data.completed_at is not None


def test_lesson_record_result_keeps_completion_and_stores_score(tree, trainee):
    course = build_course(tree["central"], modules=1, lessons=1, publish=False)
    module_id = lessons_in_order(course)[0].module_id
    quiz = services.lesson_create(actor=None, module_id=module_id, kind="quiz", title="Kiểm tra")
    services.course_publish(actor=None, course_id=course.pk)
    enrol(course, trainee)
    api.lesson_record_result(user_id=trainee.pk, lesson_id=quiz.pk, score=0.9, completed=True,
                             attempts=1, passed=True)
    api.lesson_record_result(user_id=trainee.pk, lesson_id=quiz.pk, score=0.3, completed=False,
                             attempts=2, passed=False)
    progress = LessonProgress.objects.get(lesson=quiz)
    assert progress.status == "completed"
    assert (progress.score, progress.attempts, progress.passed) == (0.3, 2, False)
    assert Enrolment.objects.get(user=trainee).percent == 50


def test_quiz_lessons_cannot_be_completed_by_hand(tree, trainee):
    course = build_course(tree["central"], modules=1, lessons=1, publish=False)
    quiz = services.lesson_create(actor=None, module_id=lessons_in_order(course)[0].module_id,
                                  kind="quiz", title="Kiểm tra")
    services.course_publish(actor=None, course_id=course.pk)
    enrol(course, trainee)
    with pytest.raises(Conflict) as caught:
        learning.lesson_complete(user=trainee, lesson_id=quiz.pk)
    assert caught.value.code == "completed_by_activity"


def test_locked_and_foreign_lessons(tree, trainee):
    course = build_course(tree["central"], modules=1, lessons=2, chain=True)
    a, b = lessons_in_order(course)
    with pytest.raises(DomainError) as caught:
        api.lesson_get_for_learner(user=trainee, lesson_id=a.pk)
    assert (caught.value.status, caught.value.code) == (404, "not_found")
    enrol(course, trainee)
    with pytest.raises(DomainError) as caught:
        api.lesson_get_for_learner(user=trainee, lesson_id=b.pk)
    assert (caught.value.status, caught.value.code) == (409, "lesson_locked")
    learning.lesson_complete(user=trainee, lesson_id=a.pk)
    assert api.lesson_get_for_learner(user=trainee, lesson_id=b.pk).id == b.pk


def test_staff_enrolment_is_idempotent_and_scoped(tree, admin_user, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    course = build_course(tree["central"])
    inside = [UserFactory(organisation=tree["mission"]) for _ in range(3)]
    outside = UserFactory(organisation=tree["province"])
    trainer = user_with_role(Role.TRAINER, tree["central"])
    with django_capture_on_commit_callbacks(execute=True):
        first = enrolments.enrolments_add(actor=trainer, course_id=course.pk,
                                          organisation_id=tree["ministry"].pk)
    assert first.created == 4  # three users + the ministry administrator
    assert len(mailoutbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        again = enrolments.enrolments_add(actor=trainer, course_id=course.pk,
                                          organisation_id=tree["ministry"].pk)
    assert (again.created, again.unchanged) == (0, 4)
    assert len(mailoutbox) == 4
    # An administrator of the ministry cannot reach users of the province.
    course_m = build_course(tree["ministry"])
    result = enrolments.enrolments_add(actor=admin_user, course_id=course_m.pk,
                                       emails=[inside[0].email, outside.email, "nobody@x.vn"])
    assert result.created == 1
    assert sorted(result.not_found) == sorted([outside.email, "nobody@x.vn"])


def test_cohort_enrolment_and_unenrolment_keep_history(tree, django_capture_on_commit_callbacks):
    course = build_course(tree["central"], modules=1, lessons=2)
    cohort = CohortFactory(organisation=tree["ministry"])
    members = [UserFactory(organisation=tree["mission"]) for _ in range(2)]
    cohort.members.add(*members)
    trainer = user_with_role(Role.TRAINER, tree["central"])
    result = enrolments.enrolments_add(actor=trainer, course_id=course.pk, cohort_id=cohort.pk)
    assert result.created == 2
    first = lessons_in_order(course)[0]
    learning.lesson_complete(user=members[0], lesson_id=first.pk)
    withdrawn = enrolments.enrolment_withdraw(actor=trainer, course_id=course.pk, user_id=members[0].pk)
    assert withdrawn.status == EnrolmentStatus.WITHDRAWN
    assert LessonProgress.objects.filter(enrolment=withdrawn).count() == 1
    assert AuditEntry.objects.filter(verb="course.unenrolled").count() == 1
    again = enrolments.enrolments_add(actor=trainer, course_id=course.pk, cohort_id=cohort.pk)
    assert (again.reactivated, again.unchanged) == (1, 1)
    back = Enrolment.objects.get(pk=withdrawn.pk)
    assert (back.status, back.percent) == ("active", 50)


def test_self_enrolment_rules(tree, trainee):
    closed = build_course(tree["central"], self_enrolment=False)
    with pytest.raises(DomainError) as caught:
        enrolments.enrolment_self(user=trainee, course_id=closed.pk)
    assert caught.value.code == "self_enrolment_closed"
    elsewhere = build_course(tree["province"])
    with pytest.raises(DomainError) as caught:
        enrolments.enrolment_self(user=trainee, course_id=elsewhere.pk)
    assert caught.value.status == 404
    open_course = build_course(tree["ministry"])
    enrolment, created = enrolments.enrolment_self(user=trainee, course_id=open_course.pk)
    assert created
    same, created_again = enrolments.enrolment_self(user=trainee, course_id=open_course.pk)
    assert same.pk == enrolment.pk and not created_again


def test_archive_keeps_enrolments_and_blocks_new_ones(tree, trainee):
    course = build_course(tree["central"], modules=1, lessons=2)
    enrol(course, trainee)
    a = lessons_in_order(course)[0]
    learning.lesson_complete(user=trainee, lesson_id=a.pk)
    services.course_archive(actor=None, course_id=course.pk)
    other = UserFactory(organisation=tree["mission"])
    with pytest.raises(DomainError) as caught:
        enrolments.enrolment_self(user=other, course_id=course.pk)
    assert caught.value.status == 404  # an archived course is out of the catalogue
    with pytest.raises(DomainError) as caught:
        enrolments.enrolments_add(actor=None, course_id=course.pk, user_ids=[other.pk])
    assert caught.value.code == "course_archived"
    assert Enrolment.objects.get(user=trainee).percent == 50
    assert AuditEntry.objects.filter(verb="course.archived").exists()


def test_trainer_of_another_unit_cannot_edit(tree):
    course = build_course(tree["ministry"], publish=False)
    stranger = user_with_role(Role.TRAINER, tree["province"])
    with pytest.raises(DomainError) as caught:
        services.course_update(actor=stranger, course_id=course.pk, version=course.version, title="x")
    assert caught.value.status == 404


def test_lesson_set_activity_reaches_the_published_outline(tree):
    course = build_course(tree["central"], modules=1, lessons=1, publish=False)
    quiz = services.lesson_create(actor=None, module_id=lessons_in_order(course)[0].module_id,
                                  kind="quiz", title="Kiểm tra")
    services.course_publish(actor=None, course_id=course.pk)
    api.lesson_set_activity(lesson_id=quiz.pk, activity_id=42)
    course.refresh_from_db()
    items = course.published["modules"][0]["lessons"]
    assert [i["activity_id"] for i in items if i["id"] == quiz.pk] == [42]
    assert api.lesson_get(quiz.pk).activity_id == 42


def _enrol_subtree_queries(tree, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course = build_course(tree["central"], modules=1, lessons=1)
    from tests.factories import OrganisationFactory

    unit = OrganisationFactory(parent=tree["ministry"])
    for _ in range(count):
        UserFactory(organisation=unit)
    with CaptureQueriesContext(connection) as ctx:
        result = enrolments.enrolments_add(actor=None, course_id=course.pk, organisation_id=unit.pk)
    assert result.created == count
    return len(ctx.captured_queries)


def test_subtree_enrolment_is_set_based(tree):
    """Enrolling a whole unit costs the same number of queries for 3 users as for 60."""
    assert _enrol_subtree_queries(tree, 3) == _enrol_subtree_queries(tree, 60)
