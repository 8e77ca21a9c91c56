"""Celery tasks of accounts: invitation e-mails."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from backend.accounts import auth_cache
from backend.accounts.models import User
from backend.accounts.tokens import password_set_path


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitations(self, user_ids: list[int]) -> int:
    """E-mail each invited user a link to set a password. Idempotent: `invited_at` is the guard."""
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, invited_at__isnull=True, is_active=True):
        with translation.override(user.language):
            context = {"user": user, "site_name": settings.SITE_NAME,
                       "link": settings.SITE_URL + password_set_path(user),
                       "login": settings.SITE_URL + reverse("account_login")}
            send_mail(
                subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
                message=render_to_string("accounts/email/invitation.txt", context),
                from_email=None, recipient_list=[user.email],
            )
        User.objects.filter(pk=user.pk).update(invited_at=timezone.now())
        auth_cache.invalidate(user.pk)  # .update() sends no signal
        sent += 1
    return sent


@shared_task(acks_late=True)
def import_users_job(job_id: str) -> None:
    """Run a CSV user import job (ids in; a job that is no longer pending is left alone)."""
    from backend.accounts.import_jobs import users_import_run

    users_import_run(job_id)
