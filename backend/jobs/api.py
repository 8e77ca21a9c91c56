"""Jobs: long work that reports progress. Other apps start, advance and recover jobs through here.

Two shapes of job use it (decision 0043):
- one run at a time (the user import): `job_claim` hands the job to one run with a lease;
  each chunk is written inside `job_chunk_commit`, which checks the lease and records the chunk
  in the same transaction, so a superseded run stops and a resumed one skips what is done;
- many chunk tasks at once (bulk issue): `job_start`, then `job_advance` per chunk; its chunks
  are idempotent on their own.
Every write here is a heartbeat; `backend.jobs.recovery` re-queues or fails jobs whose heartbeat
stopped.
"""

from __future__ import annotations

import secrets
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from backend.jobs.models import Job, JobChunk, JobStatus
from backend.jobs.recovery import error_message, register_recovery, stale_before

__all__ = [
    "JobData", "JobStatus", "Superseded", "error_message", "job_advance", "job_chunk_commit",
    "job_chunk_results", "job_claim", "job_create", "job_finish", "job_get", "job_is_stuck",
    "job_start", "jobs_to_watch",
    "register_recovery",
]


@dataclass(frozen=True)
class JobData:
    id: uuid.UUID
    kind: str
    status: str
    total: int
    done: int
    errors: int
    params: dict
    result: dict
    started_by_id: int | None = None
    attempts: int = 0
    heartbeat_at: datetime | None = None
    error_code: str = ""


class Superseded(Exception):
    """This run no longer owns the job (it was declared stale and handed to a new run)."""


def _data(job: Job) -> JobData:
    return JobData(id=job.id, kind=job.kind, status=job.status, total=job.total, done=job.done,
                   errors=job.errors, params=job.params, result=job.result,
                   started_by_id=job.started_by_id, attempts=job.attempts,
                   heartbeat_at=job.heartbeat_at, error_code=job.error_code)


def job_create(*, kind: str, started_by, total: int = 0, params: dict | None = None) -> JobData:
    """A pending job, counted as its first attempt (whoever creates one queues it)."""
    return _data(Job.objects.create(kind=kind, started_by=started_by, total=total,
                                    params=params or {}, attempts=1, heartbeat_at=timezone.now()))


def job_get(job_id) -> JobData | None:
    job = Job.objects.filter(pk=job_id).first()
    return _data(job) if job else None


def jobs_to_watch(*, started_by_id: int, since: datetime, limit: int = 5) -> list[JobData]:
    """For the starter's dashboard: their jobs still waiting or running, and those that failed
    since `since`, newest first: one query."""
    qs = Job.objects.filter(Q(status__in=[JobStatus.PENDING, JobStatus.RUNNING])
                            | Q(status=JobStatus.FAILED, updated_at__gte=since),
                            started_by_id=started_by_id).order_by("-created_at")
    return [_data(job) for job in qs[:limit]]


def job_is_stuck(job: JobData, now: datetime | None = None) -> bool:
    """A live job whose last progress is older than the recovery sweep's limit."""
    return (job.status in (JobStatus.PENDING, JobStatus.RUNNING) and job.heartbeat_at is not None
            and job.heartbeat_at < stale_before(now))


def job_start(job_id, *, total: int | None = None) -> None:
    """Jobs run by many chunk tasks at once: mark it running (again, when resumed)."""
    fields = {"status": JobStatus.RUNNING, "updated_at": timezone.now(), "heartbeat_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    Job.objects.filter(pk=job_id).update(**fields)


def job_claim(job_id, *, kind: str) -> str | None:
    """Take a one-run-at-a-time job: pending, or running with a stopped heartbeat (its worker
    died and the broker delivered the task again). Returns this run's lease, or None when the job
    is finished, unknown, or owned by a live run (a duplicate delivery does nothing)."""
    lease = secrets.token_hex(16)
    now = timezone.now()
    taken = Job.objects.filter(
        Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before(now)),
        pk=job_id, kind=kind,
    ).update(status=JobStatus.RUNNING, lease=lease, heartbeat_at=now, updated_at=now)
    return lease if taken else None


def job_advance(job_id, *, done: int = 0, errors: int = 0) -> None:
    """Add to the counters atomically (several workers may advance one job)."""
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(done=F("done") + done, errors=F("errors") + errors,
                                         updated_at=now, heartbeat_at=now)


@contextmanager
def job_chunk_commit(job_id, lease: str, index: int, *, done: int, errors: int):
    """One transaction for a chunk's writes and its record:

        with job_chunk_commit(job.id, lease, 3, done=500, errors=2) as record:
            rows = write_the_chunk()
            record["rows"] = rows

    Raises Superseded (writing nothing) if this run lost the job; the counters advance and the
    chunk is marked done together with the writes, or not at all."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.RUNNING or job.lease != lease:
            raise Superseded(str(job_id))
        record: dict = {}
        yield record
        JobChunk.objects.create(job_id=job_id, index=index, done=done, errors=errors, result=record)
        job_advance(job_id, done=done, errors=errors)


def job_chunk_results(job_id) -> dict[int, dict]:
    """index -> what each committed chunk recorded."""
    return dict(JobChunk.objects.filter(job_id=job_id).values_list("index", "result"))


def job_finish(job_id, *, failed: bool = False, result: dict | None = None,
               error_code: str = "") -> None:
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED if failed else JobStatus.DONE, result=result or {},
        error_code=error_code, lease="", updated_at=now, heartbeat_at=now,
    )
