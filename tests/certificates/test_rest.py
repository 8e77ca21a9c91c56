"""REST: who sees which certificate, PDF download, revoke/re-issue, badge, templates, bulk jobs,
ZIP, and the public verification endpoint."""

import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from django.core.cache import cache

from backend.accounts.models import Role, User
from certificates.models import Certificate
from certificates.rendering import render_one
from certificates.services import certificate_issue
from tests.certificates.factories import certificate_course, complete, make_template
from tests.factories import CohortFactory, UserFactory, user_with_role


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def course(tree):
    make_template(tree["central"])
    return certificate_course(tree["ministry"], title="Kỹ năng thông tin đối ngoại")


@pytest.fixture
def issued(course, trainee):
    complete(course, trainee)
    certificate, _ = certificate_issue(user_id=trainee.pk, course_id=course.pk)
    render_one(certificate)
    certificate.refresh_from_db()
    return certificate


def test_owner_and_administrators_see_it_others_do_not(api, issued, trainee, admin_user, tree,
                                                       django_assert_max_num_queries):
    other = UserFactory(organisation=tree["mission"])
    outsider_admin = user_with_role(Role.ADMINISTRATOR, tree["province"])
    for user, expected in ((trainee, [issued.pk]), (admin_user, [issued.pk]), (other, []),
                           (outsider_admin, [])):
        as_user(api, user)
        ids = [c["id"] for c in api.get("/api/v1/certificates/").json()["results"]]
        assert ids == expected, user
        detail = api.get(f"/api/v1/certificates/{issued.pk}/")
        assert detail.status_code == (200 if expected else 404)
    as_user(api, trainee)
    body = api.get(f"/api/v1/certificates/{issued.pk}/").json()
    for key in ("id", "serial", "code", "status", "issued_at", "expires_at", "course", "holder_name",
                "verify_url", "pdf_url"):
        assert key in body
    assert body["status"] == "valid" and body["course"] == issued.course_id
    assert body["verify_url"].endswith(f"/verify/{issued.code}/")


def test_list_query_count_does_not_grow_with_rows(api, course, admin_user, tree,
                                                  django_assert_max_num_queries):
    for _ in range(6):
        user = UserFactory(organisation=tree["dept"])
        complete(course, user)
        certificate_issue(user_id=user.pk, course_id=course.pk)
    as_user(api, admin_user)
    with django_assert_max_num_queries(4):  # role scopes, count, page (+ session-less auth)
        r = api.get("/api/v1/certificates/")
    assert r.json()["count"] == 6


