"""Celery tasks of courses: the enrolment notice (kept for messages queued before notifications
took it over; new enrolments go through courses.reminders.enrolment_notify)."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_enrolment_emails(self, enrolment_ids: list[int]) -> int:
    from courses.models import Enrolment
    from courses.reminders import enrolment_notify

    return enrolment_notify(list(Enrolment.objects.filter(
        pk__in=enrolment_ids, notified_at__isnull=True).values_list("pk", flat=True)))
