"""The bench database and the production-like environment every bench process runs with."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_VAR = ROOT / "var" / "bench"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/ttdn_bench"
# The shared cache the gunicorn workers use, as in production (rate limits, sessions, the auth
# cache of decision 0069). Each run gets its own key prefix, so runs never see each other's keys.
CACHE_DEFAULT = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class BenchDatabase:
    kind: str  # "postgres" or "sqlite"
    url: str

    @classmethod
    def choose(cls, kind: str, pg_url: str = PG_DEFAULT) -> BenchDatabase:
        if kind == "sqlite":
            return cls("sqlite", f"sqlite:///{BENCH_VAR / 'bench.sqlite3'}")
        return cls("postgres", pg_url)

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    def recreate(self) -> None:
        """Start from an empty database the harness owns (dropped and created every run)."""
        if self.kind == "sqlite":
            BENCH_VAR.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                Path(str(BENCH_VAR / "bench.sqlite3") + suffix).unlink(missing_ok=True)
            return
        import psycopg
        from psycopg import sql

        if not self.name.startswith("ttdn_bench"):
            raise SystemExit(f"Refusing to drop {self.name!r}: bench databases are ttdn_bench*.")
        admin_url = self.url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(self.name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))


    def analyze(self) -> None:
        """Fresh planner statistics after bulk seeding, as a production database would have."""
        if self.kind == "sqlite":
            query(self, "ANALYZE")
            return
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("ANALYZE")


def bench_env(database: BenchDatabase, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off, persistent connections, Redis as the shared cache:
    BENCH_CACHE_URL, default CACHE_DEFAULT) on loopback, plus the bench endpoints. E-mail goes
    nowhere and Celery tasks go to an in-memory broker nobody reads, so the figures are the web
    process's own work, as with a real broker."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "CELERY_", "REDIS_", "CACHE_", "EMAIL_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_DEMO_MODE": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database.url,
        "SECURE_SSL_REDIRECT": "0",
        "BENCH_ENDPOINTS": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "CELERY_BROKER_URL": "memory://",
        "VAR_DIR": str(BENCH_VAR),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # The import scenario measures the synchronous endpoint with 10,000 rows; in production
        # a file that large goes to a job (USER_IMPORT_SYNC_MAX_ROWS).
        "USER_IMPORT_SYNC_MAX_ROWS": "1000000",
        # A credential signing key under the bench's var/ (made on first use), as in development.
        "CREDENTIALS_DEMO_KEY": "1",
        # And a demo PDF signer there (production refuses it; the bench is not production).
        "CERTIFICATES_SIGNING_DEMO": "1",
        "CERTIFICATES_SIGNING_DIR": str(BENCH_VAR / "signing"),
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL") or CACHE_DEFAULT,
        "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
        **extra,
    })
    return env


def clear_bench_cache(env: dict[str, str]) -> int:
    """Delete this run's keys from the shared cache (sessions would otherwise stay for their
    two weeks); how many were deleted."""
    prefix, url = env.get("CACHE_KEY_PREFIX"), env.get("CACHE_URL")
    if not prefix or not url or not url.startswith("redis"):
        return 0
    import redis

    client = redis.Redis.from_url(url)
    deleted = 0
    batch = []
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        batch.append(key)
        if len(batch) >= 1000:
            deleted += client.delete(*batch)
            batch = []
    if batch:
        deleted += client.delete(*batch)
    return deleted


def manage(env: dict[str, str], *args: str) -> str:
    """Run `manage.py args` in the bench environment; its output, or exit with its error."""
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed ({done.returncode}).")
    return done.stdout


def query(database: BenchDatabase, statement: str) -> list[tuple]:
    """A read straight from the bench database, for the harness itself (it runs no Django)."""
    if database.kind == "sqlite":
        import sqlite3

        with sqlite3.connect(database.url.removeprefix("sqlite:///")) as conn:
            return conn.execute(statement).fetchall()
    import psycopg

    with psycopg.connect(database.url) as conn:
        return conn.execute(statement).fetchall()
