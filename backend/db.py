"""Which database a query reads from.

`reporting_alias()` is the alias for read-only report and export queries: "replica" when
`DATABASE_REPLICA_URL` is set (settings add DATABASES["replica"] from it), else "default". A
replica lags its primary by a moment, so only reads that may be a little stale go there: reports,
roll-ups, exports. Nothing that is then written, locked or shown right after a change by the same
person (docs/decisions/0072-staff-reports-at-scale.md).
"""

from __future__ import annotations

from django.conf import settings

REPLICA = "replica"


def reporting_alias() -> str:
    """The database alias report and export queries read through."""
    return REPLICA if REPLICA in settings.DATABASES else "default"
