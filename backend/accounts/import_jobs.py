"""CSV user import as a background job: the upload is stored, a Celery task imports it in
chunks and advances the job, so a page (or an API client) can follow progress at
GET /api/v1/jobs/{id}/ and read the per-row result from the finished job.

Resumable (decision 0043): the file is cut into chunks of file rows fixed when the job starts;
each chunk's rows are written in one transaction together with the chunk's record and the job's
counters (`job_chunk_commit`). A run that finds chunks already recorded skips them, so a worker
killed midway loses at most the chunk it was writing, and no row is written twice. Only the run
holding the job's lease writes; the stale-job sweep hands the job to a new run.

The import itself is `backend.accounts.importing` (one implementation for the synchronous
endpoint and the job).
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from backend.accounts.importing import (
    ImportResult,
    cohorts_summary,
    refused_result,
    users_import_plan,
    users_import_total,
    users_import_write,
)
from backend.accounts.models import Role, User
from backend.accounts.selectors import user_role_scopes
from backend.accounts.user_csv import CsvFileError
from backend.errors import Forbidden
from backend.jobs.api import (
    JobData,
    Superseded,
    job_chunk_commit,
    job_chunk_results,
    job_claim,
    job_create,
    job_finish,
    job_get,
)

log = logging.getLogger(__name__)

JOB_KIND = "users.import"
UPLOAD_DIR = "imports"


def users_import_needs_job(data: bytes) -> bool:
    """Too many rows to import within one request (settings.USER_IMPORT_SYNC_MAX_ROWS)."""
    return users_import_total(data) > settings.USER_IMPORT_SYNC_MAX_ROWS


@transaction.atomic
def users_import_start(*, actor: User, data: bytes, all_or_nothing: bool = False,
                       language: str | None = None) -> JobData:
    """Check the file can be read, store it, create the job and queue the task after commit.
    Raises CsvFileError at once for a file that cannot be read at all (no job is created)."""
    if not any(s.role == Role.ADMINISTRATOR for s in user_role_scopes(actor)):
        raise Forbidden(_("Only administrators may import users."), code="forbidden")
    total = users_import_total(data)
    name = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}.csv", ContentFile(data))
    job = job_create(kind=JOB_KIND, started_by=actor, total=total, params={
        "file": name, "all_or_nothing": bool(all_or_nothing),
        "language": language or translation.get_language() or settings.LANGUAGE_CODE,
        "chunk_rows": max(1, settings.USER_IMPORT_CHUNK_ROWS),  # fixed: a resume cuts the same
    })
    transaction.on_commit(lambda: users_import_enqueue(str(job.id)))
    return job


def users_import_enqueue(job_id: str) -> None:
    """Queue the task (also how the stale-job sweep resumes an import)."""
    from backend.accounts.tasks import import_users_job

    import_users_job.delay(job_id)


def users_import_run(job_id) -> None:
    """Do (or go on with) one import job. A duplicate delivery, a finished job or one owned by a
    live run is left alone (`job_claim`)."""
    lease = job_claim(job_id, kind=JOB_KIND)
    if lease is None:
        return
    job = job_get(job_id)
    params = job.params
    actor = User.objects.filter(pk=job.started_by_id, is_active=True).first()
    if actor is None:  # never import as "the system" (no scope checks) by accident
        job_finish(job.id, failed=True, result={"message": "starter unavailable"})
        users_import_discard(job.id)
        return
    try:
        with default_storage.open(params["file"], "rb") as handle:
            data = handle.read()
        with translation.override(params.get("language") or settings.LANGUAGE_CODE):
            try:
                result = _import_in_chunks(job, lease, actor, data)
            except CsvFileError as exc:
                job_finish(job.id, failed=True, result={"message": str(exc)})
                users_import_discard(job.id)
                return
    except Superseded:
        log.warning("user import job %s: taken over by a newer run; this one stops", job.id)
        return
    except Exception:
        log.exception("user import job %s failed", job.id)
        job_finish(job.id, failed=True, result={"message": _(
            "The import stopped because of an internal error.")})
        users_import_discard(job.id)
        raise
    job_finish(job.id, result=result.as_dict())
    users_import_discard(job.id)


def _import_in_chunks(job: JobData, lease: str, actor: User, data: bytes) -> ImportResult:
    plan = users_import_plan(actor=actor, data=data)
    if job.params.get("all_or_nothing") and any(r.error for r in plan):
        result = refused_result(plan)
        if not job_chunk_results(job.id):
            with job_chunk_commit(job.id, lease, 0, done=len(plan), errors=result.errors):
                pass  # nothing written; the counters reach the total
        return result
    size = job.params.get("chunk_rows") or settings.USER_IMPORT_CHUNK_ROWS
    finished = set(job_chunk_results(job.id))
    for index, start in enumerate(range(0, len(plan), size)):
        if index in finished:
            continue  # written by an earlier run
        rows = plan[start:start + size]
        with job_chunk_commit(job.id, lease, index, done=len(rows),
                              errors=sum(1 for r in rows if r.error)) as record:
            record["rows"] = users_import_write(actor=actor, rows=rows)
    recorded = job_chunk_results(job.id)
    result = ImportResult.from_rows([row for index in sorted(recorded)
                                     for row in recorded[index].get("rows", [])])
    result.cohorts = cohorts_summary(plan)
    return result


def users_import_discard(job_id) -> None:
    """Remove the stored upload once the job has ended (or failed for good)."""
    job = job_get(job_id)
    name = job.params.get("file") if job else None
    if name and default_storage.exists(name):
        default_storage.delete(name)
