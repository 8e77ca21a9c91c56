"""Bulk issue as a job: the target list is fixed when the job starts, then cut into chunks that
Celery workers process in parallel, each chunk issuing in one transaction (one serial-book lock,
one bulk insert), rendering its PDFs and advancing the job's counters.

Idempotent and resumable: issuing skips people who already hold the certificate, each chunk's
counts are stored on its own row and *replace* what that chunk reported before, and resuming
re-queues only the chunks that never finished.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.api import cohort_get, cohort_member_ids, user_ids_by_emails, users_get
from backend.errors import Conflict, DomainError
from backend.jobs.api import JobData, JobStatus, job_advance, job_create, job_finish, job_get, job_start
from certificates import services
from certificates.models import BulkIssueChunk
from courses.api import enrolments_for_course

JOB_KIND = "certificates.bulk_issue"
MAX_MESSAGES = 200
# The job's result tells these apart (``result["counts"]``): a repeat after a revocation is
# "0 created, 12 already issued", not "12 done".
COUNTS = ("created", "already_issued", "skipped", "failed")


def issue_counts(*, created: int = 0, already_issued: int = 0, skipped: int = 0,
                 failed: int = 0) -> dict[str, int]:
    return {"created": created, "already_issued": already_issued, "skipped": skipped,
            "failed": failed}


def chunk_size() -> int:
    return max(1, int(getattr(settings, "CERTIFICATES_BULK_CHUNK", 100)))


def _targets(course_id: int, *, cohort_id: int | None, user_ids: list[int] | None,
             emails: list[str] | None) -> tuple[list[int], list[str], bool]:
    """(user ids, unknown e-mails, manual). Naming people makes it a manual issue."""
    manual = bool(user_ids or emails)
    unknown: list[str] = []
    ids: list[int] = list(dict.fromkeys(user_ids or []))
    if emails:
        found = user_ids_by_emails(emails)
        wanted = list(dict.fromkeys(e.strip().lower() for e in emails if e and e.strip()))
        unknown = [e for e in wanted if e not in found]
        ids += [found[e] for e in wanted if e in found and found[e] not in ids]
    if cohort_id is not None:
        if cohort_get(cohort_id=cohort_id) is None:
            raise DomainError(_("Unknown cohort."), code="not_found", status=404)
        members = cohort_member_ids(cohort_id)
        ids = [u for u in ids if u in set(members)] if manual else members
    if not manual and cohort_id is None:
        ids = [e.user_id for e in enrolments_for_course(course_id=course_id)]
    elif not manual:
        completed = {e.user_id for e in enrolments_for_course(course_id=course_id, user_ids=ids)}
        ids = [u for u in ids if u in completed]
    return sorted(set(ids)), unknown, manual


@transaction.atomic
def bulk_issue_start(*, actor, course_id: int, cohort_id: int | None = None,
                     user_ids: list[int] | None = None, emails: list[str] | None = None) -> JobData:
    """Check, fix the target list and queue the chunks (after commit). Returns the job."""
    from certificates.tasks import bulk_issue_chunk

    services.ensure_manageable_course(actor=actor, course_id=course_id)
    services.course_for_issue(course_id)  # fail now (409) rather than in every chunk
    ids, unknown, manual = _targets(course_id, cohort_id=cohort_id, user_ids=user_ids, emails=emails)
    size = chunk_size()
    chunks = (len(ids) + size - 1) // size
    job = job_create(kind=JOB_KIND, started_by=actor, total=len(ids) + len(unknown), params={
        "course_id": course_id, "cohort_id": cohort_id, "user_ids": ids, "manual": manual,
        "chunk_size": size, "chunks": chunks, "unknown_emails": unknown,
        "actor_id": actor.pk if actor is not None else None})
    job_start(job.id)
    if unknown:
        job_advance(job.id, errors=len(unknown))
    if chunks == 0:
        _finish(job.id)
    else:
        transaction.on_commit(lambda: [bulk_issue_chunk.delay(str(job.id), i) for i in range(chunks)])
    return job_get(job.id)


def bulk_issue_resume(*, actor, job_id) -> JobData:
    """Re-queue the chunks of a stopped job that never finished (finished ones are skipped)."""
    job = job_get(job_id)
    if job is None or job.kind != JOB_KIND:
        raise DomainError(_("Not found."), code="not_found", status=404)
    services.ensure_manageable_course(actor=actor, course_id=job.params["course_id"])
    if job.status == JobStatus.DONE:
        raise Conflict(_("This job has already finished."), code="job_finished")
    bulk_issue_requeue(str(job.id))
    return job_get(job.id)


def bulk_issue_requeue(job_id: str) -> None:
    """Run again every chunk that never finished (also how the stale-job sweep resumes it).
    A chunk still in flight may run twice: issuing and rendering are idempotent."""
    from certificates.tasks import bulk_issue_chunk

    job = job_get(job_id)
    if job is None or job.status == JobStatus.DONE:
        return
    finished = set(BulkIssueChunk.objects.filter(job_id=job.id, finished_at__isnull=False)
                   .values_list("index", flat=True))
    pending = [i for i in range(job.params["chunks"]) if i not in finished]
    job_start(job.id)
    if not pending:
        _finish(job.id)
    for index in pending:
        bulk_issue_chunk.delay(str(job.id), index)


def _actor(job: JobData):
    from django.contrib.auth import get_user_model

    actor_id = job.params.get("actor_id")
    return get_user_model().objects.filter(pk=actor_id).first() if actor_id else None


def run_chunk(job_id, index: int, *, render: Callable, notify: Callable) -> None:
    job = job_get(job_id)
    if job is None or job.status == JobStatus.DONE:
        return
    size = job.params["chunk_size"]
    user_ids = job.params["user_ids"][index * size:(index + 1) * size]
    messages: list[dict] = []
    try:
        batch = services.certificates_issue(course_id=job.params["course_id"], user_ids=user_ids,
                                            actor=_actor(job), manual=job.params["manual"])
    except DomainError as exc:  # e.g. the template was deleted meanwhile: the chunk fails whole
        messages = [{"user_id": u, "message": exc.message} for u in user_ids]
        _record(job.id, index, done=0, errors=len(user_ids), messages=messages,
                counts=issue_counts(failed=len(user_ids)))
        return
    certificates = batch.created + batch.existing
    rendered, failed = render([c.pk for c in certificates])
    for certificate in certificates:
        if certificate.pk in failed:
            from certificates.rendering import mark_failed

            exc = failed[certificate.pk]
            mark_failed(certificate.pk, f"{type(exc).__name__}: {exc}", final=True)
            messages.append({"user_id": certificate.user_id,
                             "message": _("The certificate was issued but its PDF failed.")})
    messages += [{"user_id": u, "message": m} for u, m in batch.refused.items()]
    if rendered:
        notify(rendered)
    errors = len(batch.refused) + len(failed)
    counts = issue_counts(  # a certificate whose PDF failed counts as failed, not as issued
        created=sum(1 for c in batch.created if c.pk not in failed),
        already_issued=sum(1 for c in batch.existing if c.pk not in failed),
        skipped=len(batch.refused), failed=len(failed))
    _record(job.id, index, done=len(user_ids) - errors, errors=errors, messages=messages,
            counts=counts)


@transaction.atomic
def _record(job_id, index: int, *, done: int, errors: int, messages: list[dict],
            counts: dict[str, int]) -> None:
    chunk, _new = BulkIssueChunk.objects.select_for_update().get_or_create(job_id=job_id, index=index)
    job_advance(job_id, done=done - chunk.done, errors=errors - chunk.errors)
    chunk.done, chunk.errors, chunk.messages = done, errors, messages[:MAX_MESSAGES]
    chunk.counts = counts
    chunk.finished_at = timezone.now()
    chunk.save()
    job = job_get(job_id)
    finished = BulkIssueChunk.objects.filter(job_id=job_id, finished_at__isnull=False).count()
    if finished >= job.params["chunks"]:
        transaction.on_commit(lambda: _finish(job_id))


def _finish(job_id) -> None:
    job = job_get(job_id)
    if job is None:
        return
    unknown = job.params.get("unknown_emails", [])
    messages = [{"email": e, "message": _("No active user has this e-mail address.")}
                for e in unknown]
    counts = issue_counts(skipped=len(unknown))
    for chunk in BulkIssueChunk.objects.filter(job_id=job_id).order_by("index"):
        messages += chunk.messages
        for key in COUNTS:
            counts[key] += int(chunk.counts.get(key, 0))
    names = users_get({m["user_id"] for m in messages if "user_id" in m})
    for m in messages:
        user = names.get(m.get("user_id"))
        if user is not None:
            m["email"] = user.email
    job_finish(job_id, result={"errors": messages[:MAX_MESSAGES], "counts": counts})
