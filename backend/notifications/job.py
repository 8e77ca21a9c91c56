"""The one notifications job: run every producer, build due digests, send the outbox.

Celery beat runs it every NOTIFICATIONS_RUN_SECONDS; `manage.py notifications_run [--at]` runs the
same function by hand. Safe to run at any time, as often as wanted, on several workers at once:
the UNIQUE keys make every reminder once (decision 0062).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.utils import timezone

from backend.notifications import registry
from backend.notifications.models import Notification
from backend.notifications.services import build_digests, digest_due, notify, send_outbox


@dataclass
class RunReport:
    at: datetime
    created: Counter = field(default_factory=Counter)
    examples: list[Notification] = field(default_factory=list)
    digests: int = 0
    outbox: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"at": self.at.isoformat(), "created": dict(self.created), "digests": self.digests,
                "outbox": self.outbox}


# After a run that created this many rows, refresh the planner's statistics of the table the
# producers anti-join on. Measured (tests/bench/reminders.py): with the table grown from empty to
# 30,000 rows and no ANALYZE yet, PostgreSQL estimated 1 row and chose a nested loop that took 20 s
# for the next run's overdue query instead of 20 ms. Autovacuum would get there, later.
ANALYZE_AFTER = 5000


def refresh_statistics() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE notifications_notification")


def run(*, now: datetime | None = None, dry_run: bool = False, keep_examples: int = 50
        ) -> RunReport:
    now = now or timezone.now()
    report = RunReport(at=now)
    for producer in registry.producers():
        for chunk in producer.collect(now):
            made = notify(chunk, now=now, dry_run=dry_run)
            report.created.update(n.kind for n in made)
            room = keep_examples - len(report.examples)
            if room > 0:
                report.examples.extend(made[:room])
    if not dry_run and sum(report.created.values()) >= ANALYZE_AFTER:
        refresh_statistics()
    if digest_due(now):
        report.digests = build_digests(now=now, dry_run=dry_run)
    if not dry_run:
        report.outbox = send_outbox(now=now)
    return report
