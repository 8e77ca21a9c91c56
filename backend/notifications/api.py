"""What other apps may ask of notifications: register kinds and producers, notify of an event;
and what the pages use (the bell's count, the list, marking read, preferences).

Apps above register in AppConfig.ready(); an event (enrolled, essay graded, certificate issued)
calls `notify` inside its own transaction, so the notification and its e-mail row commit with it.
"""

from django.db.models import Exists

from backend.notifications.models import Delivery, Notification
from backend.notifications.registry import Item, Kind, Producer, register_kind, register_producer
from backend.notifications.selectors import notifications_for, unread_count
from backend.notifications.services import (
    default_preferences_rows,
    default_preferences_update,
    may_change_defaults,
    notification_mark_read,
    notifications_mark_all_read,
    notify,
    preferences_get,
    preferences_update,
)

__all__ = ["Delivery", "Item", "Kind", "Producer", "already_notified", "default_preferences_rows",
           "default_preferences_update", "may_change_defaults", "notification_mark_read",
           "notifications_for", "notifications_mark_all_read", "notify", "preferences_get",
           "preferences_update", "register_kind", "register_producer", "unread_count"]


def already_notified(kind: str, offset: str, *, subject_id, recipient_id) -> Exists:
    """An EXISTS over notifications for an anti-join in a producer's candidate query
    (`.exclude(already_notified(..., subject_id=OuterRef("pk"), recipient_id=OuterRef("user_id")))`),
    so a run reads only what it has not yet sent (index notification_subject_idx)."""
    return Exists(Notification.objects.filter(kind=kind, offset=offset, subject_id=subject_id,
                                              recipient_id=recipient_id))
