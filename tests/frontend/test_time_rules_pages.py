"""The time-rule pages through the Django test client: Gia hạn on the learners list, editing a
quiz's time exception, refusals put back on the form, strangers get a 404."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from assessments.models import QuizOverride
from backend.accounts.models import Role
from backend.audit.models import AuditEntry
from courses.models import Enrolment
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course
from tests.factories import user_with_role


def _world(tree, trainee):
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["true_false"])
    quiz = make_quiz(lesson, questions, time_limit_seconds=600)
    enrol(course, trainee)
    return course, lesson, quiz


def test_extension_from_the_learners_list(signed_in, tree, admin_user, trainee):
    course, _lesson, _quiz = _world(tree, trainee)
    client = signed_in(admin_user)
    listing = client.get(reverse("admin-enrolments") + f"?course={course.pk}").content.decode()
    url = reverse("admin-enrolment-due", args=[course.pk, trainee.pk])
    assert url in listing
    when = (timezone.localtime() + timedelta(days=10)).replace(second=0, microsecond=0)
    response = client.post(url, {"due_at": when.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    assert Enrolment.objects.get(course=course, user=trainee).due_at == when
    assert AuditEntry.objects.filter(verb="course.due_date_extended").exists()
    assert when.strftime("%d/%m/%Y") in client.get(reverse("admin-enrolments")
                                                    + f"?course={course.pk}").content.decode()
    outsider = signed_in(user_with_role(Role.ADMINISTRATOR, tree["province"]))
    assert outsider.get(url).status_code == 404


def test_editing_an_exception_and_a_bad_date_kept_on_the_form(signed_in, tree, trainee):
    _course, lesson, quiz = _world(tree, trainee)
    quiz.opens_at = timezone.now() + timedelta(days=1)
    quiz.save()
    row = QuizOverride.objects.create(quiz=quiz, user=trainee, time_limit_seconds=900)
    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    client = signed_in(trainer)
    assert reverse("quiz-overrides", args=[quiz.pk]) in client.get(
        reverse("quiz-edit", args=[lesson.pk])).content.decode()
    url = reverse("quiz-override-edit", args=[row.pk])
    early = timezone.localtime(quiz.opens_at - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(url, {"closes_at": early, "time_limit_minutes": "20"})
    assert page.status_code == 200 and 'id="form-alert"' in page.content.decode()
    assert "must be after the open date" in page.content.decode()
    row.refresh_from_db()
    assert row.closes_at is None and row.time_limit_seconds == 900
    assert client.post(url, {"time_limit_minutes": "20", "max_attempts": "3"}).status_code == 302
    row.refresh_from_db()
    assert (row.time_limit_seconds, row.max_attempts) == (1200, 3)
    stranger = signed_in(user_with_role(Role.TRAINER, tree["province"]))
    assert stranger.get(url).status_code == 404
    assert stranger.get(reverse("quiz-overrides", args=[quiz.pk])).status_code == 404
