"""Each kind with time travel (the job run at a given `now`), the nearest offset only, the recheck
of "still true" before sending, and exactly once however often the job runs."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from backend.notifications import job
from backend.notifications.models import Notification, OutboxEmail, OutboxStatus, Preference
from backend.notifications.services import send_outbox
from courses.models import Course, Enrolment
from tests.courses.factories import build_course, enrol

NOW = timezone.make_aware(timezone.datetime(2026, 12, 1, 9, 0))  # a Tuesday, 09:00 local


def kinds(user) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(recipient=user).exclude(kind="enrolled")
                  .values_list("kind", "offset"))


@pytest.fixture
def due_course(tree):
    course = build_course(tree["ministry"], modules=1, lessons=1)
    Course.objects.filter(pk=course.pk).update(due_at=NOW + timedelta(days=10))
    return course


def test_course_due_reminders_at_each_offset_once_then_overdue(due_course, trainee, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    enrol(due_course, trainee)
    mailoutbox.clear()
    job.run(now=NOW)
    assert kinds(trainee) == []
    job.run(now=NOW + timedelta(days=3, hours=1))  # 6 days 23 h before: the 7-day reminder
    job.run(now=NOW + timedelta(days=3, hours=2))  # again: nothing new
    assert kinds(trainee) == [("course_due", "7d")]
    job.run(now=NOW + timedelta(days=9, hours=1))
    assert kinds(trainee) == [("course_due", "1d"), ("course_due", "7d")]
    job.run(now=NOW + timedelta(days=10, hours=1))
    assert kinds(trainee) == [("course_due", "1d"), ("course_due", "7d"), ("course_overdue", "")]
    assert OutboxEmail.objects.filter(recipient=trainee, status=OutboxStatus.SENT).count() == 4
    overdue = Notification.objects.get(recipient=trainee, kind="course_overdue")
    (mail,) = [m for m in mailoutbox if m.subject == overdue.title]
    assert mail.to == [trainee.email] and f"/courses/{due_course.pk}/" in mail.body


def test_first_seen_inside_the_nearer_offset_gets_only_that_reminder(due_course, trainee):
    enrol(due_course, trainee)
    job.run(now=NOW + timedelta(days=9, hours=12))
    assert kinds(trainee) == [("course_due", "1d")]


def test_finished_or_moved_is_not_reminded(due_course, trainee, tree):
    from tests.factories import UserFactory

    other = UserFactory(organisation=tree["mission"])
    enrol(due_course, trainee, other)
    Enrolment.objects.filter(user=other).update(completed_at=NOW, status="completed")
    job.run(now=NOW + timedelta(days=9, hours=1))
    assert kinds(other) == [] and kinds(trainee) == [("course_due", "1d")]


def test_reminder_no_longer_true_at_send_time_is_not_sent(due_course, trainee, mailoutbox):
    enrol(due_course, trainee)
    mailoutbox.clear()
    at = NOW + timedelta(days=9, hours=1)
    job.run(now=at, dry_run=False)
    # The first send failed (SMTP down) and is retried later; meanwhile the trainee finished.
    row = OutboxEmail.objects.get(recipient=trainee, kind="course_due")
    OutboxEmail.objects.filter(pk=row.pk).update(status=OutboxStatus.PENDING, sent_at=None)
    Enrolment.objects.filter(user=trainee).update(completed_at=at, status="completed")
    mailoutbox.clear()
    assert send_outbox(now=at + timedelta(minutes=5))["cancelled"] == 1
    assert not mailoutbox
    row.refresh_from_db()
    assert row.status == OutboxStatus.CANCELLED


def test_date_moved_later_cancels_the_pending_reminder(due_course, trainee, mailoutbox):
    enrol(due_course, trainee)
    at = NOW + timedelta(days=9, hours=1)
    job.run(now=at)
    OutboxEmail.objects.filter(kind="course_due").update(status=OutboxStatus.PENDING)
    Course.objects.filter(pk=due_course.pk).update(due_at=NOW + timedelta(days=30))
    assert send_outbox(now=at)["cancelled"] == 1


def test_site_only_preference_writes_no_email(due_course, trainee, mailoutbox):
    enrol(due_course, trainee)
    Preference.objects.create(user=trainee, kind="course_due", delivery="site")
    mailoutbox.clear()
    job.run(now=NOW + timedelta(days=9, hours=1))
    assert kinds(trainee) == [("course_due", "1d")]
    title = Notification.objects.get(kind="course_due").title
    assert not OutboxEmail.objects.filter(kind="course_due").exists()
    assert title not in [m.subject for m in mailoutbox]


def test_failed_send_is_retried_with_bounded_backoff(due_course, trainee, settings, monkeypatch):
    from django.core.mail import EmailMessage

    enrol(due_course, trainee)
    monkeypatch.setattr(EmailMessage, "send", lambda self, *a, **k: (_ for _ in ()).throw(
        OSError("SMTP down")))
    at = NOW + timedelta(days=9, hours=1)
    job.run(now=at)
    row = OutboxEmail.objects.get(kind="course_due")
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.next_attempt_at == at + timedelta(seconds=60) and "SMTP down" in row.last_error
    for n in range(2, settings.NOTIFICATIONS_MAX_ATTEMPTS + 1):
        send_outbox(now=at + timedelta(hours=n))  # each retry after its backoff
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, settings.NOTIFICATIONS_MAX_ATTEMPTS)


def test_crash_after_claim_leaves_the_row_for_the_next_run(due_course, trainee, mailoutbox, settings):
    from backend.notifications.services import _claim

    enrol(due_course, trainee)
    at = NOW + timedelta(days=9, hours=1)
    Preference.objects.create(user=trainee, kind="course_due", delivery="email")
    from backend.notifications.services import notify
    from courses.reminders import collect_due

    for chunk in collect_due(at):
        notify(chunk, now=at)  # created, e-mail row pending (the after-commit send never ran here)
    OutboxEmail.objects.filter(kind="course_due").update(status=OutboxStatus.PENDING, sent_at=None)
    assert len(_claim(at, 10)) >= 1  # a worker claims it ... and dies
    assert send_outbox(now=at)["sent"] == 0  # still claimed by the dead worker
    later = at + timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS + 1)
    mailoutbox.clear()
    assert send_outbox(now=later)["sent"] >= 1
    assert any(trainee.email in m.to for m in mailoutbox)


def test_quiz_opening_and_closing_without_attempt(tree, trainee):
    from tests.assessments.factories import bank_with_questions, make_quiz, quiz_course
    from tests.factories import UserFactory

    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["true_false"])
    quiz = make_quiz(lesson, questions, title="Kiểm tra giữa khóa",
                     opens_at=NOW + timedelta(hours=2), closes_at=NOW + timedelta(days=3))
    tried = UserFactory(organisation=tree["mission"])
    enrol(course, trainee, tried)
    job.run(now=NOW)
    assert kinds(trainee) == []
    job.run(now=NOW + timedelta(hours=3))
    assert kinds(trainee) == [("quiz_opening", "")]
    from assessments import attempts

    attempts.attempt_start(user=tried, quiz_id=quiz.pk, now=NOW + timedelta(hours=3))  # not the clock
    job.run(now=NOW + timedelta(days=2, hours=1))  # 23 hours before it closes
    assert kinds(trainee) == [("quiz_closing", "24h"), ("quiz_opening", "")]
    assert kinds(tried) == [("quiz_opening", "")]  # attempted: no closing reminder
    title = Notification.objects.get(recipient=trainee, kind="quiz_closing").title
    assert "Kiểm tra giữa khóa" in title and "/12/2026" in title


def test_essay_graded_notice(tree, trainee):
    from assessments.manual_grading import response_grade
    from assessments.models import Response
    from tests.assessments.factories import essay_submitted, trainer_for

    _course, quiz = essay_submitted(tree, trainee)
    response = Response.objects.get(attempt__quiz=quiz, attempt__user=trainee)
    response_grade(actor=trainer_for(tree["ministry"]), response_id=response.pk, mark=response.max_mark)
    row = Notification.objects.get(recipient=trainee, kind="essay_graded")
    assert row.url.endswith("/review/") and "Bài luận cuối khóa" in row.title


def _certificate(tree, trainee, expires_on):
    from certificates.models import Certificate
    from certificates.services import certificate_issue
    from tests.certificates.factories import certificate_course, complete, make_template

    make_template(tree["central"])
    course = certificate_course(tree["ministry"])
    complete(course, trainee)
    certificate, _ = certificate_issue(user_id=trainee.pk, course_id=course.pk, manual=True)
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=expires_on)
    return course, certificate


def test_certificate_expiring_with_the_way_to_renew_then_expired(tree, trainee):
    _course, certificate = _certificate(tree, trainee, (NOW + timedelta(days=40)).date())
    job.run(now=NOW)
    assert ("certificate_expiring", "30d") not in kinds(trainee)
    job.run(now=NOW + timedelta(days=11))
    job.run(now=NOW + timedelta(days=34))
    job.run(now=NOW + timedelta(days=41))
    assert [k for k in kinds(trainee) if k[0].startswith("certificate_")] == [
        ("certificate_expired", ""), ("certificate_expiring", "30d"), ("certificate_expiring", "7d")]
    renew = Notification.objects.get(recipient=trainee, kind="certificate_expiring", offset="7d")
    assert renew.url == f"/certificates/#certificate-{certificate.pk}" and renew.url in renew.body


def test_superseded_or_renewing_certificate_is_not_reminded(tree, trainee):
    from certificates.models import Certificate

    _course, certificate = _certificate(tree, trainee, (NOW + timedelta(days=5)).date())
    Certificate.objects.filter(pk=certificate.pk).update(superseded_at=NOW)
    job.run(now=NOW)
    assert not [k for k in kinds(trainee) if k[0].startswith("certificate_e")]


def test_revoked_certificate_is_not_reminded(tree, trainee):
    from certificates.models import Certificate

    _course, certificate = _certificate(tree, trainee, (NOW + timedelta(days=5)).date())
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=NOW)
    job.run(now=NOW)
    assert not [k for k in kinds(trainee) if k[0].startswith("certificate_e")]


def test_weekly_overdue_digest_to_the_units_administrators(due_course, trainee, admin_user, tree):
    from tests.factories import UserFactory

    outside = UserFactory(organisation=tree["province"])
    enrol(due_course, trainee, outside)
    monday = NOW + timedelta(days=13)  # Monday 14/12, past the due date
    job.run(now=monday)
    job.run(now=monday + timedelta(hours=5))
    digest = Notification.objects.get(recipient=admin_user, kind="overdue_digest")
    assert trainee.full_name in digest.body and outside.full_name not in digest.body
    job.run(now=monday + timedelta(days=7))
    assert Notification.objects.filter(recipient=admin_user, kind="overdue_digest").count() == 2


def test_enrolment_notice_is_a_notification_and_an_email(due_course, trainee, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrol(due_course, trainee)
    row = Notification.objects.get(recipient=trainee, kind="enrolled")
    assert row.url == f"/courses/{due_course.pk}/"
    (mail,) = mailoutbox
    assert mail.subject == row.title and "/" in mail.body


def test_command_refuses_at_outside_debug_without_dry_run(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("notifications_run", at="2026-12-24T08:00:00+07:00")


def test_command_prints_what_it_sent(due_course, trainee, settings, capsys):
    enrol(due_course, trainee)
    settings.DEBUG = settings.DEMO_MODE = False
    call_command("notifications_run", at=(NOW + timedelta(days=9, hours=1)).isoformat(), dry_run=True)
    out = capsys.readouterr().out
    assert "course_due: 1" in out and "chạy thử" in out
    assert not Notification.objects.filter(kind="course_due").exists()
    settings.DEMO_MODE = True
    call_command("notifications_run", at=(NOW + timedelta(days=9, hours=1)).isoformat())
    assert Notification.objects.filter(kind="course_due").count() == 1
