"""Reads of notifications."""

from __future__ import annotations

from django.db import connection
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
    """The bell: one count over the partial index notification_unread_idx, on every page.
    Written as SQL: its ORM form (a filter and an aggregation) cost more to build and compile
    than to run (decision 0077)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD_SQL, [user.pk])
        return cursor.fetchone()[0]


_UNREAD_SQL = (f"SELECT COUNT(*) FROM {Notification._meta.db_table} "  # noqa: S608 - our table
               "WHERE recipient_id = %s AND read_at IS NULL")
