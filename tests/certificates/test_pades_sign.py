"""Every certificate PDF is PAdES-signed: pyHanko's validator accepts it against the demo root,
one changed byte breaks it, another CA is trusted only when configured, revoked copies are
signed too, and a timestamp authority makes it B-LT."""

import io
import subprocess

import pytest
from django.utils import timezone, translation

from certificates.models import Certificate
from certificates.pades import demo_ca, identity
from certificates.pades.check import check_pdf_bytes
from certificates.pdf import SIGNATURE_BOX
from certificates.rendering import render_bytes, render_one
from certificates.services import certificate_issue, certificate_revoke
from certificates.verdicts import Outcome
from tests.certificates.factories import certificate_course, complete, make_template
from tests.certificates.pades_helpers import local_tsa, ministry_identity, pyhanko_status


@pytest.fixture
def issued(tree, trainee, signing):
    make_template(tree["central"])
    course = certificate_course(tree["ministry"], title="Kỹ năng thông tin đối ngoại")
    complete(course, trainee)
    certificate, _ = certificate_issue(user_id=trainee.pk, course_id=course.pk)
    render_one(certificate)
    return Certificate.objects.get(pk=certificate.pk)


def in_english(check, data: bytes):
    """The checker's sentences follow the active language (Vietnamese unless asked)."""
    with translation.override("en"):
        return check(data)


def demo_root(signing_dir):
    from pyhanko.keys import load_cert_from_pemder

    return [load_cert_from_pemder(str(signing_dir / demo_ca.DEMO_CA_DIR / "ca.pem"))]


def text_of(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()


def test_rendered_certificate_is_pades_signed_and_validates_against_the_demo_root(issued, signing):
    from pyhanko.sign.validation import SignatureCoverageLevel

    pdf = issued.pdf.read()
    _reader, signature, status = pyhanko_status(pdf, demo_root(signing))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    signed_attrs = {a["type"].native for a in signature.signer_info["signed_attrs"]}
    assert "signing_certificate_v2" in signed_attrs
    assert demo_ca.DEMO_SUFFIX in status.signing_cert.subject.native["common_name"]
    verdict = check_pdf_bytes(pdf)
    assert verdict.outcome == Outcome.VALID, verdict.detail
    assert (verdict.code, verdict.serial, verdict.holder_name) == (issued.code, issued.serial,
                                                                   issued.holder_name)
    assert verdict.signed_by == status.signing_cert.subject.native["common_name"]
    assert abs((verdict.signed_at - timezone.now()).total_seconds()) < 300


def test_one_changed_byte_breaks_the_signature(issued):
    pdf = issued.pdf.read()
    serial = issued.serial.encode()
    assert serial in pdf  # the serial is document text (the /Keywords of the signed revision)
    changed = pdf.replace(serial, serial[:-1] + (b"X" if serial[-1:] != b"X" else b"Y"), 1)
    verdict = check_pdf_bytes(changed)  # Vietnamese by default, English when asked
    assert verdict.outcome == Outcome.TAMPERED and verdict.detail and "signed" not in verdict.detail
    assert "changed after it was signed" in in_english(check_pdf_bytes, changed).detail
    middle = len(pdf) // 3  # inside the first signed range (the page content)
    flipped = pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1:]
    assert check_pdf_bytes(flipped).outcome in (Outcome.TAMPERED, Outcome.UNKNOWN)
    assert check_pdf_bytes(pdf).outcome == Outcome.VALID


def test_visible_signature_block_sits_in_the_reserved_box_in_vietnamese(issued, poppler):
    from pyhanko.pdf_utils.reader import PdfFileReader

    pdf = issued.pdf.read()
    reader = PdfFileReader(io.BytesIO(pdf))
    (signature,) = reader.embedded_signatures
    rect = [float(v) for v in signature.sig_field["/Rect"]]
    assert rect == [float(v) for v in SIGNATURE_BOX]
    assert signature.sig_field["/P"].get_object() == reader.root["/Pages"]["/Kids"][0].get_object()
    text = text_of(pdf)
    name = identity.identity_for("").name
    assert "Ký số bởi:" in text and name.split()[0] in text
    assert f"Ngày ký: {timezone.localdate():%d/%m/%Y}" in text
    assert issued.holder_name in text  # the form itself is untouched


