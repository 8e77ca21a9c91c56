"""A real worker on Redis, killed with SIGKILL in the middle of a user import: the job stays
`running` (nothing in the dead process can report), the stale-job sweep hands it to a new
worker, and the job finishes with every row written exactly once (decision 0043).

Needs Redis (REDIS_TEST_URL or CELERY_BROKER_URL) and a database another process can open
(PostgreSQL through DATABASE_URL; SQLite's in-memory test database is private to this process).
`.ci/run` provides both; elsewhere the test is skipped with the reason.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from backend.accounts.import_jobs import users_import_start
from backend.accounts.models import Role, User
from backend.audit.models import AuditEntry
from backend.celery import app
from backend.jobs.api import job_get
from backend.jobs.models import JobChunk
from backend.jobs.recovery import sweep_stale_jobs
from tests.factories import OrganisationFactory, user_with_role

REDIS_URL = os.environ.get("REDIS_TEST_URL") or os.environ.get("CELERY_BROKER_URL")
ROOT = Path(__file__).resolve().parents[2]
ROWS, CHUNK = 40, 4


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        _unavailable("a worker in another process needs a shared database: set DATABASE_URL "
                     "to PostgreSQL (the SQLite test database is in this process's memory)")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_broker(transactional_db):
    """This process sends through Redis (the default queue, emptied before and after)."""
    if not REDIS_URL:
        _unavailable("no Redis broker configured (set REDIS_TEST_URL to run this test)")
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        _unavailable(f"Redis at {REDIS_URL} is not reachable ({exc})")
    _forget_messages(client)
    old = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.update(old)
        app._pool = None
        app.amqp._producer_pool = None
        _forget_messages(client)


def _forget_messages(client) -> None:
    """Empty the default queue and drop the killed worker's unacknowledged import message
    (Redis would hand it out again after visibility_timeout)."""
    client.delete(app.conf.task_default_queue)
    for tag, payload in client.hgetall("unacked").items():
        if b"import_users_job" in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


class Worker:
    def __init__(self, database_url: str, *, chunk_seconds: float = 0) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_TESTING", "CELERY_TASK_ALWAYS_EAGER")}
        env.update(DJANGO_SETTINGS_MODULE="backend.settings", DJANGO_DEBUG="1",
                   DATABASE_URL=database_url, CELERY_BROKER_URL=REDIS_URL,
                   MEDIA_ROOT=str(settings.MEDIA_ROOT), CRASH_TEST_CHUNK_SECONDS=str(chunk_seconds),
                   PYTHONPATH=str(ROOT))
        # Not a pipe: a chatty worker must never block on it. Closed in stop().
        self.log = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen([sys.executable, "-m", "tests.jobs.crash_worker"],
                                        cwd=ROOT, env=env, start_new_session=True,
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def wait_for(predicate, *, seconds: float, what: str, worker: Worker):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}: {worker.output()}")
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def test_a_killed_worker_leaves_the_job_running_and_the_sweep_finishes_it_once(redis_broker):
    database_url = _database_url()
    mission = OrganisationFactory(code="dsq-phap")
    admin = user_with_role(Role.ADMINISTRATOR, mission)
    settings.USER_IMPORT_CHUNK_ROWS = CHUNK
    data = ("email,full_name,organisation,role,cohort\n" + "".join(
        f"w{i}@mofa.gov.vn,Nguyễn Văn Thợ {i},dsq-phap,trainee,Lớp K9\n" for i in range(ROWS))).encode()

    first = Worker(database_url, chunk_seconds=0.4)
    second = None
    try:
        job = users_import_start(actor=admin, data=data, language="en")  # queued after commit
        wait_for(lambda: (j := job_get(job.id)).status == "running" and j.done >= 2 * CHUNK,
                 seconds=60, what="two committed chunks", worker=first)
        first.kill()  # SIGKILL between two chunks (each waits 0.4 s before writing)
        crashed = job_get(job.id)
        assert crashed.status == "running" and 2 * CHUNK <= crashed.done < ROWS
        time.sleep(1)  # a write already in flight would have committed by now
        assert job_get(job.id).done == crashed.done  # nobody is working on it

        second = Worker(database_url)
        report = sweep_stale_jobs(now=timezone.now() + timedelta(
            seconds=settings.JOBS_STALE_AFTER_SECONDS + 1))
        assert report.requeued == [str(job.id)]
        wait_for(lambda: job_get(job.id).status in ("done", "failed"), seconds=90,
                 what="the resumed job to finish", worker=second)
    finally:
        first.stop()
        if second is not None:
            second.stop()

    finished = job_get(job.id)
    assert (finished.status, finished.done, finished.total, finished.errors) == ("done", ROWS, ROWS, 0)
    assert finished.attempts == 2
    assert [r["status"] for r in finished.result["rows"]] == ["created"] * ROWS  # none redone
    assert User.objects.filter(email__startswith="w", email__endswith="@mofa.gov.vn").count() == ROWS
    chunks = ROWS // CHUNK
    assert JobChunk.objects.filter(job_id=job.id).count() == chunks
    assert AuditEntry.objects.filter(verb="users.imported").count() == chunks  # each chunk once
