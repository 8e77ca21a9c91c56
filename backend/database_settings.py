"""DATABASES from the environment: one URL, and how connections are kept (decision 0073).

Three ways to hold PostgreSQL connections, chosen by environment variables:

- persistent connections (the default in production): each worker thread keeps its own
  connection for ``conn_max_age`` seconds, health-checked before reuse;
- psycopg's pool (``DATABASE_POOL_MAX``, with ``DATABASE_POOL_MIN`` and
  ``DATABASE_POOL_TIMEOUT``): each process holds at most MAX connections shared by its threads,
  and a request waits up to TIMEOUT seconds for one. Django refuses a pool with persistent
  connections, so CONN_MAX_AGE is 0 (the pool, not Django, keeps them open);
- PgBouncer in transaction mode (``DATABASE_PGBOUNCER=1``): PgBouncer pools, so Django opens a
  connection to it per request (CONN_MAX_AGE 0, no pool of our own) and uses no server-side
  cursors (they live in a transaction PgBouncer may give another client). Prepared statements
  are already off: Django sets psycopg's prepare_threshold to None.

An optional replica URL adds a ``replica`` alias held the same way; its test database mirrors
``default`` so tests see one database.

Pure functions of their arguments (and of a mapping standing for the environment), so every
combination is tested without a server (tests/test_database_settings.py).
"""

from collections.abc import Mapping
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

POSTGRESQL_ENGINES = {"django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"}
DEFAULT_POOL_TIMEOUT = 10.0


def _is_postgresql(entry: Mapping[str, Any]) -> bool:
    return entry.get("ENGINE") in POSTGRESQL_ENGINES


def _pool_options(pool_max: int | None, pool_min: int | None,
                  pool_timeout: float | None) -> dict[str, Any] | None:
    if pool_max is None:
        if pool_min is not None or pool_timeout is not None:
            raise ImproperlyConfigured(
                "DATABASE_POOL_MIN and DATABASE_POOL_TIMEOUT need DATABASE_POOL_MAX.")
        return None
    if pool_max < 1:
        raise ImproperlyConfigured("DATABASE_POOL_MAX must be at least 1.")
    # Without a minimum the pool is of fixed size: MAX connections per process, opened at start,
    # which makes the sizing arithmetic (processes x MAX <= max_connections) exact.
    minimum = pool_max if pool_min is None else pool_min
    if not 0 <= minimum <= pool_max:
        raise ImproperlyConfigured("DATABASE_POOL_MIN must be between 0 and DATABASE_POOL_MAX.")
    timeout = DEFAULT_POOL_TIMEOUT if pool_timeout is None else pool_timeout
    if timeout <= 0:
        raise ImproperlyConfigured("DATABASE_POOL_TIMEOUT must be a positive number of seconds.")
    return {"min_size": minimum, "max_size": pool_max, "timeout": timeout}


def database_entry(url: str, *, conn_max_age: int = 0, conn_health_checks: bool = False,
                   pool_max: int | None = None, pool_min: int | None = None,
                   pool_timeout: float | None = None, pgbouncer: bool = False) -> dict[str, Any]:
    """One DATABASES entry for ``url``, with connections held as the arguments say."""
    entry = dj_database_url.parse(url, conn_max_age=conn_max_age,
                                  conn_health_checks=conn_health_checks)
    entry.setdefault("OPTIONS", {})
    pool = _pool_options(pool_max, pool_min, pool_timeout)
    if (pool or pgbouncer) and not _is_postgresql(entry):
        raise ImproperlyConfigured(
            "DATABASE_POOL_* and DATABASE_PGBOUNCER apply to PostgreSQL only.")
    if pool and pgbouncer:
        raise ImproperlyConfigured(
            "Choose one pooler: DATABASE_PGBOUNCER (PgBouncer pools) or DATABASE_POOL_MAX "
            "(psycopg's pool in each process), not both.")
    if pool:
        entry["OPTIONS"]["pool"] = pool
        entry["CONN_MAX_AGE"] = 0  # Django: "Pooling doesn't support persistent connections."
    if pgbouncer:
        entry["CONN_MAX_AGE"] = 0
        entry["DISABLE_SERVER_SIDE_CURSORS"] = True
    entry["ATOMIC_REQUESTS"] = False
    return entry


def build_databases(url: str, *, replica_url: str | None = None, **holding: Any
                    ) -> dict[str, dict[str, Any]]:
    """DATABASES: ``default`` from ``url``, and ``replica`` from ``replica_url`` when given.

    ``holding`` (conn_max_age, conn_health_checks, pool_*, pgbouncer) applies to both; the
    replica's test database mirrors default, so tests never need a second database.
    """
    databases = {"default": database_entry(url, **holding)}
    if replica_url:
        replica = database_entry(replica_url, **holding)
        replica["TEST"] = {"MIRROR": "default"}
        databases["replica"] = replica
    return databases


def _value(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def _number(environ: Mapping[str, str], name: str, kind: type) -> Any:
    value = _value(environ, name)
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None


def databases_from_env(environ: Mapping[str, str], *, default_url: str | None,
                       conn_max_age: int, conn_health_checks: bool = False
                       ) -> dict[str, dict[str, Any]]:
    """DATABASES from DATABASE_URL (or ``default_url``), DATABASE_REPLICA_URL, DATABASE_POOL_MAX,
    DATABASE_POOL_MIN, DATABASE_POOL_TIMEOUT and DATABASE_PGBOUNCER in ``environ``."""
    url = _value(environ, "DATABASE_URL") or default_url
    if url is None:
        raise ImproperlyConfigured("DATABASE_URL must be set when DJANGO_DEBUG is off.")
    pgbouncer = (_value(environ, "DATABASE_PGBOUNCER") or "").lower() in {"1", "true", "yes", "on"}
    return build_databases(
        url,
        replica_url=_value(environ, "DATABASE_REPLICA_URL"),
        conn_max_age=conn_max_age,
        conn_health_checks=conn_health_checks,
        pool_max=_number(environ, "DATABASE_POOL_MAX", int),
        pool_min=_number(environ, "DATABASE_POOL_MIN", int),
        pool_timeout=_number(environ, "DATABASE_POOL_TIMEOUT", float),
        pgbouncer=pgbouncer,
    )
