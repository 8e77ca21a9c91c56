"""Signed Open Badges credentials on the Python side: keys and their rotation, the DID
document, the proof, status lists (encoding, positions), the credential's shape against the
OB 3.0 schema, the API's permissions, and the file checker. The independent JavaScript verifier
is in test_credentials_verifier.py."""

import datetime as dt
import json
import stat
import unicodedata
from pathlib import Path

import jsonschema
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from backend.accounts.models import User
from certificates.checks import check_credential_keys
from certificates.credentials import issuers, keys, loader, ob3, proof, status_lists, store
from certificates.credentials.check import check_credential_bytes
from certificates.models import Certificate, CredentialStatusList
from certificates.services import certificate_issue, certificate_reissue, certificate_revoke
from certificates.tasks import render_and_collect
from certificates.verdicts import Outcome
from tests.certificates.factories import certificate_course, complete, make_template
from tests.factories import UserFactory

SCHEMA = Path(__file__).resolve().parent / "schemas" / "ob_v3p0_achievementcredential_transcribed.json"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def course(tree):
    make_template(tree["central"], issuer_name="Trường Bồi dưỡng cán bộ thông tin đối ngoại",
                  course_hours=24)
    return certificate_course(tree["ministry"], title="Thông tin đối ngoại trong tình hình mới")


@pytest.fixture
def certificate(course, trainee):
    complete(course, trainee)
    return certificate_issue(user_id=trainee.pk, course_id=course.pk)[0]


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


# --- keys -----------------------------------------------------------------------------------

def test_a_demo_key_is_made_on_first_use_readable_by_its_owner_only(settings):
    assert keys.all_keys() == {}
    key = keys.active_key()
    path = Path(settings.CREDENTIALS_KEYS_DIR) / f"{key.key_id}.pem"
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key.key_id.startswith("key-") and key.private is not None
    assert keys.active_key().key_id == key.key_id  # loaded again, not made again


def test_the_newest_key_signs_unless_one_is_named(settings):
    first = keys.generate("key-a")
    second = keys.generate("key-b")
    assert keys.active_key().key_id == second.key_id
    settings.CREDENTIALS_ACTIVE_KEY = "key-a"
    assert keys.active_key().key_id == first.key_id


def test_a_retired_key_verifies_but_never_signs(settings):
    keys.generate("key-old")
    keys.retire("key-old")
    directory = Path(settings.CREDENTIALS_KEYS_DIR)
    assert not (directory / "key-old.pem").exists() and (directory / "key-old.pub.pem").exists()
    old = keys.all_keys()["key-old"]
    assert old.private is None
    with pytest.raises(ValueError, match="retired"):
        proof.sign({"@context": [loader.CREDENTIALS_V2]}, key=old, verification_method="x#key-old")
    settings.CREDENTIALS_DEMO_KEY = False
    assert "No credential signing key" in keys.problem()


def test_keygen_command_stages_activates_and_retires(settings, capsys):
    call_command("credentials_keygen", "--key-id", "key-1")
    assert keys.active_key().key_id == "key-1"  # a fresh install: it signs at once
    call_command("credentials_keygen", "--key-id", "key-2")
    assert keys.active_key().key_id == "key-1"  # staged: published, not signing yet
    assert set(keys.all_keys()) == {"key-1", "key-2"}
    call_command("credentials_keygen", "--key-id", "key-3", "--activate", "--retire", "key-1")
    assert keys.active_key().key_id == "key-3"
    assert keys.all_keys()["key-1"].private is None
    out = capsys.readouterr().out
    assert "not yet signing" in out and "Retired key-1" in out


def test_production_without_a_key_is_a_system_check_error(settings):
    settings.CREDENTIALS_DEMO_KEY = False
    errors = check_credential_keys()
    assert [e.id for e in errors] == ["certificates.E002"]
    assert "credentials_keygen" in errors[0].msg + errors[0].hint
    keys.generate("key-prod")
    assert check_credential_keys() == []
    settings.CREDENTIALS_ACTIVE_KEY = "key-missing"
    assert "key-missing" in check_credential_keys()[0].msg


def test_no_private_key_reaches_the_database(api, certificate, trainee):
    credential = as_user(api, trainee).get(f"/api/v1/certificates/{certificate.pk}/credential/")
    assert credential.status_code == 200
    key = keys.active_key()
    from cryptography.hazmat.primitives import serialization

    raw = key.private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                    serialization.NoEncryption())
    with connection.cursor() as cursor:
        cursor.execute("SELECT credential, identity_salt FROM certificates_certificate")
        rows = " ".join(" ".join(map(str, r)) for r in cursor.fetchall())
    for secret in (raw.hex(), "PRIVATE KEY", __import__("base58").b58encode(raw).decode()):
        assert secret not in rows


