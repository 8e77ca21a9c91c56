"""Verify this file: type by content, size limits, refusals naming `file` in the caller's language,
the rate limit shared with the verification by code, no sign-in needed, the file never stored,
and no 5xx whatever the bytes or the checker do. The page (/verify/file/) and the API
(POST /api/v1/verify/file/) share all of it.

The real PAdES and credential checkers come from other branches; here `stand_in_checkers`
stands in for them (tests/certificates/test_file_checks_real.py runs the real ones)."""

import json
import os

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backend.accounts.models import Role, User
from certificates import file_checks
from certificates.services import certificate_reinstate, certificate_revoke
from certificates.verdicts import FileKind
from tests.certificates import stand_in_checkers
from tests.certificates.factories import issued_certificate
from tests.e2e.catalogue import vietnamese
from tests.factories import user_with_role

API = "/api/v1/verify/file/"
PAGE = "/verify/file/"
STAND_IN = "tests.certificates.stand_in_checkers."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def checkers(monkeypatch):
    """Both kinds answered by the trusting stand-in (status from the row, no signature)."""
    stand_in_checkers.SEEN.clear()
    monkeypatch.setitem(file_checks.CHECKERS, FileKind.PDF, STAND_IN + "trusting")
    monkeypatch.setitem(file_checks.CHECKERS, FileKind.CREDENTIAL, STAND_IN + "trusting")
    return stand_in_checkers.SEEN


@pytest.fixture
def issued(tree, trainee):
    return issued_certificate(tree, trainee)


def upload(data: bytes, name: str = "giay-chung-nhan.pdf", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf_carrying(code: str, revision: int = 1, size: int = 0) -> bytes:
    body = f"%PDF-1.7\n% code: {code}\n% revision: {revision}\n".encode()
    return body + b"0" * max(0, size - len(body))


def post(api, data: bytes, **kwargs):
    return api.post(API, {"file": upload(data, **kwargs)}, format="multipart")


# --- what the dispatcher tells apart ----------------------------------------------------------

@pytest.mark.parametrize(("data", "kind"), [
    (b"%PDF-1.7\n...", FileKind.PDF),
    (b"garbage first\n%PDF-1.4\n", FileKind.PDF),          # within the first kilobyte
    (b'{"@context": []}', FileKind.CREDENTIAL),
    (b'\xef\xbb\xbf \n {"type": "x"}', FileKind.CREDENTIAL),  # a UTF-8 BOM and white space
])
def test_the_type_comes_from_the_content(data, kind):
    assert file_checks.file_kind(data) == kind


def test_a_pdf_header_after_the_first_kilobyte_is_not_a_pdf():
    with pytest.raises(file_checks.FileRefused) as refused:
        file_checks.file_kind(b"x" * 2000 + b"%PDF-1.7")
    assert refused.value.code == "unsupported_file" and "file" in refused.value.fields


# --- the API ----------------------------------------------------------------------------------

def test_anyone_may_check_a_file_and_the_verdict_comes_from_the_row(api, issued, admin_user,
                                                                    checkers, trainee):
    r = post(api, pdf_carrying(issued.code))  # not signed in
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["kind"] == "pdf" and body["outcome"] == "valid"
    assert body["code"] == issued.code and body["serial"] == issued.serial
    assert body["holder_name"] == issued.holder_name and body["course"] == "Kỹ năng phát ngôn"
    assert body["issuer"] == issued.issuer_name and body["signed_by"] == "Trần Văn Minh"
    assert body["verify_url"].endswith(f"/verify/{issued.code}/")
    assert body["revision"] == 1 and body["current_revision"] == 1
    assert set(body) >= {"kind", "outcome", "code", "serial", "holder_name", "course", "issuer",
                         "signed_by", "signed_at", "revision", "current_revision", "detail",
                         "verify_url"}
    assert checkers[-1]["bytes"] == pdf_carrying(issued.code)  # the checker got the very bytes

    certificate_revoke(actor=admin_user, certificate_id=issued.pk, reason="Cấp nhầm người")
    assert post(api, pdf_carrying(issued.code)).json()["outcome"] == "revoked"
    certificate_reinstate(actor=admin_user, certificate_id=issued.pk, reason="Thu hồi nhầm")
    api.force_authenticate(User.objects.get(pk=trainee.pk))  # signed in: the same answer
    credential = json.dumps({"type": ["VerifiableCredential"], "id": f"code: {issued.code}"})
    r = post(api, credential.encode(), name="credential.json")
    assert r.status_code == 200 and r.json()["kind"] == "credential"
    assert r.json()["outcome"] == "valid"


def test_an_unknown_code_is_not_ours_and_links_nowhere(api, db, checkers):
    body = post(api, pdf_carrying("ABCD-EFGH-JKMN-PQRS")).json()
    assert body["outcome"] == "unknown" and body["verify_url"] is None and body["detail"]


@pytest.mark.parametrize(("data", "code", "status"), [
    (b"", "empty_file", 400),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "unsupported_file", 400),   # a picture
    (b"Hello, this is text", "unsupported_file", 400),
    (b"{not json at all", "unsupported_file", 400),                  # looks like JSON, is not
    (b"[1, 2, 3]", "unsupported_file", 400),                         # JSON, not an object
    (b'"a string"', "unsupported_file", 400),
    (b"\xff\xfe{\x00}\x00", "unsupported_file", 400),                # UTF-16: not UTF-8 JSON
    (b'{"a": "\xff"}', "unsupported_file", 400),                     # not UTF-8
    (b'{"a":' * 50000 + b"1" + b"}" * 50000, "unsupported_file", 400),  # deep nesting
    (b"[" * 100000, "unsupported_file", 400),
    (b'{"n": ' + b"9" * 5000 + b"}", "unsupported_file", 400),        # a number too long to read
])
def test_files_we_do_not_check_are_refused_naming_the_field(api, db, checkers, data, code, status):
    r = post(api, data)
    assert r.status_code == status, r.content
    assert r.json()["code"] == code and "file" in r.json()["fields"]
    assert not checkers  # no checker was asked


