"""The audit log's public face: every app records through `audit_record`; the audit page
reads through `audit_entries_visible_to` and words entries with `describe`.

The web pages (`frontend`) reach this app only through this module, which also re-exports
for them the selectors, services, enumerations and, for querysets and forms, the model
classes they use (docs/decisions/0060-what-frontend-may-import.md). Other apps only record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from backend.audit.describe import describe, verb_label
from backend.audit.models import AuditEntry, target_type_label
from backend.audit.selectors import audit_entries_visible_to

__all__ = [
    "AuditEntry",
    "audit_entries_visible_to",
    "audit_record",
    "audit_record_many",
    "describe",
    "target_type_label",
    "verb_label",
]


def audit_record(*, actor: Any | None, verb: str, target: models.Model,
                 details: dict | None = None) -> None:
    """Append one entry. Call it inside the service's transaction so it commits with the change."""
    AuditEntry.objects.create(**_entry_fields(actor, verb, target, details))


def audit_record_many(*, actor: Any | None, verb: str, targets: Iterable[models.Model],
                      details: dict | None = None) -> int:
    entries = [AuditEntry(**_entry_fields(actor, verb, t, details)) for t in targets]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def _entry_fields(actor, verb: str, target: models.Model, details: dict | None) -> dict:
    actor_is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return {
        "actor": actor if actor_is_user else None,
        "actor_label": str(actor) if actor_is_user else "system",
        "verb": verb,
        "target_type": target._meta.label_lower,
        "target_id": str(target.pk),
        "target_label": str(target)[:255],
        "details": details or {},
    }
