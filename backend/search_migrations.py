"""Helpers for the migrations that add stored search keys to tables that may be large.

The pattern (docs/decisions/0052-accent-free-search.md):
1. add the key as a NULLABLE column without a default: a metadata-only change on PostgreSQL
   and a plain ALTER TABLE on SQLite, whatever the table's size (no rewrite, no long lock);
2. `backfill`: fill it in batches of primary keys, one short UPDATE per batch, so no
   transaction holds many rows for long (new and edited rows get their key on save meanwhile);
3. on PostgreSQL only, `trigram_index`: a pg_trgm GIN index built CONCURRENTLY (the migration
   must say `atomic = False`), so `LIKE '%key%'` stays fast on large tables. Without the
   extension (no privilege to create it) the index is skipped with a warning: search still
   works, by a sequential scan.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

BATCH = 1000


def backfill(model, field: str, compute: Callable, *, only: tuple[str, ...] = (),
             where: dict | None = None, batch: int = BATCH) -> int:
    """Set `field` = compute(row) on every row where it is NULL (and `where` holds), `batch`
    rows at a time. `only` names the columns `compute` reads (fewer bytes loaded per batch)."""
    done, last = 0, 0
    rows = model._default_manager.filter(**{f"{field}__isnull": True}, **(where or {})).order_by("pk")
    if only:
        rows = rows.only("pk", *only)
    while True:
        chunk = list(rows.filter(pk__gt=last)[:batch])
        if not chunk:
            return done
        for row in chunk:
            setattr(row, field, compute(row))
        model._default_manager.bulk_update(chunk, [field])
        done += len(chunk)
        last = chunk[-1].pk


def trigram_index(table: str, column: str, name: str):
    """A RunPython pair creating / dropping a trigram index on PostgreSQL (nothing elsewhere)."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except Exception as exc:  # no privilege: search works without the index
                log.warning("pg_trgm unavailable (%s); %s.%s keeps no trigram index", exc, table, column)
                return
            cursor.execute(f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{name}" '
                           f'ON "{table}" USING gin ("{column}" gin_trgm_ops)')

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')

    return create, drop
