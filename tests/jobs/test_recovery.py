"""The stale-job sweep on the embedded default (eager Celery): which jobs it re-queues, which it
fails and with what reason, and the settings that make it run (decision 0043)."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone, translation

from backend.jobs import recovery
from backend.jobs.api import job_create, job_get
from backend.jobs.models import Job
from backend.jobs.recovery import register_recovery, sweep_stale_jobs
from backend.jobs.tasks import sweep_stale
from tests.factories import UserFactory

KIND = "tests.recoverable"


@pytest.fixture
def resumed(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(recovery, "_KINDS", dict(recovery._KINDS))
    register_recovery(KIND, resume=calls.append, abandon=lambda job_id: calls.append("abandon"))
    return calls


def stale(job, minutes=10, **fields):
    Job.objects.filter(pk=job.id).update(
        heartbeat_at=timezone.now() - timedelta(minutes=minutes), **fields)


def test_fresh_and_finished_jobs_are_left_alone(db, resumed):
    starter = UserFactory()
    running = job_create(kind=KIND, started_by=starter)
    Job.objects.filter(pk=running.id).update(status="running")
    done = job_create(kind=KIND, started_by=starter)
    stale(done, status="done")
    report = sweep_stale_jobs()
    assert (report.requeued, report.failed, resumed) == ([], [], [])
    assert job_get(running.id).status == "running" and job_get(done.id).status == "done"


def test_a_stale_job_is_queued_again_after_commit(db, resumed, django_capture_on_commit_callbacks):
    job = job_create(kind=KIND, started_by=UserFactory())
    stale(job, status="running", lease="old-run")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = sweep_stale_jobs()
    assert report.requeued == [str(job.id)] and resumed == [str(job.id)] and len(callbacks) == 1
    after = Job.objects.get(pk=job.id)
    assert (after.status, after.attempts, after.lease) == ("pending", 2, "")
    assert after.heartbeat_at > timezone.now() - timedelta(seconds=5)
    assert sweep_stale_jobs().requeued == []  # not again until it is stale again


def test_a_pending_job_whose_message_was_lost_is_queued_again(db, resumed,
                                                              django_capture_on_commit_callbacks):
    job = job_create(kind=KIND, started_by=UserFactory())
    stale(job, minutes=60)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_stale_jobs().requeued == [str(job.id)]
    assert resumed == [str(job.id)]


def test_after_the_last_attempt_the_job_fails_with_a_translated_reason(
        db, resumed, settings, django_capture_on_commit_callbacks):
    settings.JOBS_MAX_ATTEMPTS = 2
    job = job_create(kind=KIND, started_by=UserFactory())
    stale(job, status="running", attempts=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_stale_jobs().failed == [str(job.id)]
    failed = job_get(job.id)
    assert (failed.status, failed.error_code) == ("failed", "worker_lost")
    assert resumed == ["abandon"]
    with translation.override("en"):
        assert "stopped 2 times" in recovery.error_message(failed.error_code, failed.attempts)
    with translation.override("vi"):
        assert recovery.error_message(failed.error_code, failed.attempts)


def test_a_kind_nobody_can_resume_fails_at_once(db, api):
    starter = UserFactory()
    job = job_create(kind="tests.unknown", started_by=starter)
    stale(job, status="running")
    assert sweep_stale_jobs().failed == [str(job.id)]
    api.force_authenticate(starter)
    body = api.get(f"/api/v1/jobs/{job.id}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["status"] == "failed" and "cannot be resumed" in body["error_message"]


def test_the_sweep_runs_as_a_task_on_beat_and_from_manage_py(db, resumed, capsys):
    job = job_create(kind=KIND, started_by=UserFactory())
    stale(job, status="running")
    assert sweep_stale.delay().get() == {"requeued": [str(job.id)], "failed": []}
    stale(job, status="running")
    call_command("jobs_sweep")
    assert "re-queued 1, failed 0" in capsys.readouterr().out
    entry = django_settings.CELERY_BEAT_SCHEDULE["jobs-sweep-stale"]
    assert entry["task"] == sweep_stale.name == "jobs.sweep_stale"


def test_redis_redelivery_waits_longer_than_any_task_or_retry():
    """A message is redelivered only after visibility_timeout: it must outlast the longest
    task and the longest retry countdown (certificates back off up to 600 s)."""
    from certificates.tasks import _backoff

    timeout = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout > max(_backoff(n) for n in range(10)) + 60
    assert timeout > django_settings.JOBS_STALE_AFTER_SECONDS
