"""Signing configuration: a production server without its signing files does not start quietly,
identities load once per process, a unit's own folder wins over the default."""

from certificates.checks import check_pdf_signing
from certificates.pades import identity
from tests.certificates.pades_helpers import ministry_identity


def test_production_without_signing_files_is_a_system_check_error(signing, settings, tmp_path):
    settings.CERTIFICATES_SIGNING_DEMO = False
    errors = check_pdf_signing()
    assert {e.id for e in errors} == {"certificates.E003"}
    assert any("default/key.pem" in e.msg for e in errors)
    settings.CERTIFICATES_SIGN_PDFS = False
    assert check_pdf_signing() == []


def test_missing_trust_root_file_is_reported(signing, settings, tmp_path):
    ministry_identity(signing / "default")
    settings.CERTIFICATES_SIGNING_DEMO = False
    assert check_pdf_signing() == []
    settings.CERTIFICATES_TRUST_ROOTS = [str(tmp_path / "nowhere.pem")]
    assert [e.id for e in check_pdf_signing()] == ["certificates.E003"]


def test_demo_is_made_once_and_identities_are_cached(signing):
    first = identity.identity_for("")
    assert first.demo and (signing / "demo-ca" / "ca.pem").is_file()
    assert oct((signing / "default" / "key.pem").stat().st_mode & 0o777) == "0o600"
    assert identity.identity_for("") is first  # loaded once per process
    assert identity.identity_for("no-such-unit") is first  # no folder: the default signs


def test_a_units_own_folder_signs_for_it_and_encrypted_keys_need_the_password(signing, settings):
    from certificates.pades import demo_ca

    root = demo_ca.make_ca("CA Bộ", "Bộ")
    signer = demo_ca.make_signer(root, "Vụ Đào tạo", "Bộ")
    demo_ca.write_identity(signing / "vu-dao-tao", signer, [root.cert], password=b"mat-khau")
    settings.CERTIFICATES_SIGNING_KEY_PASSWORD = "mat-khau"
    assert identity.identity_for("vu-dao-tao").name == "Vụ Đào tạo"
    assert identity.identity_for("../vu-dao-tao").demo  # never a path outside the directory


def test_production_refuses_the_demo_signer_as_its_identity(signing, settings):
    identity.identity_for("")  # the demo CA and signer, made while developing
    settings.CERTIFICATES_SIGNING_DEMO = False
    identity.reset()
    errors = check_pdf_signing()
    assert [e.id for e in errors] == ["certificates.E003"]
    assert "demo" in errors[0].msg
