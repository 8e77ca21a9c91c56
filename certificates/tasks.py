"""Celery tasks: ids in, idempotent, bounded retries with backoff.

A worker killed mid-task gets its message redelivered (acks_late + reject_on_worker_lost): the
issue finds the certificate already there, the render rewrites the same file name, and the
e-mail is claimed once, so running any of these twice changes nothing.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction

from backend.errors import DomainError
from certificates import bulk, emails, renewals, services
from certificates.credentials import store
from certificates.models import Certificate
from certificates.rendering import (
    ImageCache,
    certificates_pending_render,
    draw_and_write,
    mark_failed,
    mark_rendered,
)

log = logging.getLogger(__name__)
MAX_RETRIES = 5
# Failures that another attempt cannot cure: no font, an unreadable seal image, a bad pattern.
PERMANENT = (ImproperlyConfigured, ValueError, TypeError)


def _backoff(retries: int) -> int:
    return min(600, 10 * 2 ** retries)


def render_and_collect(ids: list[int]) -> tuple[list[int], dict[int, Exception]]:
    """Render what still needs it; returns (rendered or already fine ids, failures)."""
    images = ImageCache()
    ok: list[int] = []
    written: list[tuple[int, int, str]] = []
    failed: dict[int, Exception] = {}
    for certificate in certificates_pending_render(ids):
        try:
            done = draw_and_write(certificate, images)
        except DatabaseError:
            raise
        except Exception as exc:  # recorded on the row for administrators
            failed[certificate.pk] = exc
            continue
        ok.append(certificate.pk)
        if done is not None:
            written.append((certificate.pk, *done))
    # One commit for the batch: the files are complete, so recording them together is safe (a
    # crash before this line leaves the rows pending and the next attempt rewrites the files).
    with transaction.atomic():
        for pk, revision, name in written:
            mark_rendered(pk, revision, name)
    sign_credentials(ok)
    return ok, failed


def sign_credentials(ids: list[int]) -> None:
    """One signed Open Badges credential per revision, made with the PDF so downloads and bulk
    issue pay once (decision 0066). A failure here never fails the PDF: the credential endpoint
    signs on demand."""
    if not ids:
        return
    try:
        with transaction.atomic():
            store.sign_many(list(Certificate.objects.filter(pk__in=ids).order_by("pk")))
    except DatabaseError:
        raise
    except Exception as exc:  # no key configured, a bad key file: logged, retried on demand
        log.warning("credentials for certificates %s not signed: %s", ids[:10], exc)


def _render_with_retries(task, ids: list[int]) -> list[int]:
    """Render; failures that may pass are retried with backoff through the broker, or at once
    in-process when tasks run eagerly (the embedded default has no broker to come back from)."""
    attempt = task.request.retries
    rendered: list[int] = []
    while True:
        ok, failed = render_and_collect(ids)
        rendered += ok
        if ok:
            send_issued_emails.delay(ok)
        retry: list[int] = []
        for pk, exc in failed.items():
            final = isinstance(exc, PERMANENT) or attempt >= MAX_RETRIES
            log.warning("certificate %s: PDF failed (%s)%s", pk, exc, "" if final else ", will retry")
            mark_failed(pk, f"{type(exc).__name__}: {exc}", final=final)
            if not final:
                retry.append(pk)
        if not retry:
            return rendered
        if not task.request.is_eager:
            raise task.retry(args=[retry], countdown=_backoff(attempt), max_retries=MAX_RETRIES)
        attempt += 1
        ids = retry


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def issue_certificate(self, user_id: int, course_id: int) -> int | None:
    """Issue (or find) the certificate of a completed enrolment, then its PDF and e-mail; and
    the new certificate of any renewal that waited for this course (recertification)."""
    try:
        renewals.renewals_complete(user_id=user_id, course_id=course_id)
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    try:
        certificate, _created = services.certificate_issue(user_id=user_id, course_id=course_id)
    except DomainError as exc:  # not eligible, no template: nothing a retry would change
        if exc.code == "no_certificates":
            return None  # the course awards none: the usual case, not worth a log line
        log.warning("certificate for user %s, course %s not issued: %s", user_id, course_id,
                    exc.message)
        return None
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    render_certificates.delay([certificate.pk])
    return certificate.pk


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def render_certificates(self, certificate_ids: list[int]) -> list[int]:
    try:
        return _render_with_retries(self, certificate_ids)
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=MAX_RETRIES)
def send_issued_emails(self, certificate_ids: list[int]) -> int:
    return emails.send_issued_emails(certificate_ids)


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def bulk_issue_chunk(self, job_id: str, index: int) -> None:
    try:
        bulk.run_chunk(job_id, index, render=render_and_collect,
                       notify=lambda ids: send_issued_emails.delay(ids))
    except DatabaseError as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