def test_no_file_at_all_names_the_field(api, db):
    r = api.post(API, {"other": "x"}, format="multipart")
    assert r.status_code == 400 and r.json()["code"] == "no_file" and "file" in r.json()["fields"]
    assert api.post(API, {"file": "x"}, format="json").status_code == 415
    assert api.get(API).status_code == 405


def test_size_limits_per_kind(api, db, checkers, settings):
    settings.CERTIFICATES_VERIFY_FILE_MAX_PDF_BYTES = 4000
    settings.CERTIFICATES_VERIFY_FILE_MAX_JSON_BYTES = 1000
    assert post(api, pdf_carrying("ABCD-EFGH-JKMN-PQRS", size=4000)).status_code == 200
    r = post(api, pdf_carrying("ABCD-EFGH-JKMN-PQRS", size=4001))
    assert r.status_code == 413 and r.json()["code"] == "file_too_large"
    assert "file" in r.json()["fields"]
    credential = b'{"a": "' + b"x" * 1200 + b'"}'  # under the PDF limit, over the JSON one
    r = post(api, credential, name="c.json")
    assert r.status_code == 413 and r.json()["code"] == "file_too_large"
    # Far too large: refused from its declared length, before the body is read.
    r = post(api, b"%PDF-1.7\n" + b"0" * 200_000)
    assert r.status_code == 413 and r.json()["code"] == "file_too_large"
    assert len(checkers) == 1


