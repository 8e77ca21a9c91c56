"""Tasks: duplicate delivery, a crash between the row and its PDF, failed renders and retries,
the e-mail once. Celery runs eagerly here, so a retry runs at once (its backoff is skipped)."""

import pytest

from certificates import rendering, tasks
from certificates.models import Certificate, RenderStatus, SerialCounter
from certificates.services import certificate_issue
from tests.certificates.factories import certificate_course, complete, make_template


@pytest.fixture
def course(tree):
    make_template(tree["central"])
    return certificate_course(tree["ministry"])


@pytest.fixture
def completed(course, trainee, mailoutbox):
    complete(course, trainee)  # no on_commit execution: the automatic issue is not run here
    mailoutbox.clear()
    return trainee


def _pdf_files(settings) -> list:
    root = settings.MEDIA_ROOT / "certificates"
    return sorted(p for p in root.rglob("*.pdf")) if root.exists() else []


def _issued_mails(mailoutbox) -> list:
    return [m for m in mailoutbox if "/verify/" in m.body]


def test_duplicate_delivery_issues_renders_and_mails_once(course, completed, settings, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    # The notice's e-mail leaves from the notifications outbox after commit.
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.issue_certificate.apply(args=[completed.pk, course.pk]).get()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.issue_certificate.apply(args=[completed.pk, course.pk]).get()
    assert first == second
    assert Certificate.objects.count() == 1 and SerialCounter.objects.get().last == 1
    assert len(_pdf_files(settings)) == 1
    assert len(_issued_mails(mailoutbox)) == 1


def test_redelivery_after_a_crash_between_row_and_pdf_finishes_the_job(
        course, completed, settings, mailoutbox, django_capture_on_commit_callbacks):
    # The worker committed the row, then died before drawing the PDF.
    certificate, created = certificate_issue(user_id=completed.pk, course_id=course.pk)
    assert created and certificate.render_status == RenderStatus.PENDING and not certificate.pdf
    # The broker redelivers the unacknowledged message.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.issue_certificate.apply(args=[completed.pk, course.pk]).get() == certificate.pk
    certificate.refresh_from_db()
    assert certificate.render_status == RenderStatus.RENDERED and certificate.pdf_ready
    assert Certificate.objects.count() == 1 and SerialCounter.objects.get().last == 1
    assert len(_issued_mails(mailoutbox)) == 1


def test_crash_mid_write_is_retried_and_leaves_one_complete_file(course, completed, settings,
                                                                  monkeypatch):
    real_write = rendering.write_pdf
    calls = []

    def dying_write(certificate, data, revision):
        calls.append(1)
        if len(calls) == 1:  # first attempt: half a file, then the process is "killed"
            real_write(certificate, data[: len(data) // 2], revision)
            raise RuntimeError("worker lost")
        return real_write(certificate, data, revision)

    monkeypatch.setattr(rendering, "write_pdf", dying_write)
    certificate_id = tasks.issue_certificate.apply(args=[completed.pk, course.pk]).get()
    certificate = Certificate.objects.get(pk=certificate_id)
    assert len(calls) == 2 and certificate.render_status == RenderStatus.RENDERED
    assert certificate.render_attempts == 1 and certificate.last_error == ""
    files = _pdf_files(settings)
    assert len(files) == 1 and files[0].read_bytes().rstrip().endswith(b"%%EOF")


def test_permanent_failure_is_recorded_then_retried_by_an_administrator(
        course, completed, monkeypatch, admin_user, api, django_capture_on_commit_callbacks):
    from certificates.fonts import FontUnavailable

    def no_font(*args, **kwargs):
        raise FontUnavailable("No TrueType font covering Vietnamese was found")

    monkeypatch.setattr(rendering, "render_certificate", no_font)
    certificate_id = tasks.issue_certificate.apply(args=[completed.pk, course.pk]).get()
    certificate = Certificate.objects.get(pk=certificate_id)
    assert certificate.render_status == RenderStatus.FAILED and certificate.render_attempts == 1
    assert "FontUnavailable" in certificate.last_error
    api.force_authenticate(admin_user)
    listed = api.get("/api/v1/certificates/?render_status=failed").json()["results"]
    assert [(c["id"], c["render_status"]) for c in listed] == [(certificate_id, "failed")]
    assert "FontUnavailable" in listed[0]["last_error"]
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/v1/certificates/{certificate_id}/render/")
    assert r.status_code == 200
    certificate.refresh_from_db()
    assert certificate.render_status == RenderStatus.RENDERED and certificate.last_error == ""


def test_transient_failures_are_retried_a_bounded_number_of_times(course, completed, monkeypatch):
    attempts = []

    def flaky(*args, **kwargs):
        attempts.append(1)
        raise OSError("disk full")

    monkeypatch.setattr(rendering, "write_pdf", flaky)
    certificate_id = tasks.issue_certificate.apply(args=[completed.pk, course.pk]).get()
    certificate = Certificate.objects.get(pk=certificate_id)
    assert len(attempts) == tasks.MAX_RETRIES + 1
    assert certificate.render_status == RenderStatus.FAILED
    assert certificate.render_attempts == tasks.MAX_RETRIES + 1 and "disk full" in certificate.last_error


def test_mail_can_attach_the_pdf_and_can_be_switched_off(course, completed, settings, mailoutbox,
                                                         tree):
    settings.CERTIFICATES_EMAIL_ATTACH_PDF = True
    tasks.issue_certificate.apply(args=[completed.pk, course.pk])
    (mail,) = _issued_mails(mailoutbox)
    assert mail.attachments and mail.attachments[0][2] == "application/pdf"
    assert mail.to == [completed.email]
    settings.CERTIFICATES_EMAIL_ON_ISSUE = False
    from tests.factories import UserFactory

    other = UserFactory(organisation=tree["dept"])
    complete(course, other)
    mailoutbox.clear()
    tasks.issue_certificate.apply(args=[other.pk, course.pk])
    assert not _issued_mails(mailoutbox)
    assert Certificate.objects.get(user=other).emailed_at is None


def test_mail_speaks_the_holders_language(course, completed, mailoutbox,
                                          django_capture_on_commit_callbacks):
    completed.language = "en"
    completed.save()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.issue_certificate.apply(args=[completed.pk, course.pk])
    (mail,) = _issued_mails(mailoutbox)
    assert "Your certificate is ready" in mail.subject