def test_a_ca_from_elsewhere_is_not_trusted_until_its_root_is_configured(issued, signing, settings,
                                                                         tmp_path):
    # A PDF signed by another installation (its own signing directory, its own CA)...
    root_pem = ministry_identity(tmp_path / "elsewhere" / "default")
    settings.CERTIFICATES_SIGNING_DIR = tmp_path / "elsewhere"
    identity.reset()
    pdf = render_bytes(Certificate.objects.get(pk=issued.pk))
    settings.CERTIFICATES_SIGNING_DIR = signing
    identity.reset()
    # ...is not ours to vouch for, until an operator trusts that root.
    verdict = in_english(check_pdf_bytes, pdf)
    assert verdict.outcome == Outcome.TAMPERED
    assert "not by a certificate this platform trusts" in verdict.detail
    settings.CERTIFICATES_TRUST_ROOTS = [str(root_pem)]
    identity.reset()
    verdict = check_pdf_bytes(pdf)
    assert verdict.outcome == Outcome.VALID, verdict.detail
    assert verdict.signed_by == "Bộ Ngoại giao - Ký số chứng chỉ"


def test_a_units_own_ministry_ca_signs_and_is_trusted_without_repeating_its_root(issued, signing,
                                                                                 settings, tree):
    unit = tree["central"]
    issued = Certificate.objects.get(pk=issued.pk)
    assert issued.serial_book.code == unit.code
    ministry_identity(signing / unit.code)  # key, cert and chain.pem ending in the ministry root
    settings.CERTIFICATES_SIGNING_DEMO = False  # production: the demo root is not trusted
    identity.reset()
    verdict = check_pdf_bytes(render_bytes(issued))
    assert verdict.outcome == Outcome.VALID, verdict.detail
    assert verdict.signed_by == "Bộ Ngoại giao - Ký số chứng chỉ"


def test_revoked_copy_is_stamped_then_signed_and_reads_revoked(issued, admin_user, poppler):
    certificate_revoke(actor=admin_user, certificate_id=issued.pk, reason="Cấp nhầm người")
    pdf = render_bytes(Certificate.objects.get(pk=issued.pk), stamp=True)
    assert "ĐÃ THU HỒI" in text_of(pdf)
    verdict = check_pdf_bytes(pdf)
    assert verdict.outcome == Outcome.REVOKED and verdict.code == issued.code
    assert check_pdf_bytes(issued.pdf.read()).outcome == Outcome.REVOKED  # the old file too


def test_with_a_timestamp_authority_the_signature_is_b_lt(issued, signing, settings, tmp_path):
    with local_tsa(tmp_path) as (url, tsa_root, requests):
        settings.CERTIFICATES_TSA_URL = url
        settings.CERTIFICATES_TRUST_ROOTS = [str(tsa_root)]
        identity.reset()
        render_bytes(issued)  # pyHanko asks once more, for a size estimate, per timestamper
        before = len(requests)
        pdf = render_bytes(issued)
    assert len(requests) == before + 1  # then one request per signed PDF
    reader, _signature, status = pyhanko_status(pdf, [*demo_root(signing), *identity.trust_roots()])
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    dss = reader.root["/DSS"]
    assert len(dss["/Certs"]) >= 2  # signer chain and TSA chain, for validation years later
    verdict = check_pdf_bytes(pdf)
    assert verdict.outcome == Outcome.VALID, verdict.detail
    assert verdict.signed_at == status.timestamp_validity.timestamp


@pytest.mark.parametrize("data", [b"", b"hello", b"%PDF-1.7\n" + b"\x00" * 500, b"%PDF-1.4\n1 0 obj <<"])
def test_garbage_is_a_verdict_not_an_error(data, signing, db):
    assert check_pdf_bytes(data).outcome in (Outcome.UNKNOWN, Outcome.TAMPERED)


def test_unsigned_or_truncated_pdf_is_not_valid(issued):
    unsigned = render_bytes(issued, sign=False)
    assert check_pdf_bytes(unsigned).outcome == Outcome.TAMPERED
    pdf = issued.pdf.read()
    assert check_pdf_bytes(pdf[: len(pdf) - 200]).outcome in (Outcome.TAMPERED, Outcome.UNKNOWN)


def test_downloaded_revoked_pdf_from_the_api_is_signed(api, issued, admin_user, trainee):
    from backend.accounts.models import User

    certificate_revoke(actor=admin_user, certificate_id=issued.pk, reason="Cấp nhầm người")
    api.force_authenticate(User.objects.get(pk=trainee.pk))
    response = api.get(f"/api/v1/certificates/{issued.pk}/pdf/")
    assert response.status_code == 200
    verdict = check_pdf_bytes(response.content)
    assert verdict.outcome == Outcome.REVOKED and verdict.holder_name == issued.holder_name


def test_an_update_appended_after_signing_reads_partly_signed(issued):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(issued.pdf.read()))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    overlay = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 300 Td (Nguoi khac) Tj ET")
    page["/Contents"] = generic.ArrayObject([page["/Contents"], writer.add_object(overlay)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    verdict = in_english(check_pdf_bytes, out.getvalue())
    assert verdict.outcome == Outcome.TAMPERED and "Only part of the file is signed" in verdict.detail
