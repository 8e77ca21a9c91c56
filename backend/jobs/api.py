"""Jobs: long work that reports progress. Other apps start and advance jobs through here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from backend.jobs.models import Job, JobStatus


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


def _data(job: Job) -> JobData:
    return JobData(id=job.id, kind=job.kind, status=job.status, total=job.total, done=job.done,
                   errors=job.errors, params=job.params, result=job.result,
                   started_by_id=job.started_by_id)


def job_create(*, kind: str, started_by, total: int = 0, params: dict | None = None) -> JobData:
    return _data(Job.objects.create(kind=kind, started_by=started_by, total=total,
                                    params=params or {}))


def job_get(job_id) -> JobData | None:
    job = Job.objects.filter(pk=job_id).first()
    return _data(job) if job else None


def job_start(job_id, *, total: int | None = None) -> None:
    fields = {"status": JobStatus.RUNNING, "updated_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    Job.objects.filter(pk=job_id).update(**fields)


def job_advance(job_id, *, done: int = 0, errors: int = 0) -> None:
    """Add to the counters atomically (several workers may advance one job)."""
    Job.objects.filter(pk=job_id).update(done=F("done") + done, errors=F("errors") + errors,
                                         updated_at=timezone.now())


def job_finish(job_id, *, failed: bool = False, result: dict | None = None) -> None:
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED if failed else JobStatus.DONE, result=result or {},
        updated_at=timezone.now(),
    )
