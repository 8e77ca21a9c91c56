"""The prepared signer (certificates/pades/prepared.py) makes the CMS pyHanko makes: byte for
byte with a deterministic RSA key, everything but the (randomised) signature value with the
demo ECDSA identity, whose signature still verifies over the signed attributes; what it has no
template for goes through pyHanko unchanged."""

import asyncio
import datetime as dt
import hashlib
from concurrent.futures import ThreadPoolExecutor

from asn1crypto import keys, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko_certvalidator.registry import SimpleCertificateStore

from certificates.pades import identity
from certificates.pades.prepared import PreparedSigner


def run(coroutine_factory):
    """asyncio.run, in a worker thread when this one already runs a loop (Playwright's sync API
    keeps one running in the test thread once a browser test of the session has started)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine_factory())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_factory())).result()


def pades_cms(signer, digest: bytes, **kwargs):
    return run(lambda: signer.async_sign(digest, "sha256", use_pades=True,
                                         signed_attr_settings=PdfCMSSignedAttributes(), **kwargs))


def rsa_signer() -> SimpleSigner:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "Bộ Ngoại giao - thử RSA")])
    now = dt.datetime.now(dt.UTC)
    cert = (cx509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(cx509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
            .sign(key, hashes.SHA256()))
    return SimpleSigner(
        signing_cert=x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore())


def test_rsa_pades_cms_is_byte_identical_to_pyhankos():
    simple = rsa_signer()
    prepared = PreparedSigner.from_simple(simple)
    for text in (b"first certificate", b"second certificate"):  # template made, then reused
        digest = hashlib.sha256(text).digest()
        assert pades_cms(prepared, digest).dump() == pades_cms(simple, digest).dump()


def test_demo_ecdsa_cms_matches_pyhanko_and_its_signature_verifies(signing):
    prepared = identity.identity_for("").signer
    assert isinstance(prepared, PreparedSigner)
    simple = SimpleSigner(signing_cert=prepared.signing_cert, signing_key=prepared.signing_key,
                          cert_registry=prepared.cert_registry)
    for text in (b"one", b"two", b"three"):
        digest = hashlib.sha256(text).digest()
        ours, theirs = pades_cms(prepared, digest), pades_cms(simple, digest)
        info = ours["content"]["signer_infos"][0]
        signature = info["signature"].native
        ours_native, theirs_native = ours.native, theirs.native
        ours_native["content"]["signer_infos"][0].pop("signature")
        theirs_native["content"]["signer_infos"][0].pop("signature")
        assert ours_native == theirs_native
        attrs = {a["type"].native: a["values"][0] for a in info["signed_attrs"]}
        assert list(attrs) == ["content_type", "message_digest", "signing_certificate_v2"]
        assert attrs["message_digest"].native == digest
        public = cx509.load_der_x509_certificate(prepared.signing_cert.dump()).public_key()
        public.verify(signature, info["signed_attrs"].untag().dump(force=True),
                      ec.ECDSA(hashes.SHA256()))  # raises if it does not hold
        assert len(ours["content"]["certificates"]) == len(theirs["content"]["certificates"]) == 2


def test_what_has_no_template_goes_through_pyhanko():
    simple = rsa_signer()
    prepared = PreparedSigner.from_simple(simple)
    digest = hashlib.sha256(b"not a PAdES signature").digest()
    generic = run(lambda: prepared.async_sign(digest, "sha256", use_pades=False))
    types = {a["type"].native for a in generic["content"]["signer_infos"][0]["signed_attrs"]}
    assert "cms_algorithm_protection" in types  # pyHanko's generic attributes, not the template
    info = generic["content"]["signer_infos"][0]
    public = cx509.load_der_x509_certificate(simple.signing_cert.dump()).public_key()
    public.verify(info["signature"].native, info["signed_attrs"].untag().dump(force=True),
                  padding.PKCS1v15(), hashes.SHA256())