# --- issuer identity ------------------------------------------------------------------------

@override_settings(SITE_URL="https://ttdn.example.vn:8443/lms")
def test_did_web_names_host_port_path_and_unit():
    assert issuers.issuer_did(7) == "did:web:ttdn.example.vn%3A8443:lms:issuers:7"
    assert issuers.organisation_for_did("did:web:ttdn.example.vn%3A8443:lms:issuers:7") == 7
    assert issuers.organisation_for_did("did:web:evil.example:issuers:7") is None
    assert issuers.did_document_url(7) == "https://ttdn.example.vn:8443/lms/issuers/7/did.json"


def test_did_document_lists_every_published_key(client, tree):
    keys.generate("key-a")
    keys.generate("key-b")
    keys.retire("key-a")
    unit = tree["central"].pk
    response = client.get(f"/issuers/{unit}/did.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/did+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    doc = response.json()
    did = issuers.issuer_did(unit)
    assert doc["@context"] == ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
    assert doc["id"] == did
    assert [m["id"] for m in doc["verificationMethod"]] == [f"{did}#key-a", f"{did}#key-b"]
    for method in doc["verificationMethod"]:
        assert method["type"] == "Multikey" and method["controller"] == did
        assert method["publicKeyMultibase"].startswith("z6Mk")  # ed25519-pub multicodec
        key = keys.all_keys()[method["id"].split("#")[1]]
        assert keys.public_from_multibase(method["publicKeyMultibase"]).public_bytes_raw() == \
            key.public.public_bytes_raw()
    assert doc["assertionMethod"] == [m["id"] for m in doc["verificationMethod"]]
    assert client.get("/issuers/999999/did.json").status_code == 404


# --- proof ----------------------------------------------------------------------------------

def _document():
    return {"@context": list(ob3.CONTEXT), "id": "urn:uuid:5b7e6a0e-0000-4000-8000-000000000001",
            "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Kỹ năng",
            "issuer": {"id": issuers.issuer_did(1), "type": ["Profile"], "name": "Trường"},
            "validFrom": "2026-02-05T02:30:00Z",
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
                "id": "https://x.example/a", "type": ["Achievement"], "name": "n",
                "description": "d", "criteria": {"narrative": "c"}}}}


def test_proof_round_trip_and_a_changed_value_fails():
    key = keys.active_key()
    signed = proof.sign(_document(), key=key,
                        verification_method=issuers.verification_method(1, key.key_id))
    assert signed["proof"]["proofValue"].startswith("z")
    assert proof.verify(signed, issuers.public_key_for)["cryptosuite"] == "eddsa-rdfc-2022"
    changed = json.loads(json.dumps(signed, ensure_ascii=False).replace("Kỹ năng", "Kỹ nang"))
    assert changed["name"] == "Kỹ nang"
    with pytest.raises(proof.ProofError, match="does not match"):
        proof.verify(changed, issuers.public_key_for)
    foreign = dict(signed, proof=dict(signed["proof"], verificationMethod="did:web:evil:issuers:1#k"))
    with pytest.raises(proof.ProofError, match="unknown verification method"):
        proof.verify(foreign, issuers.public_key_for)


def test_the_loader_refuses_every_url_it_does_not_vendor():
    from pyld.jsonld import JsonLdError

    with pytest.raises(JsonLdError, match="Refusing to load"):
        loader.strict_loader("https://example.com/ctx.jsonld")
    document = dict(_document(), **{"@context": [*ob3.CONTEXT, "https://example.com/ctx.jsonld"]})
    with pytest.raises(JsonLdError) as failure:
        proof.canonical(document)
    chain, error = [], failure.value
    while error is not None:
        chain.append(str(error))
        error = error.__cause__ or getattr(error, "details", {}).get("cause") \
            if isinstance(getattr(error, "details", None), dict) else error.__cause__
    assert any("Refusing to load https://example.com/ctx.jsonld" in text for text in chain)


def test_vendored_contexts_are_the_npm_packages_copies():
    from tests.certificates.credentials import node, npm_contexts

    if node() is None:
        pytest.skip("node is not installed")
    npm = npm_contexts()
    for url in loader.FILES:
        assert loader.context_document(url) == npm[url], url


# --- status lists ---------------------------------------------------------------------------

def test_bit_order_is_most_significant_first_and_round_trips():
    raw = status_lists.bitstring(status_lists.LIST_SIZE, [0, 9, 131071])
    assert len(raw) == 16384
    assert raw[0] == 0x80 and raw[1] == 0x40 and raw[-1] == 0x01 and sum(raw) == 0x80 + 0x40 + 1
    encoded = status_lists.encode(raw)
    assert encoded.startswith("u") and "=" not in encoded
    decoded = status_lists.decode(encoded)
    assert decoded == raw and status_lists.is_set(decoded, 9) and not status_lists.is_set(decoded, 8)


