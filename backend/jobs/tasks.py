"""Celery tasks of jobs: the stale-job sweep (run by beat, see CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from backend.jobs.recovery import sweep_stale_jobs


@shared_task(name="jobs.sweep_stale")
def sweep_stale() -> dict:
    report = sweep_stale_jobs()
    return {"requeued": report.requeued, "failed": report.failed}
