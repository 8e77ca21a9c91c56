"""CSV user import as a background job: the upload is stored, a Celery task imports it in
chunks and advances the job, so a page (or an API client) can follow progress at
GET /api/v1/jobs/{id}/ and read the per-row result from the finished job.

The import itself is `backend.accounts.importing.users_import` (one implementation for the
synchronous endpoint and the job)."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from backend.accounts.importing import users_import, users_import_total
from backend.accounts.models import Role, User
from backend.accounts.selectors import user_role_scopes
from backend.accounts.user_csv import CsvFileError
from backend.errors import Forbidden
from backend.jobs.api import JobData, job_advance, job_create, job_finish, job_get, job_start

log = logging.getLogger(__name__)

JOB_KIND = "users.import"
UPLOAD_DIR = "imports"


def _chunk_size() -> int:
    return settings.USER_IMPORT_CHUNK_ROWS


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
    })
    from backend.accounts.tasks import import_users_job

    transaction.on_commit(lambda: import_users_job.delay(str(job.id)))
    return job


def users_import_run(job_id) -> None:
    """Do the work of one import job. Idempotent: only a job still pending is run, so a
    duplicate delivery of the task does nothing (a job interrupted midway stays `running` and
    is not re-run blindly: its first chunks are already written)."""
    job = job_get(job_id)
    if job is None or job.kind != JOB_KIND or job.status != "pending":
        return
    params = job.params
    actor = User.objects.filter(pk=job.started_by_id, is_active=True).first()
    if actor is None:  # never import as "the system" (no scope checks) by accident
        job_finish(job.id, failed=True, result={"message": "starter unavailable"})
        _discard(params.get("file"))
        return
    job_start(job.id)
    try:
        with default_storage.open(params["file"], "rb") as handle:
            data = handle.read()
        with translation.override(params.get("language") or settings.LANGUAGE_CODE):
            try:
                result = users_import(
                    actor=actor, data=data, all_or_nothing=params.get("all_or_nothing", False),
                    chunk_size=_chunk_size(),
                    progress=lambda done, errors: job_advance(job.id, done=done, errors=errors))
            except CsvFileError as exc:
                job_finish(job.id, failed=True, result={"message": str(exc)})
                return
        job_finish(job.id, result=result.as_dict())
    except Exception:
        log.exception("user import job %s failed", job.id)
        job_finish(job.id, failed=True, result={"message": _(
            "The import stopped because of an internal error.")})
        raise
    finally:
        _discard(params.get("file"))


def _discard(name: str | None) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)