def test_positions_are_a_permutation_of_the_whole_list(tree):
    status_list = status_lists._new_list(tree["central"].pk, 1)
    positions = {status_lists.position(status_list, n) for n in range(status_list.size)}
    assert len(positions) == status_list.size and min(positions) == 0
    assert max(positions) == status_list.size - 1


def test_each_certificate_gets_its_own_position_kept_across_reissue(course, tree, admin_user):
    people = [UserFactory(organisation=tree["dept"]) for _ in range(5)]
    for person in people:
        complete(course, person)
    first = certificate_issue(user_id=people[0].pk, course_id=course.pk)[0]
    from certificates.services import certificates_issue

    batch = certificates_issue(course_id=course.pk, user_ids=[p.pk for p in people[1:]])
    rows = list(Certificate.objects.filter(course_id=course.pk))
    assert len(rows) == 5 and len({(r.status_list_id, r.status_index) for r in rows}) == 5
    assert all(r.status_list.organisation_id == tree["central"].pk for r in rows)
    assert all(len(r.identity_salt) == 32 for r in rows)
    assert CredentialStatusList.objects.get().allocated == 5
    assert len(batch.created) == 4
    before = (first.status_list_id, first.status_index)
    certificate_reissue(actor=admin_user, certificate_id=first.pk, reason="Sửa tên")
    first.refresh_from_db()
    assert (first.status_list_id, first.status_index) == before and first.revision == 2


def test_a_full_list_opens_the_next(course, tree):
    status_list = status_lists._new_list(tree["central"].pk, 1)
    status_list.allocated = status_list.size - 1
    status_list.save()
    people = [UserFactory(organisation=tree["dept"]) for _ in range(2)]
    for person in people:
        complete(course, person)
    from certificates.services import certificates_issue

    certificates_issue(course_id=course.pk, user_ids=[p.pk for p in people])
    numbers = sorted(Certificate.objects.values_list("status_list__number", flat=True))
    assert numbers == [1, 2]


