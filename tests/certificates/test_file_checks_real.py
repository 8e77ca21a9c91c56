"""Verify this file, end to end with the real checkers: a certificate's own PDF (PAdES, from the
pades branch) and its Open Badges credential (Data Integrity proof, from the creds branch), as
the holder downloads them, dropped on POST /api/v1/verify/file/ and on the page.

Until both branches are merged these tests FAIL on purpose (the reinstate branch builds the
dispatcher, the page and the API, not the checkers): each says which module it is waiting for.
After the merge they prove the whole chain: intact file -> code -> status from the row, for
valid, revoked, reinstated, re-issued (older revision) and tampered files.
"""

import importlib
import importlib.util
import json

import pytest
from django.core.cache import cache

from backend.accounts.models import User
from certificates.services import (
    certificate_reinstate,
    certificate_reissue,
    certificate_revoke,
)
from tests.certificates.factories import issued_certificate

API = "/api/v1/verify/file/"


def needs(module: str, branch: str) -> None:
    if importlib.util.find_spec(module.rpartition(".")[0]) is None:
        pytest.fail(f"{module} comes with the {branch} branch: merge it (this test is written to "
                    "run after the merge)")
    importlib.import_module(module)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issued(tree, trainee):
    return issued_certificate(tree, trainee, title="Kỹ năng thông tin đối ngoại")


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def download_pdf(api, certificate, holder) -> bytes:
    r = as_user(api, holder).get(f"/api/v1/certificates/{certificate.pk}/pdf/")
    assert r.status_code == 200, r.content[:300]
    api.force_authenticate(None)
    return b"".join(r.streaming_content) if r.streaming else r.content


def download_credential(api, certificate, holder) -> bytes:
    r = as_user(api, holder).get(f"/api/v1/certificates/{certificate.pk}/credential/")
    assert r.status_code == 200, r.content[:300]
    api.force_authenticate(None)
    return r.content


def check(api, data: bytes, name: str) -> dict:
    api.force_authenticate(None)  # anyone may check a file
    r = api.post(API, {"file": _upload(name, data)}, format="multipart")
    assert r.status_code == 200, r.content[:300]
    return r.json()


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def one_byte_changed(pdf: bytes) -> bytes:
    """A byte inside the first content stream (the page's text and drawing), which the
    signature covers; the file's structure (offsets, trailer) is left as it was."""
    start = pdf.index(b"stream", pdf.index(b"obj")) + len(b"stream\n") + 16
    changed = bytearray(pdf)
    changed[start] ^= 0x01
    return bytes(changed)


def assert_names_the_certificate(verdict: dict, certificate) -> None:
    assert verdict["code"] == certificate.code and verdict["serial"] == certificate.serial
    assert verdict["holder_name"] == certificate.holder_name
    assert verdict["course"] == "Kỹ năng thông tin đối ngoại"
    assert verdict["issuer"] == certificate.issuer_name
    assert verdict["signed_by"]  # the signer (PDF) or the verification method (credential)
    assert verdict["verify_url"].endswith(f"/verify/{certificate.code}/")


# --- PDF (PAdES) ---------------------------------------------------------------------------------

def test_a_rendered_pdf_reads_valid_then_revoked_then_valid_again(api, issued, trainee,
                                                                  admin_user):
    needs("certificates.pades.check", "pades")
    pdf = download_pdf(api, issued, trainee)
    verdict = check(api, pdf, "giay-chung-nhan.pdf")
    assert verdict["kind"] == "pdf" and verdict["outcome"] == "valid", verdict
    assert_names_the_certificate(verdict, issued)

    certificate_revoke(actor=admin_user, certificate_id=issued.pk, reason="Cấp nhầm người")
    assert check(api, pdf, "giay-chung-nhan.pdf")["outcome"] == "revoked"
    stamped = download_pdf(api, issued, trainee)  # re-drawn "ĐÃ THU HỒI", signed again
    assert check(api, stamped, "da-thu-hoi.pdf")["outcome"] == "revoked"

    certificate_reinstate(actor=admin_user, certificate_id=issued.pk, reason="Thu hồi nhầm")
    assert check(api, pdf, "giay-chung-nhan.pdf")["outcome"] == "valid"


def test_a_pdf_with_one_byte_changed_is_tampered(api, issued, trainee):
    needs("certificates.pades.check", "pades")
    pdf = download_pdf(api, issued, trainee)
    verdict = check(api, one_byte_changed(pdf), "giay-chung-nhan.pdf")
    assert verdict["outcome"] == "tampered", verdict
    assert verdict["verify_url"] is None and verdict["detail"]


def test_an_older_revision_says_a_newer_one_exists(api, issued, trainee, admin_user,
                                                   django_capture_on_commit_callbacks):
    needs("certificates.pades.check", "pades")
    old = download_pdf(api, issued, trainee)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_reissue(actor=admin_user, certificate_id=issued.pk, reason="Đổi tên")
    verdict = check(api, old, "ban-cu.pdf")
    assert verdict["outcome"] == "valid" and verdict["current_revision"] == 2
    assert verdict["revision"] in (1, None)  # 1 when the PDF tells its revision
    if verdict["revision"] == 1:
        page = api.post("/verify/file/", {"file": _upload("ban-cu.pdf", old)}, format="multipart")
        assert "data-older-revision" in page.content.decode()


def test_the_page_shows_a_real_pdf_as_valid(client, issued, trainee, api):
    needs("certificates.pades.check", "pades")
    pdf = download_pdf(api, issued, trainee)
    html = client.post("/verify/file/", {"file": _upload("gcn.pdf", pdf)}).content.decode()
    assert 'data-outcome="valid"' in html and issued.holder_name in html
    assert f'href="/verify/{issued.code}/"' in html


# --- Open Badges credential (Data Integrity) ----------------------------------------------------

def test_a_credential_reads_valid_then_revoked_then_valid_again(api, issued, trainee, admin_user):
    needs("certificates.credentials.check", "creds")
    credential = download_credential(api, issued, trainee)
    verdict = check(api, credential, "credential.json")
    assert verdict["kind"] == "credential" and verdict["outcome"] == "valid", verdict
    assert_names_the_certificate(verdict, issued)

    certificate_revoke(actor=admin_user, certificate_id=issued.pk, reason="Cấp nhầm người")
    assert check(api, credential, "credential.json")["outcome"] == "revoked"
    certificate_reinstate(actor=admin_user, certificate_id=issued.pk, reason="Thu hồi nhầm")
    assert check(api, credential, "credential.json")["outcome"] == "valid"


def test_an_edited_credential_is_tampered(api, issued, trainee):
    needs("certificates.credentials.check", "creds")
    credential = json.loads(download_credential(api, issued, trainee))
    credential["credentialSubject"]["achievement"]["name"] = "Một khóa học khác"
    verdict = check(api, json.dumps(credential, ensure_ascii=False).encode(), "credential.json")
    assert verdict["outcome"] == "tampered", verdict
    assert verdict["verify_url"] is None


def test_a_credential_without_its_proof_is_not_signed_by_us(api, issued, trainee):
    needs("certificates.credentials.check", "creds")
    credential = json.loads(download_credential(api, issued, trainee))
    credential.pop("proof", None)
    verdict = check(api, json.dumps(credential).encode(), "credential.json")
    assert verdict["outcome"] in ("tampered", "unknown"), verdict
    assert verdict["verify_url"] is None
