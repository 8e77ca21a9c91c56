"""The scale-out of README's "Scaling out", exercised with real processes (decision 0073):

- gunicorn (gthread) with DATABASE_POOL_MAX against PostgreSQL serves a request from the
  database, and the pool keeps its connections open after the request (without a pool,
  CONN_MAX_AGE 0 would close them);
- a Celery worker started as its own process, as on another machine, takes a task from Redis
  and writes its result to the database.
"""

import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from backend.accounts.models import User
from backend.accounts.tasks import send_invitations
from backend.celery import app
from tests.bench.server import free_port
from tests.factories import OrganisationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_TEST_URL") or os.environ.get("CELERY_BROKER_URL")


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _child_env(**extra: str) -> dict[str, str]:
    """The app as a separate process sees: the test database, development settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DATABASE_", "PYTEST_", "DJANGO_")) and k != "CELERY_BROKER_URL"}
    return {**env, "DJANGO_DEBUG": "1", "DATABASE_URL": _test_database_url(), **extra}


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs against PostgreSQL (DATABASE_URL)")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def _connections(application_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                       [application_name])
        return cursor.fetchone()[0]


def _wait(condition, seconds: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the process exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"not within {seconds:.0f} s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_gunicorn_with_a_connection_pool_serves_from_postgresql(transactional_db, tmp_path):
    _require_postgresql()
    OrganisationFactory(code="pooled", name="Bộ Ngoại giao")
    name = f"ttdn_pool_{uuid.uuid4().hex[:8]}"
    port, log = free_port(), tmp_path / "gunicorn.log"
    env = _child_env(DATABASE_URL=f"{_test_database_url()}?application_name={name}",
                     DATABASE_POOL_MAX="3", DATABASE_POOL_MIN="2", DATABASE_POOL_TIMEOUT="5",
                     BENCH_ENDPOINTS="1")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "backend.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", "1", "--worker-class", "gthread", "--threads", "4",
             "--no-control-socket", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        answers = []

        def served() -> bool:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/drf/", timeout=5) as r:
                answers.append(json.loads(r.read()))
                return r.status == 200

        _wait(served, 60, process, log)
        assert any(row["code"] == "pooled" for row in answers[-1])
        # The request is over and the pool still holds connections open, at least MIN and at
        # most MAX (CONN_MAX_AGE 0 without a pool would have closed the one the request used).
        _wait(lambda: 2 <= _connections(name) <= 3, 15, process, log)
    finally:
        _stop(process)


def test_a_celery_worker_process_consumes_a_task_from_redis(transactional_db, tmp_path):
    _require_postgresql()
    if not REDIS_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must provide REDIS_TEST_URL or CELERY_BROKER_URL")
        pytest.skip("no Redis broker configured (set REDIS_TEST_URL to run this test)")
    queue = f"scale-out-{uuid.uuid4().hex[:8]}"  # its own queue: no other worker takes the task
    user = UserFactory(password=None)
    log = tmp_path / "worker.log"
    env = _child_env(CELERY_BROKER_URL=REDIS_URL,
                     EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "backend", "worker", "--pool", "solo",
             "--queues", queue, "--loglevel", "INFO", "--without-heartbeat", "--without-gossip",
             "--without-mingle"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    old = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    try:
        send_invitations.apply_async(([user.pk],), queue=queue)
        _wait(lambda: User.objects.get(pk=user.pk).invited_at is not None, 60, process, log)
    finally:
        app.conf.update(old)
        app._pool = None
        app.amqp._producer_pool = None
        _stop(process)
    assert "send_invitations" in log.read_text() or "succeeded" in log.read_text()
