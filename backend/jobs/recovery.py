"""Jobs whose worker died: find them by their stopped heartbeat, hand them to a new run, or, after
JOBS_MAX_ATTEMPTS runs, fail them with a reason the starter can read (decision 0043).

Each app that starts jobs registers how to resume its kind (`register_recovery`, in its
AppConfig.ready): resuming must skip what is already done. Celery beat runs `sweep_stale_jobs`
every JOBS_SWEEP_SECONDS; `manage.py jobs_sweep` runs it once (the embedded default has no beat).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backend.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)

WORKER_LOST = "worker_lost"
NOT_RESUMABLE = "not_resumable"


@dataclass(frozen=True)
class Recovery:
    resume: Callable[[str], None]  # queue the job again (called after the sweep commits)
    abandon: Callable[[str], None] | None = None  # clean up once it has failed for good


_KINDS: dict[str, Recovery] = {}


def register_recovery(kind: str, *, resume: Callable[[str], None],
                      abandon: Callable[[str], None] | None = None) -> None:
    _KINDS[kind] = Recovery(resume=resume, abandon=abandon)


def stale_before(now: datetime | None = None) -> datetime:
    """A job whose last progress is older than this has lost its worker."""
    return (now or timezone.now()) - timedelta(seconds=settings.JOBS_STALE_AFTER_SECONDS)


def error_message(code: str, attempts: int) -> str:
    """Why the sweep gave up, in the reader's language ('' for jobs that did not fail so)."""
    if code == WORKER_LOST:
        return ngettext(
            "The server running this job stopped %(n)d time before it could finish, so it was "
            "stopped. What was done is kept; start it again to do the rest.",
            "The server running this job stopped %(n)d times before it could finish, so it was "
            "stopped. What was done is kept; start it again to do the rest.", attempts,
        ) % {"n": attempts}
    if code == NOT_RESUMABLE:
        return _("The server running this job stopped, and this kind of job cannot be resumed. "
                 "Start it again.")
    return ""


@dataclass(frozen=True)
class SweepReport:
    requeued: list[str]
    failed: list[str]


def sweep_stale_jobs(*, now: datetime | None = None) -> SweepReport:
    """Re-queue every pending or running job with a stopped heartbeat, or fail it for good."""
    now = now or timezone.now()
    stale = Q(heartbeat_at__lt=stale_before(now)) | Q(heartbeat_at__isnull=True,
                                                      updated_at__lt=stale_before(now))
    requeued, failed = [], []
    for job_id in Job.objects.filter(stale, status__in=[JobStatus.PENDING, JobStatus.RUNNING]
                                     ).values_list("pk", flat=True):
        outcome = _sweep_one(job_id, now)
        if outcome == "requeued":
            requeued.append(str(job_id))
        elif outcome == "failed":
            failed.append(str(job_id))
    if requeued or failed:
        log.warning("stale jobs: %d re-queued, %d failed", len(requeued), len(failed))
    return SweepReport(requeued=requeued, failed=failed)


@transaction.atomic
def _sweep_one(job_id, now: datetime) -> str | None:
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status not in (JobStatus.PENDING, JobStatus.RUNNING):
        return None
    if (job.heartbeat_at or job.updated_at) >= stale_before(now):
        return None  # it moved while we looked
    recovery = _KINDS.get(job.kind)
    if recovery is None or job.attempts >= settings.JOBS_MAX_ATTEMPTS:
        job.status, job.lease = JobStatus.FAILED, ""
        job.error_code = WORKER_LOST if recovery is not None else NOT_RESUMABLE
        job.heartbeat_at = job.updated_at = now
        job.save(update_fields=["status", "lease", "error_code", "heartbeat_at", "updated_at"])
        if recovery is not None and recovery.abandon is not None:
            transaction.on_commit(lambda: recovery.abandon(str(job_id)))
        return "failed"
    # Back to pending for a new run; the old run, if it is only slow, loses its lease.
    job.status, job.lease = JobStatus.PENDING, ""
    job.attempts += 1
    job.heartbeat_at = job.updated_at = now
    job.save(update_fields=["status", "lease", "attempts", "heartbeat_at", "updated_at"])
    transaction.on_commit(lambda: recovery.resume(str(job_id)))
    return "requeued"
