"""The CSV import as a background job: same result as the synchronous import, written in chunks,
progress on the job, the stored upload removed afterwards."""

from datetime import timedelta

import pytest
from django.conf import settings as settings_module
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from backend.accounts import import_jobs
from backend.accounts.import_jobs import users_import_run, users_import_start
from backend.accounts.importing import users_import
from backend.accounts.models import User
from backend.accounts.user_csv import CsvFileError
from backend.audit.models import AuditEntry
from backend.jobs.api import Superseded, job_chunk_commit, job_get
from backend.jobs.api import job_claim as real_claim
from backend.jobs.models import Job, JobChunk
from backend.jobs.recovery import sweep_stale_jobs

HEADER = "email,full_name,organisation,role,cohort\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


ROWS = (
    "a1@mofa.gov.vn,Nguyễn Văn Một,mission,trainee,Lớp K1",
    "a2@mofa.gov.vn,Trần Thị Hai,mission,trainee,Lớp K1",
    "bad-email,Lỗi Địa Chỉ,mission,trainee,",
    "a3@mofa.gov.vn,Lê Văn Ba,dept,trainer,",
    "a4@mofa.gov.vn,Phạm Thị Bốn,dept,trainee,Lớp K1",
    "a5@mofa.gov.vn,Ngoài Phạm Vi,province,trainee,",
)


def test_chunked_job_gives_the_same_result_as_one_transaction(
        admin_user, tree, settings, django_capture_on_commit_callbacks):
    settings.USER_IMPORT_CHUNK_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        job = users_import_start(actor=admin_user, data=csv_bytes(*ROWS))
    chunked = job_get(job.id).result
    assert (chunked["created"], chunked["updated"], chunked["errors"]) == (4, 0, 2)
    assert [r["row"] for r in chunked["rows"]] == [2, 3, 4, 5, 6, 7]
    assert JobChunk.objects.filter(job_id=job.id).count() == 3  # 6 file rows, 2 per chunk
    assert User.objects.get(email="a4@mofa.gov.vn").cohorts.get().name == "Lớp K1"
    assert AuditEntry.objects.filter(verb="users.imported").count() == 3  # one per chunk
    # Run again in one transaction: everything is an update now, nothing duplicated.
    again = users_import(actor=admin_user, data=csv_bytes(*ROWS))
    assert (again.created, again.updated, again.errors) == (0, 4, 2)


def test_job_runs_in_the_task_reports_progress_and_removes_the_upload(
        admin_user, tree, django_capture_on_commit_callbacks, settings):
    settings.USER_IMPORT_CHUNK_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        job = users_import_start(actor=admin_user, data=csv_bytes(*ROWS), language="en")
    done = job_get(job.id)
    assert (done.status, done.total, done.done, done.errors) == ("done", 6, 6, 2)
    assert done.result["created"] == 4 and done.result["errors"] == 2
    errors = {r["row"]: r["message"] for r in done.result["rows"] if r["status"] == "error"}
    assert set(errors) == {4, 7} and "not a valid e-mail" in errors[4]  # in the starter's language
    assert not default_storage.exists(job.params["file"])
    assert User.objects.filter(email__startswith="a").count() == 4


