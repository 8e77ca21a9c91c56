"""Notifications in the site, the e-mail outbox, and each person's delivery preferences.

The notifications app is in `backend`, the bottom layer: it knows nothing of courses. A
notification names what it is about as (app label, model, pk) and carries its title and body
already rendered in the recipient's language, plus the link to the thing.

Exactly once (decision 0062): `dedup_key` names (thing, kind, offset); (recipient, dedup_key) is
UNIQUE on the notification and on the outbox row, both written in one transaction with
INSERT ... ON CONFLICT DO NOTHING, so any number of job runs on any number of workers, and a
crash between them, leave one notification and at most one e-mail per key.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    EMAIL = "email", _("E-mail now")
    DIGEST = "digest", _("Daily digest e-mail")
    SITE = "site", _("In the site only")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40)
    subject_app = models.CharField(max_length=40, blank=True)
    subject_model = models.CharField(max_length=40, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    offset = models.CharField(max_length=16, blank=True)  # "7d", "24h", "" for events
    dedup_key = models.CharField(max_length=160)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.SITE)
    created_at = models.DateTimeField(_("created"), db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Digest items: set when the item went into a daily digest (or was dropped as no longer true).
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedup_key"],
                                    name="notification_once_per_key"),
        ]
        indexes = [
            # The bell: one index-only count of a person's unread rows.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
            # Producers' anti-join: "not yet notified about this thing at this offset".
            models.Index(fields=["subject_id", "kind", "offset", "recipient"],
                         name="notification_subject_idx"),
            models.Index(fields=["recipient"], condition=Q(delivery="digest", digested_at__isnull=True),
                         name="notification_digest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.title}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("No longer true")
    FAILED = "failed", _("Failed")


class OutboxEmail(models.Model):
    """One e-mail to send, written in the transaction that created what it tells about."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    dedup_key = models.CharField(max_length=160)
    kind = models.CharField(max_length=40)
    # What to recheck before sending (a reminder no longer true is not sent).
    subject_id = models.BigIntegerField(null=True, blank=True)
    offset = models.CharField(max_length=16, blank=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=12, choices=OutboxStatus.choices,
                              default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedup_key"], name="outbox_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"),
                         name="outbox_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dedup_key} → {self.to} ({self.status})"


class Preference(models.Model):
    """A person's choice for one kind; absent means the administrators' default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(max_length=40)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind}: {self.delivery}"


class DefaultPreference(models.Model):
    """The platform-wide default for one kind, set by a platform administrator (decision 0062)."""

    kind = models.CharField(max_length=40, unique=True)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"
