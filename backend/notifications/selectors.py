"""Reads of notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from backend.notifications.models import Notification


def notifications_for(user, *, unread: bool | None = None) -> QuerySet[Notification]:
    rows = Notification.objects.filter(recipient=user)
    if unread is True:
        rows = rows.filter(read_at__isnull=True)
    elif unread is False:
        rows = rows.filter(read_at__isnull=False)
    return rows


def unread_count(user) -> int:
    """The bell: one count over the partial index notification_unread_idx."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
