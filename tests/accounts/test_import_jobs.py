"""The CSV import as a background job: same result as the synchronous import, written in chunks,
progress on the job, the stored upload removed afterwards."""

import pytest
from django.core.files.storage import default_storage
from django.utils import translation

from backend.accounts.import_jobs import users_import_run, users_import_start
from backend.accounts.importing import users_import
from backend.accounts.models import User
from backend.accounts.user_csv import CsvFileError
from backend.audit.models import AuditEntry
from backend.jobs.api import job_get
from backend.jobs.models import Job

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


def test_chunked_import_gives_the_same_result_as_one_transaction(admin_user, tree):
    progress = []
    chunked = users_import(actor=admin_user, data=csv_bytes(*ROWS), chunk_size=2,
                           progress=lambda done, errors: progress.append((done, errors)))
    assert (chunked.created, chunked.updated, chunked.errors) == (4, 0, 2)
    assert progress == [(2, 2), (2, 0), (2, 0)]  # bad rows after validation, then 2 chunks
    assert [r["row"] for r in chunked.rows] == [2, 3, 4, 5, 6, 7]
    assert User.objects.get(email="a4@mofa.gov.vn").cohorts.get().name == "Lớp K1"
    assert AuditEntry.objects.filter(verb="users.imported").count() == 2  # one per chunk
    # Run again: everything is an update now, nothing duplicated.
    again = users_import(actor=admin_user, data=csv_bytes(*ROWS), chunk_size=3)
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