def test_the_file_is_kept_in_memory_never_written(api, db, checkers, settings, tmp_path):
    """Above FILE_UPLOAD_MAX_MEMORY_SIZE Django would spool an upload to a temporary file; this
    one stays in memory, and nothing lands in the media folder either."""
    spool = tmp_path / "spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = post(api, pdf_carrying("ABCD-EFGH-JKMN-PQRS", size=50_000))
    assert r.status_code == 200
    assert checkers[-1]["temp_files"] == []  # while the checker ran
    assert os.listdir(spool) == []
    assert not os.path.exists(settings.MEDIA_ROOT) or not any(os.scandir(settings.MEDIA_ROOT))
    page = Client().post(PAGE, {"file": upload(pdf_carrying("ABCD-EFGH-JKMN-PQRS", size=50_000))})
    assert page.status_code == 200 and checkers[-1]["temp_files"] == []


@pytest.mark.parametrize("checker", ["crashes", "answers_nonsense", "answers_an_outcome_nobody_knows",
                                     "no_such_checker"])
def test_a_checker_that_fails_gives_an_unknown_verdict_never_a_5xx(api, db, monkeypatch, checker,
                                                                   caplog):
    monkeypatch.setitem(file_checks.CHECKERS, FileKind.PDF, STAND_IN + checker)
    r = post(api, b"%PDF-1.7\n" + os.urandom(3000))
    assert r.status_code == 200
    body = r.json()
    assert body["outcome"] == "unknown" and body["kind"] == "pdf" and body["detail"]
    assert body["verify_url"] is None
    assert any("verify file" in record.getMessage() for record in caplog.records)
    page = Client().post(PAGE, {"file": upload(b"%PDF-1.7\n" + os.urandom(3000))})
    assert page.status_code == 200 and 'data-outcome="unknown"' in page.content.decode()


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n" + bytes(range(256)) * 20,
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    b'{"@context": ["https://www.w3.org/ns/credentials/v2"], "proof": {"type": "DataIntegrityProof"}}',
    b'{"@context": "https://evil.example/context.jsonld", "type": "VerifiableCredential"}',
])
def test_hostile_bytes_through_whatever_checker_is_installed_never_give_a_5xx(api, db, data):
    """With the real checkers once merged (here: none yet, which reads as unknown)."""
    r = post(api, data)
    assert r.status_code == 200, r.content
    assert r.json()["outcome"] in ("unknown", "tampered")


def test_checking_files_shares_the_rate_limit_with_verification_by_code(api, issued, settings,
                                                                       checkers):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"verify": "3/min", "anon": "100/min"}}
    assert api.get(f"/api/v1/verify/{issued.code}/").status_code == 200
    assert post(api, pdf_carrying(issued.code)).status_code == 200
    assert Client().post(PAGE, {"file": upload(pdf_carrying(issued.code))}).status_code == 200
    r = post(api, pdf_carrying(issued.code))
    assert r.status_code == 429 and r["Retry-After"] and r.json()["code"] == "throttled"
    page = Client().post(PAGE, {"file": upload(pdf_carrying(issued.code))})
    assert page.status_code == 429 and page["Retry-After"]
    assert len(checkers) == 2  # the refused ones were not read