def test_the_task_is_idempotent(admin_user, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = users_import_start(actor=admin_user, data=csv_bytes(ROWS[0]))
    users_import_run(job.id)  # a duplicate delivery: the job is no longer pending
    assert job_get(job.id).done == 1
    assert AuditEntry.objects.filter(verb="users.imported").count() == 1


def test_all_or_nothing_job_writes_nothing(admin_user, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = users_import_start(actor=admin_user, data=csv_bytes(*ROWS), all_or_nothing=True)
    done = job_get(job.id)
    assert done.status == "done" and done.result["written"] is False and done.done == 6
    assert not User.objects.filter(email__startswith="a").exists()


def test_an_unreadable_file_is_refused_before_any_job(admin_user):
    with pytest.raises(CsvFileError):
        users_import_start(actor=admin_user, data=b"email,full_name\na@b.vn,A\n")
    assert not Job.objects.exists()


def test_rest_async_import_answers_202_with_the_job(api, admin_user, tree,
                                                    django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api.force_authenticate(admin_user)
    upload = SimpleUploadedFile("users.csv", csv_bytes(*ROWS), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        response = api.post("/api/v1/users/import/?async=true", {"file": upload},
                            format="multipart")
    assert response.status_code == 202, response.content
    body = response.json()
    assert {"id", "status", "done", "total", "errors"} <= set(body)
    job = api.get(f"/api/v1/jobs/{body['id']}/").json()
    assert job["status"] == "done" and job["done"] == job["total"] == 6
    assert job["result"]["created"] == 4


# --- a worker killed midway (decision 0043) ---------------------------------------------------------

MANY = [f"k{i}@mofa.gov.vn,Nguyễn Văn Số {i},mission,trainee,Lớp K2" for i in range(10)]


class Killed(BaseException):
    """What a SIGKILL looks like from inside: nothing of the run's own cleanup happens."""


def kill_during_chunk(monkeypatch, index: int):
    """Let chunks before `index` commit, then die while writing chunk `index`."""
    real = import_jobs.users_import_write
    calls = {"n": 0}

    def dying(**kwargs):
        if calls["n"] == index:
            raise Killed
        calls["n"] += 1
        return real(**kwargs)

    monkeypatch.setattr(import_jobs, "users_import_write", dying)
    return lambda: monkeypatch.setattr(import_jobs, "users_import_write", real)


def later() -> timezone.datetime:
    return timezone.now() + timedelta(seconds=settings_module.JOBS_STALE_AFTER_SECONDS + 1)


@pytest.fixture
def killed_job(admin_user, tree, settings, monkeypatch, django_capture_on_commit_callbacks):
    """An import of 10 rows in chunks of 3, whose worker died while writing the third chunk."""
    settings.USER_IMPORT_CHUNK_ROWS = 3
    revive = kill_during_chunk(monkeypatch, 2)
    with pytest.raises(Killed), django_capture_on_commit_callbacks(execute=True):
        job = users_import_start(actor=admin_user, data=csv_bytes(*MANY), language="en")
    revive()
    job = Job.objects.get(kind="users.import")
    assert (job.status, job.done, job.total, job.attempts) == ("running", 6, 10, 1)
    return job


def test_the_sweep_resumes_a_killed_import_without_writing_any_row_twice(
        killed_job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # eager: the resumed run happens here
        report = sweep_stale_jobs(now=later())
    assert report.requeued == [str(killed_job.id)]
    job = job_get(killed_job.id)
    assert (job.status, job.done, job.errors, job.attempts) == ("done", 10, 0, 2)
    assert [r["status"] for r in job.result["rows"]] == ["created"] * 10  # none "updated"
    assert [r["row"] for r in job.result["rows"]] == list(range(2, 12))
    assert User.objects.filter(email__startswith="k", email__endswith="@mofa.gov.vn").count() == 10
    assert AuditEntry.objects.filter(verb="users.imported").count() == 4  # one per chunk, once
    assert JobChunk.objects.filter(job_id=job.id).count() == 4
    assert not default_storage.exists(job.params["file"])


def test_a_redelivered_task_resumes_a_stale_import_by_itself(killed_job):
    # Redis hands the unacknowledged message to another worker after its visibility timeout.
    Job.objects.filter(pk=killed_job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    users_import_run(killed_job.id)
    job = job_get(killed_job.id)
    assert (job.status, job.done) == ("done", 10)
    assert [r["status"] for r in job.result["rows"]] == ["created"] * 10


def test_a_live_run_is_not_disturbed_by_a_duplicate_delivery(killed_job):
    Job.objects.filter(pk=killed_job.pk).update(heartbeat_at=timezone.now())  # still beating
    users_import_run(killed_job.id)
    assert job_get(killed_job.id).done == 6  # nothing done twice, nothing done at all


def test_a_slow_run_that_was_replaced_stops_before_writing(killed_job):
    Job.objects.filter(pk=killed_job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    old_lease = real_claim(killed_job.id, kind="users.import")
    sweep_stale_jobs(now=later())  # declares it lost and hands it on (queued, not run here)
    with pytest.raises(Superseded), job_chunk_commit(killed_job.id, old_lease, 2, done=3, errors=0):
        User.objects.create(email="never@mofa.gov.vn", full_name="Không")
    assert not User.objects.filter(email="never@mofa.gov.vn").exists()


def test_after_the_last_attempt_the_job_fails_with_a_reason_for_its_starter(
        killed_job, api, admin_user, client, settings, django_capture_on_commit_callbacks):
    Job.objects.filter(pk=killed_job.pk).update(attempts=settings.JOBS_MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        report = sweep_stale_jobs(now=later())
    assert report.failed == [str(killed_job.id)]
    job = job_get(killed_job.id)
    assert (job.status, job.error_code, job.done) == ("failed", "worker_lost", 6)
    assert not default_storage.exists(job.params["file"])
    api.force_authenticate(admin_user)
    body = api.get(f"/api/v1/jobs/{job.id}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {"id", "status", "done", "total", "errors", "attempts", "error_message"} <= set(body)
    assert body["status"] == "failed" and "stopped 3 times" in body["error_message"]
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])  # a save, which the auth cache sees (decision 0069)
    client.force_login(admin_user)
    page = client.get(f"/manage/import/{job.id}/").content.decode()
    assert "stopped 3 times" in page and "6/10" in page.replace(
        '<span data-field="done">6</span>/<span data-field="total">10</span>', "6/10")

def test_a_large_file_sent_without_async_runs_as_a_job_not_in_the_request(
        api, admin_user, tree, settings, django_capture_on_commit_callbacks):
    """A synchronous import that outlived the worker timeout died after writing part of the file;
    above USER_IMPORT_SYNC_MAX_ROWS the endpoint answers 202 with the job instead."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.USER_IMPORT_SYNC_MAX_ROWS = len(ROWS) - 1
    api.force_authenticate(admin_user)
    upload = SimpleUploadedFile("users.csv", csv_bytes(*ROWS), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/users/import/", {"file": upload}, format="multipart")
    assert response.status_code == 202, response.content
    assert response["Location"] == f"/api/v1/jobs/{response.json()['id']}/"
    job = api.get(response["Location"]).json()
    assert job["status"] == "done" and job["result"]["created"] == 4


def test_a_file_within_the_limit_is_imported_in_the_request(api, admin_user, tree, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.USER_IMPORT_SYNC_MAX_ROWS = len(ROWS)
    api.force_authenticate(admin_user)
    upload = SimpleUploadedFile("users.csv", csv_bytes(*ROWS), content_type="text/csv")
    response = api.post("/api/v1/users/import/", {"file": upload}, format="multipart")
    assert response.status_code == 200 and response.json()["created"] == 4
    assert not Job.objects.exists()
