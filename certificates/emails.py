"""The "your certificate is ready" e-mail: a link to download and a link to verify.

The PDF is attached only when CERTIFICATES_EMAIL_ATTACH_PDF is on: a link keeps mailboxes small
and always serves the current revision (a re-issued or revoked certificate is never stale).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from backend.accounts.api import users_get
from certificates.models import Certificate, RenderStatus
from certificates.rendering import verify_url


def _message(certificate: Certificate, user, connection) -> EmailMessage:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "certificate": certificate, "holder_name": certificate.holder_name,
            "site_name": settings.SITE_NAME, "verify_url": verify_url(certificate.code),
            "download_url": settings.SITE_URL + reverse("my-certificates"),
        }
        subject = render_to_string("certificates/email/issued_subject.txt", context).strip()
        body = render_to_string("certificates/email/issued.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[user.email], connection=connection)
    if settings.CERTIFICATES_EMAIL_ATTACH_PDF and certificate.pdf_ready:
        with certificate.pdf.open("rb") as handle:
            message.attach(f"{certificate.code}.pdf", handle.read(), "application/pdf")
    return message


def send_issued_emails(certificate_ids: list[int]) -> int:
    """Tell each holder once. Without a PDF attachment the notice goes through
    backend.notifications (in the site, and by e-mail as the holder prefers; its outbox retries);
    with CERTIFICATES_EMAIL_ATTACH_PDF it is mailed here, with the file. The `emailed_at` claim
    is taken before sending and given back if sending fails, so a duplicate task cannot mail
    twice and a failure can be retried."""
    if not settings.CERTIFICATES_EMAIL_ON_ISSUE:
        return 0
    if not settings.CERTIFICATES_EMAIL_ATTACH_PDF:
        from certificates.reminders import issued_notify

        with transaction.atomic():
            rows = list(Certificate.objects.select_for_update().filter(
                pk__in=certificate_ids, emailed_at__isnull=True, revoked_at__isnull=True,
                render_status=RenderStatus.RENDERED))
            made = issued_notify(rows)
            Certificate.objects.filter(pk__in=[c.pk for c in rows]).update(
                emailed_at=timezone.now())
        return made
    certificates = list(Certificate.objects.filter(
        pk__in=certificate_ids, emailed_at__isnull=True, revoked_at__isnull=True,
        render_status=RenderStatus.RENDERED))
    from certificates.reminders import issued_notify

    issued_notify(certificates, email=False)  # in the site; the e-mail with its PDF goes below
    users = users_get(c.user_id for c in certificates)
    # Claim every row first, in one transaction (one commit for the batch): a duplicate task
    # blocks on these rows and then finds them claimed. A failed send gives its claim back.
    claimed = []
    with transaction.atomic():
        for certificate in certificates:
            user = users.get(certificate.user_id)
            if user is None or not user.email:
                continue
            if Certificate.objects.filter(pk=certificate.pk, emailed_at__isnull=True).update(
                    emailed_at=timezone.now()):
                claimed.append((certificate, user))
    sent = 0
    connection = get_connection()
    with connection:
        for index, (certificate, user) in enumerate(claimed):
            try:
                _message(certificate, user, connection).send()
            except Exception:
                Certificate.objects.filter(pk__in=[c.pk for c, _u in claimed[index:]]).update(
                    emailed_at=None)
                raise
            sent += 1
    return sent