def test_refusals_are_in_vietnamese_by_default_and_english_when_asked(api, db):
    msgid = ("This file is neither a PDF nor a JSON file. Choose the certificate's PDF or its "
             "Open Badges credential (a .json file).")
    r = post(api, b"plain text")
    assert r["Content-Language"] == "vi"
    assert r.json()["message"] == r.json()["fields"]["file"] == vietnamese(msgid)
    english = api.post(API, {"file": upload(b"plain text")}, format="multipart",
                       HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en" and english.json()["message"] == msgid


# --- the page ---------------------------------------------------------------------------------

def test_the_page_is_linked_from_the_verification_pages_and_the_footer(client, issued):
    for url in ("/verify/", f"/verify/{issued.code}/", "/verify/ABCD-EFGH-JKMN-PQRS/", "/"):
        assert f'href="{PAGE}"' in client.get(url).content.decode(), url
    html = client.get(PAGE).content.decode()
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html and 'name="file"' in html
    assert 'id="dropzone"' in html and "frontend/verify-file.js" in html
    assert 'href="/verify/"' in html  # the breadcrumb back to the verification by code


def test_the_page_shows_the_verdict_with_words_icon_facts_and_the_next_step(client, issued,
                                                                           checkers, admin_user):
    r = client.post(PAGE, {"file": upload(pdf_carrying(issued.code))})
    html = r.content.decode()
    assert r.status_code == 200 and 'class="verdict verdict-valid"' in html
    assert 'data-outcome="valid"' in html and "icon-circle-check" in html
    assert vietnamese("Valid") in html and '<dl class="facts">' in html
    assert issued.holder_name in html and issued.serial in html and issued.issuer_name in html
    assert f'href="/verify/{issued.code}/"' in html and "data-older-revision" not in html
    assert issued.user.email not in html

    certificate_revoke(actor=admin_user, certificate_id=issued.pk, reason="Cấp nhầm người")
    html = client.post(PAGE, {"file": upload(pdf_carrying(issued.code))}).content.decode()
    assert "verdict-revoked" in html and "icon-circle-x" in html


def test_the_page_says_when_a_newer_revision_exists(client, issued, checkers, admin_user,
                                                   django_capture_on_commit_callbacks):
    from certificates.services import certificate_reissue

    with django_capture_on_commit_callbacks(execute=True):
        certificate_reissue(actor=admin_user, certificate_id=issued.pk, reason="Đổi tên")
    html = client.post(PAGE, {"file": upload(pdf_carrying(issued.code, revision=1))}).content.decode()
    assert "data-older-revision" in html and "verdict-valid" in html


def test_the_page_refuses_what_it_does_not_check_with_the_reason_at_the_field(client, db,
                                                                              settings):
    r = client.post(PAGE, {"file": upload(b"Hello", name="ghi-chu.txt")})
    html = r.content.decode()
    assert r.status_code == 400 and 'id="file-error"' in html and 'aria-invalid="true"' in html
    assert vietnamese("This file is neither a PDF nor a JSON file. Choose the certificate's PDF "
                      "or its Open Badges credential (a .json file).") in html.replace("&#x27;", "'")
    assert client.post(PAGE, {}).status_code == 400
    settings.CERTIFICATES_VERIFY_FILE_MAX_PDF_BYTES = 1000
    settings.CERTIFICATES_VERIFY_FILE_MAX_JSON_BYTES = 1000
    r = client.post(PAGE, {"file": upload(b"%PDF-1.7\n" + b"0" * 500_000)})
    assert r.status_code == 413 and 'id="file-error"' in r.content.decode()


def test_the_page_checks_the_csrf_token_after_reading_into_memory(db, checkers):
    strict = Client(enforce_csrf_checks=True)
    r = strict.post(PAGE, {"file": upload(pdf_carrying("ABCD-EFGH-JKMN-PQRS"))})
    assert r.status_code == 403 and not checkers
    strict.get(PAGE)
    token = strict.cookies["csrftoken"].value
    r = strict.post(PAGE, {"file": upload(pdf_carrying("ABCD-EFGH-JKMN-PQRS")),
                           "csrfmiddlewaretoken": token})
    assert r.status_code == 200 and len(checkers) == 1


def test_the_page_refuses_a_nul_in_its_fields_as_the_middleware_would(db, checkers):
    r = Client().post(PAGE, {"file": upload(pdf_carrying("ABCD-EFGH-JKMN-PQRS")), "note": "a\x00b"})
    assert r.status_code == 400 and not checkers


def test_administrators_and_trainees_see_the_same_page(client, issued, checkers, tree):
    client.force_login(user_with_role(Role.TRAINER, tree["province"]))
    r = client.post(PAGE, {"file": upload(pdf_carrying(issued.code))})
    assert r.status_code == 200 and "verdict-valid" in r.content.decode()