def test_status_list_credential_projects_revocations_after_commit(client, certificate,
                                                                  admin_user):
    credential = store.credential_for(certificate)
    url = credential["credentialStatus"]["statusListCredential"]
    index = int(credential["credentialStatus"]["statusListIndex"])
    path = url.removeprefix("http://127.0.0.1:8000")
    response = client.get(path)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=60"
    body = response.json()
    assert body["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert body["issuer"] == credential["issuer"]["id"]
    assert body["credentialSubject"]["id"] == url + "#list"
    assert not status_lists.is_set(status_lists.decode(body["credentialSubject"]["encodedList"]),
                                   index)
    assert proof.verify(body, issuers.public_key_for)
    assert client.get(path).content == response.content  # cached while nothing changes
    certificate_revoke(actor=admin_user, certificate_id=certificate.pk, reason="Gian lận")
    body = client.get(path).json()
    assert status_lists.is_set(status_lists.decode(body["credentialSubject"]["encodedList"]), index)
    assert client.get(path.replace("/1/", "/99/")).status_code == 404


# --- the credential -------------------------------------------------------------------------

def test_credential_shape_validates_against_ob3_schema(certificate, trainee):
    credential = store.credential_for(certificate)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft201909Validator.check_schema(schema)
    validator = jsonschema.Draft201909Validator(schema,
                                                format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(credential), key=str)
    assert errors == []
    assert credential["@context"] == ob3.CONTEXT
    assert credential["id"] == f"http://127.0.0.1:8000/verify/{certificate.code}/#r1"
    assert credential["issuer"] == {"id": issuers.issuer_did(certificate.serial_book_id),
                                    "type": ["Profile"], "url": "http://127.0.0.1:8000/",
                                    "name": "Trường Bồi dưỡng cán bộ thông tin đối ngoại"}
    subject = credential["credentialSubject"]
    email, name = subject["identifier"]
    assert email["identityType"] == "emailAddress" and email["hashed"] is True
    assert email["identityHash"] == ob3.identity_hash(trainee.email, certificate.identity_salt)
    assert trainee.email not in json.dumps(credential)
    assert name == {"type": "IdentityObject", "identityType": "name", "hashed": False,
                    "identityHash": certificate.holder_name}
    assert subject["licenseNumber"] == certificate.serial
    assert "24" in subject["achievement"]["criteria"]["narrative"]
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["id"] == f"{status['statusListCredential']}#{status['statusListIndex']}"
    invalid = dict(credential)
    del invalid["validFrom"]
    assert list(validator.iter_errors(invalid))  # the schema does test something


def test_valid_until_is_the_end_of_the_last_valid_day_in_vietnam():
    assert ob3.timestamp(ob3.end_of_day(dt.date(2028, 2, 5))) == "2028-02-05T17:00:00Z"


def test_vietnamese_is_kept_in_nfc_and_unescaped(api, tree, course):
    person = UserFactory(organisation=tree["dept"],
                         full_name=unicodedata.normalize("NFD", "Nguyễn Thị Thanh Hương"))
    complete(course, person)
    certificate = certificate_issue(user_id=person.pk, course_id=course.pk)[0]
    raw = as_user(api, person).get(f"/api/v1/certificates/{certificate.pk}/credential/").content
    text = raw.decode("utf-8")
    assert "Nguyễn Thị Thanh Hương" in text and "\\u" not in text
    assert unicodedata.is_normalized("NFC", text)


def test_signed_at_render_once_per_revision_and_downloads_are_identical(api, certificate,
                                                                        trainee, admin_user):
    render_and_collect([certificate.pk])
    certificate.refresh_from_db()
    assert certificate.credential_revision == 1 and certificate.credential
    stored = certificate.credential
    client = as_user(api, trainee)
    first = client.get(f"/api/v1/certificates/{certificate.pk}/credential/?download=1")
    assert first.content.decode() == stored
    assert "attachment" in first["Content-Disposition"] and ".json" in first["Content-Disposition"]
    assert client.get(f"/api/v1/certificates/{certificate.pk}/credential/").content == first.content
    certificate_reissue(actor=admin_user, certificate_id=certificate.pk, reason="Đổi tên")
    again = json.loads(client.get(f"/api/v1/certificates/{certificate.pk}/credential/").content)
    assert again["id"].endswith("#r2")
    assert again["credentialStatus"] == json.loads(stored)["credentialStatus"]


def test_who_may_fetch_a_credential(api, certificate, trainee, admin_user, tree):
    url = f"/api/v1/certificates/{certificate.pk}/credential/"
    assert api.get(url).status_code == 401
    assert as_user(api, trainee).get(url).status_code == 200
    assert as_user(api, admin_user).get(url).status_code == 200
    other = UserFactory(organisation=tree["mission"])
    assert as_user(api, other).get(url).status_code == 404


def test_verification_json_names_the_status_list(api, certificate):
    before = api.get(f"/api/v1/verify/{certificate.code}/").json()
    assert before["status_list_credential"] and before["status_list_index"] is not None
    credential = store.credential_for(certificate)
    assert before["status_list_credential"] == credential["credentialStatus"]["statusListCredential"]
    assert str(before["status_list_index"]) == credential["credentialStatus"]["statusListIndex"]


# --- checking a file ------------------------------------------------------------------------

def test_check_credential_bytes(certificate, admin_user):
    text = store.credential_text(certificate)
    verdict = check_credential_bytes(text.encode())
    assert verdict.outcome == Outcome.VALID and verdict.code == certificate.code
    assert verdict.revision == 1 and verdict.signed_by.endswith("#" + keys.active_key().key_id)
    changed = text.replace(certificate.holder_name, certificate.holder_name + "x")
    assert check_credential_bytes(changed.encode()).outcome == Outcome.TAMPERED
    assert check_credential_bytes(b"{not json").outcome == Outcome.UNKNOWN
    foreign = json.loads(text)
    foreign["issuer"]["id"] = "did:web:other.example:issuers:1"
    assert check_credential_bytes(json.dumps(foreign).encode()).outcome == Outcome.UNKNOWN
    certificate_revoke(actor=admin_user, certificate_id=certificate.pk, reason="Sai")
    assert check_credential_bytes(text.encode()).outcome == Outcome.REVOKED


def test_an_old_credential_reads_expired_past_its_valid_until(certificate):
    certificate.expires_at = dt.date(2020, 1, 31)
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=certificate.expires_at)
    verdict = check_credential_bytes(store.credential_text(certificate).encode())
    assert verdict.outcome == Outcome.EXPIRED


def test_public_documents_are_rate_limited_apart_from_verification(client, certificate,
                                                                   settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        "verify": "100/min", "credentials": "2/min", "anon": "100/min"}}
    did = f"/issuers/{certificate.serial_book_id}/did.json"
    assert [client.get(did).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(f"/api/v1/verify/{certificate.code}/").status_code == 200


def test_a_certificate_from_before_status_lists_gets_its_position_on_first_credential(
        certificate):
    Certificate.objects.filter(pk=certificate.pk).update(status_list=None, status_index=None,
                                                         identity_salt="")
    old = Certificate.objects.get(pk=certificate.pk)
    credential = store.credential_for(old)
    old.refresh_from_db()
    assert old.status_list_id is not None and len(old.identity_salt) == 32
    assert credential["credentialStatus"]["statusListIndex"] == str(old.status_index)
    assert proof.verify(credential, issuers.public_key_for)
