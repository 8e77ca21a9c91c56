"""Celery tasks of courses: the enrolment e-mail."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from courses.data import course_data
from courses.models import Enrolment, EnrolmentStatus


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_enrolment_emails(self, enrolment_ids: list[int]) -> int:
    """Tell each user they were enrolled. Idempotent: `notified_at` is the guard."""
    sent = 0
    rows = Enrolment.objects.filter(
        pk__in=enrolment_ids, notified_at__isnull=True, user__is_active=True,
        status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED],
    ).select_related("user", "course")
    for enrolment in rows:
        user = enrolment.user
        with translation.override(user.language):
            context = {"user": user, "course": course_data(enrolment.course),
                       "site_name": settings.SITE_NAME, "due_at": enrolment.course.due_at,
                       "link": f"{settings.SITE_URL}/courses/{enrolment.course_id}/"}
            send_mail(
                subject=render_to_string("courses/email/enrolled_subject.txt", context).strip(),
                message=render_to_string("courses/email/enrolled.txt", context),
                from_email=None, recipient_list=[user.email],
            )
        Enrolment.objects.filter(pk=enrolment.pk).update(notified_at=timezone.now())
        sent += 1
    return sent