def test_pdf_download_streams_with_both_filenames(api, issued, trainee):
    as_user(api, trainee)
    r = api.get(f"/api/v1/certificates/{issued.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content).startswith(b"%PDF")
    disposition = r["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and "filename*=UTF-8''" in disposition
    ascii_part = disposition.split('filename="')[1].split('"')[0]
    assert ascii_part.isascii() and "Nguyen Van Thu" in ascii_part
    assert unquote(disposition.split("UTF-8''")[1]).endswith(f"{issued.holder_name}.pdf")


def test_pdf_names_cannot_be_guessed_and_nginx_can_send_them(api, issued, trainee, tree,
                                                             settings):
    assert re.fullmatch(r"certificates/\d{4}/[0-9a-f]{32}\.pdf", issued.pdf.name)
    settings.PRIVATE_MEDIA_ACCEL = "nginx"
    r = as_user(api, trainee).get(f"/api/v1/certificates/{issued.pk}/pdf/")
    assert r.status_code == 200 and r.content == b""
    assert r["X-Accel-Redirect"] == "/protected-media/" + issued.pdf.name
    assert r["Content-Type"] == "application/pdf" and r["Content-Disposition"].startswith("attachment;")
    assert r["Cache-Control"] == "private, no-store"
    stranger = user_with_role(Role.TRAINEE, tree["mission"])
    denied = as_user(api, stranger).get(f"/api/v1/certificates/{issued.pk}/pdf/")
    assert denied.status_code == 404 and "X-Accel-Redirect" not in denied


def test_pdfs_stored_under_old_names_move_to_keyed_ones(api, issued, trainee,
                                                        django_capture_on_commit_callbacks):
    import importlib

    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    rename = importlib.import_module("certificates.migrations.0003_rename_pdfs_to_private_names").rename
    keyed = issued.pdf.name
    old = default_storage.save(f"certificates/2026/{issued.pk}-r1.pdf",
                               ContentFile(default_storage.open(keyed).read()))
    default_storage.delete(keyed)
    Certificate.objects.filter(pk=issued.pk).update(pdf=old)
    with django_capture_on_commit_callbacks(execute=True):
        rename(apps, None)
    issued.refresh_from_db()
    assert issued.pdf.name == keyed and not default_storage.exists(old)
    r = as_user(api, trainee).get(f"/api/v1/certificates/{issued.pk}/pdf/")
    assert b"".join(r.streaming_content).startswith(b"%PDF")


def test_revoke_requires_administrator_and_reason_then_pdf_is_stamped(api, issued, trainee,
                                                                      admin_user, poppler):
    as_user(api, trainee)
    assert api.post(f"/api/v1/certificates/{issued.pk}/revoke/", {"reason": "x"}).status_code == 403
    as_user(api, admin_user)
    r = api.post(f"/api/v1/certificates/{issued.pk}/revoke/", {})
    assert r.status_code == 400 and "reason" in r.json()["fields"]
    r = api.post(f"/api/v1/certificates/{issued.pk}/revoke/", {"reason": "Cấp nhầm người"})
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    as_user(api, trainee)
    pdf = api.get(f"/api/v1/certificates/{issued.pk}/pdf/").content
    import subprocess

    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    assert "ĐÃ THU HỒI" in text and issued.holder_name in text


def test_reinstate_requires_administrator_reason_and_a_revocation(api, issued, trainee,
                                                                  admin_user, tree):
    url = f"/api/v1/certificates/{issued.pk}/reinstate/"
    as_user(api, admin_user)
    r = api.post(url, {"reason": "Thu hồi nhầm"})
    assert r.status_code == 409 and r.json()["code"] == "not_revoked"
    api.post(f"/api/v1/certificates/{issued.pk}/revoke/", {"reason": "Cấp nhầm người"})
    as_user(api, trainee)  # the holder sees it, never changes it
    assert api.post(url, {"reason": "Thu hồi nhầm"}).status_code == 403
    as_user(api, user_with_role(Role.ADMINISTRATOR, tree["province"]))  # cannot even see it
    assert api.post(url, {"reason": "Thu hồi nhầm"}).status_code == 404
    api.force_authenticate(None)
    assert api.post(url, {"reason": "Thu hồi nhầm"}).status_code == 401
    as_user(api, admin_user)
    r = api.post(url, {})
    assert r.status_code == 400 and "reason" in r.json()["fields"]
    r = api.post(url, {"reason": "   "})
    assert r.status_code == 400 and "reason" in r.json()["fields"]
    r = api.post(url, {"reason": "Thu hồi nhầm: đúng người học"})
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "valid" and body["revoked_at"] is None and body["revoked_reason"] == ""
    assert body["reinstated_at"] and body["reinstated_reason"] == "Thu hồi nhầm: đúng người học"
    assert api.post(url, {"reason": "Lần nữa"}).json()["code"] == "not_revoked"


def test_after_reinstatement_the_holder_downloads_the_unstamped_pdf(api, issued, trainee,
                                                                    admin_user, poppler):
    import subprocess

    as_user(api, admin_user)
    api.post(f"/api/v1/certificates/{issued.pk}/revoke/", {"reason": "Cấp nhầm người"})
    api.post(f"/api/v1/certificates/{issued.pk}/reinstate/", {"reason": "Thu hồi nhầm"})
    as_user(api, trainee)
    r = api.get(f"/api/v1/certificates/{issued.pk}/pdf/")
    pdf = b"".join(r.streaming_content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    assert issued.holder_name in text and "ĐÃ THU HỒI" not in text


def test_verify_json_says_when_and_why_it_was_reinstated(api, issued, admin_user):
    as_user(api, admin_user)
    api.post(f"/api/v1/certificates/{issued.pk}/revoke/", {"reason": "Sai thông tin"})
    api.post(f"/api/v1/certificates/{issued.pk}/reinstate/", {"reason": "Thông tin vẫn đúng"})
    api.force_authenticate(None)
    body = api.get(f"/api/v1/verify/{issued.code}/").json()
    assert body["status"] == "valid" and body["revoked_at"] is None
    assert body["revocation_reason"] == ""
    assert body["reinstated_at"] and body["reinstatement_reason"] == "Thông tin vẫn đúng"


def test_reissue_keeps_the_code(api, issued, admin_user, django_capture_on_commit_callbacks):
    as_user(api, admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/v1/certificates/{issued.pk}/reissue/", {"reason": "Đổi mẫu"})
    assert r.status_code == 200
    body = r.json()
    assert body["code"] == issued.code and body["revision"] == 2 and body["serial"] != issued.serial
    assert api.get(f"/api/v1/certificates/{issued.pk}/").json()["pdf_ready"]  # drawn after commit


def test_badge_is_the_signed_credential(api, issued, trainee):
    """The deprecated /badge/ answers the same bytes as /credential/."""
    as_user(api, trainee)
    response = api.get(f"/api/v1/certificates/{issued.pk}/badge/")
    badge = response.json()
    assert response.content == api.get(f"/api/v1/certificates/{issued.pk}/credential/").content
    assert "OpenBadgeCredential" in badge["type"] and badge["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert badge["id"].endswith(f"/verify/{issued.code}/#r1")
    assert badge["credentialSubject"]["achievement"]["name"] == "Kỹ năng thông tin đối ngoại"


def test_verify_json_shows_status_without_personal_data(api, issued, admin_user):
    r = api.get(f"/api/v1/verify/{issued.code.lower().replace('-', '')}/")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "valid" and body["holder_name"] == issued.holder_name
    assert body["course"] == "Kỹ năng thông tin đối ngoại"
    assert body["issuer"] == "Trường Bồi dưỡng cán bộ thông tin đối ngoại"
    assert body["revoked_at"] is None
    flat = str(body)
    assert "@" not in flat and "user" not in body and "email" not in body
    as_user(api, admin_user)
    api.post(f"/api/v1/certificates/{issued.pk}/revoke/", {"reason": "Sai thông tin"})
    api.force_authenticate(None)
    body = api.get(f"/api/v1/verify/{issued.code}/").json()
    assert body["status"] == "revoked" and body["revocation_reason"] == "Sai thông tin"
    assert body["revoked_at"]


def test_unknown_and_malformed_codes_get_the_same_answer(api, issued):
    unknown = api.get("/api/v1/verify/ABCD-EFGH-JKMN-PQRS/")
    malformed = api.get("/api/v1/verify/not-a-code/")
    assert unknown.status_code == malformed.status_code == 404
    assert unknown.content == malformed.content
    assert unknown.json()["code"] == "not_found" and set(unknown.json()) == {"code", "message", "fields"}


def test_verify_is_rate_limited(api, issued, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"verify": "3/min", "anon": "100/min"}}
    codes = [api.get(f"/api/v1/verify/{issued.code}/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_templates_crud_for_administrators(api, tree, admin_user, trainee):
    from tests.certificates.images import seal_png

    as_user(api, trainee)
    assert api.post("/api/v1/certificate-templates/", {"organisation": "ministry"}).status_code in (400, 403)
    as_user(api, admin_user)
    r = api.post("/api/v1/certificate-templates/", {
        "organisation": "ministry", "issuer_name": "Học viện Ngoại giao", "signer_title": "Giám đốc",
        "signer_name": "Phạm Văn A", "serial_pattern": "{seq.__class__}"})
    assert r.status_code == 400 and "serial_pattern" in r.json()["fields"]
    r = api.post("/api/v1/certificate-templates/", {
        "organisation": "ministry", "issuer_name": "Học viện Ngoại giao", "signer_title": "Giám đốc",
        "signer_name": "Phạm Văn A", "validity_months": 24,
        "seal_image": io.BytesIO(seal_png())}, format="multipart")
    assert r.status_code == 201, r.json()
    template = r.json()
    assert template["has_seal_image"] and template["validity_months"] == 24
    r = api.post("/api/v1/certificate-templates/", {
        "organisation": "central", "issuer_name": "X", "signer_title": "Y", "signer_name": "Z"})
    assert r.status_code == 403  # central is above the administrator's subtree
    r = api.patch(f"/api/v1/certificate-templates/{template['id']}/", {"place": "Huế"})
    assert r.status_code == 200 and r.json()["place"] == "Huế"
    assert [t["id"] for t in api.get("/api/v1/certificate-templates/").json()] == [template["id"]]
    assert api.delete(f"/api/v1/certificate-templates/{template['id']}/").status_code == 204


def test_bulk_issue_job_is_idempotent_and_reports_progress(api, course, tree, admin_user,
                                                           django_capture_on_commit_callbacks, settings):
    settings.CERTIFICATES_BULK_CHUNK = 2
    people = [UserFactory(organisation=tree["dept"]) for _ in range(5)]
    for user in people:
        complete(course, user)
    Certificate.objects.all().delete()  # as if the automatic issue had not happened
    as_user(api, admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/v1/courses/{course.pk}/certificates/issue/", {}, format="json")
    assert r.status_code == 202
    job = api.get(r.json()["url"]).json()
    assert (job["status"], job["done"], job["total"], job["errors"]) == ("done", 5, 5, 0)
    assert Certificate.objects.filter(course=course).count() == 5
    assert all(c.pdf_ready for c in Certificate.objects.all())
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post(f"/api/v1/courses/{course.pk}/certificates/issue/", {}, format="json")
    job = api.get(again.json()["url"]).json()
    assert (job["status"], job["done"], job["errors"]) == ("done", 5, 0)
    assert Certificate.objects.count() == 5  # nothing new
    assert len({c.serial for c in Certificate.objects.all()}) == 5
    # ... and the result says so: 0 new, 5 issued before (not "5 done" read as "5 issued").
    assert job["result"]["counts"] == {"created": 0, "already_issued": 5, "skipped": 0, "failed": 0}


def test_bulk_manual_issue_by_email_reports_unknown_and_unenrolled(
        api, course, tree, admin_user, django_capture_on_commit_callbacks):
    from tests.courses.factories import enrol

    enrolled = UserFactory(organisation=tree["dept"], email="hoc.vien@example.vn")
    enrol(course, enrolled)
    stranger = UserFactory(organisation=tree["dept"], email="nguoi.la@example.vn")
    as_user(api, admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/v1/courses/{course.pk}/certificates/issue/", {
            "emails": ["Hoc.Vien@example.vn", stranger.email, "khong.co@example.vn"]}, format="json")
    job = api.get(r.json()["url"]).json()
    assert (job["done"], job["errors"], job["total"]) == (1, 2, 3)
    messages = {e["email"]: e["message"] for e in job["result"]["errors"]}
    assert set(messages) == {"nguoi.la@example.vn", "khong.co@example.vn"}
    assert job["result"]["counts"] == {"created": 1, "already_issued": 0, "skipped": 2, "failed": 0}
    assert Certificate.objects.get().user_id == enrolled.pk and Certificate.objects.get().manual


def test_bulk_issue_for_a_cohort_and_only_by_course_administrators(
        api, course, tree, admin_user, trainee, django_capture_on_commit_callbacks):
    members = [UserFactory(organisation=tree["dept"]) for _ in range(2)]
    outside = UserFactory(organisation=tree["dept"])
    for user in [*members, outside]:
        complete(course, user)
    Certificate.objects.all().delete()
    cohort = CohortFactory(organisation=tree["ministry"])
    cohort.members.add(*members)
    as_user(api, trainee)
    assert api.post(f"/api/v1/courses/{course.pk}/certificates/issue/", {}).status_code == 403
    as_user(api, admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/v1/courses/{course.pk}/certificates/issue/", {"cohort": cohort.pk},
                     format="json")
    assert api.get(r.json()["url"]).json()["done"] == 2
    assert set(Certificate.objects.values_list("user_id", flat=True)) == {m.pk for m in members}
    zipped = api.get(f"/api/v1/courses/{course.pk}/certificates/zip/?cohort={cohort.pk}")
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content)))
    assert archive.testzip() is None and len(archive.namelist()) == 2
    assert all(archive.read(n).startswith(b"%PDF") for n in archive.namelist())


@pytest.fixture
def killed_bulk_issue(api, course, tree, admin_user, settings, django_capture_on_commit_callbacks,
                      monkeypatch):
    """A bulk issue of 5 people in chunks of 2 whose worker died in the second chunk."""
    from certificates import bulk
    from certificates.models import BulkIssueChunk

    settings.CERTIFICATES_BULK_CHUNK = 2
    for _ in range(5):
        complete(course, UserFactory(organisation=tree["dept"]))
    Certificate.objects.all().delete()
    real = bulk.run_chunk

    def crash_on_second(job_id, index, **kw):
        if index == 1:
            raise SystemExit("worker killed")  # not an Exception: nothing records the chunk
        return real(job_id, index, **kw)

    monkeypatch.setattr(bulk, "run_chunk", crash_on_second)
    as_user(api, admin_user)
    with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
        api.post(f"/api/v1/courses/{course.pk}/certificates/issue/", {}, format="json")
    monkeypatch.setattr(bulk, "run_chunk", real)
    return BulkIssueChunk.objects.values_list("job_id", flat=True).first()


def test_resume_reruns_only_unfinished_chunks(api, killed_bulk_issue,
                                              django_capture_on_commit_callbacks):
    from certificates.models import BulkIssueChunk

    job = killed_bulk_issue
    assert api.get(f"/api/v1/jobs/{job}/").json()["status"] == "running"
    assert Certificate.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/v1/certificates/jobs/{job}/resume/")
    assert r.status_code == 202
    state = api.get(f"/api/v1/jobs/{job}/").json()
    assert (state["status"], state["done"], state["total"]) == ("done", 5, 5)
    assert Certificate.objects.count() == 5
    assert sorted(BulkIssueChunk.objects.values_list("index", flat=True)) == [0, 1, 2]


def test_the_stale_job_sweep_resumes_a_bulk_issue_whose_worker_died(
        api, killed_bulk_issue, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from backend.jobs.recovery import sweep_stale_jobs

    with django_capture_on_commit_callbacks(execute=True):
        report = sweep_stale_jobs(now=timezone.now() + timedelta(hours=1))
    assert report.requeued == [str(killed_bulk_issue)]
    state = api.get(f"/api/v1/jobs/{killed_bulk_issue}/").json()
    assert (state["status"], state["done"], state["total"], state["attempts"]) == ("done", 5, 5, 2)
    assert Certificate.objects.count() == 5  # one per person, none twice


def test_certificate_links_are_what_the_schema_says(api, issued, trainee):
    from tests.api.conformance import assert_conforms

    as_user(api, trainee)
    detail = api.get(f"/api/v1/certificates/{issued.pk}/")
    assert detail.json()["pdf_url"] == f"/api/v1/certificates/{issued.pk}/pdf/"  # a path on this site
    assert_conforms(detail, "GET", "/api/v1/certificates/{id}/")
    assert_conforms(api.get("/api/v1/certificates/"), "GET", "/api/v1/certificates/")
