"""A self-signed demo CA and a signer certificate under it, made on first use when nothing is
configured (DEBUG, tests, a fresh install). Named as a demo in CN and O so no reader of a signed
PDF mistakes it for a real signature; its root is trusted only by this platform's own checker.

Also used by tests to make "a ministry's CA": `make_ca` / `make_signer` write the same files a
ministry would hand over (key.pem, cert.pem, chain.pem).
"""

from __future__ import annotations

import datetime as dt
import fcntl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

DEMO_SUFFIX = "(DEMO — không có giá trị pháp lý)"
DEMO_CA_DIR = "demo-ca"  # under the signing directory: ca.pem (trusted root), ca-key.pem
# Adobe's "Authentic Documents" EKU (1.2.840.113583.1.1.5): document signing as Acrobat reads it.
ADOBE_AUTHENTIC_DOCUMENTS = ObjectIdentifier("1.2.840.113583.1.1.5")
DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")  # Microsoft document signing


@dataclass(frozen=True)
class Issued:
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    cert: x509.Certificate


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key(use_rsa: bool):
    """ECDSA P-256 by default: smaller signatures, and no slower to sign through pyHanko."""
    return rsa.generate_private_key(65537, 2048) if use_rsa else ec.generate_private_key(ec.SECP256R1())


def make_ca(common_name: str, organisation: str, *, years: int = 20, use_rsa: bool = False) -> Issued:
    key = _key(use_rsa)
    name = _name(common_name, organisation)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Issued(key, cert)


def make_signer(ca: Issued, common_name: str, organisation: str, *, years: int = 5,
                timestamping: bool = False, use_rsa: bool = False) -> Issued:
    """A document-signing certificate (or, with `timestamping`, a TSA certificate) under `ca`."""
    key = _key(use_rsa)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    usages = ([ExtendedKeyUsageOID.TIME_STAMPING] if timestamping
              else [ADOBE_AUTHENTIC_DOCUMENTS, DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION])
    cert = (x509.CertificateBuilder().subject_name(_name(common_name, organisation))
            .issuer_name(ca.cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=not timestamping,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage(usages), critical=timestamping)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return Issued(key, cert)


def pem_key(key, password: bytes | None = None) -> bytes:
    encryption = (serialization.BestAvailableEncryption(password) if password
                  else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def pem_cert(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def write_identity(folder: Path, signer: Issued, chain: list[x509.Certificate], *,
                   password: bytes | None = None) -> None:
    """key.pem (mode 0600), cert.pem, chain.pem: the shape every signing folder has."""
    folder.mkdir(parents=True, exist_ok=True)
    key_path = folder / "key.pem"
    key_path.write_bytes(pem_key(signer.key, password))
    key_path.chmod(0o600)
    (folder / "chain.pem").write_bytes(b"".join(pem_cert(c) for c in chain))
    (folder / "cert.pem").write_bytes(pem_cert(signer.cert))


def ensure_demo(signing_dir: Path) -> Path:
    """Create `<dir>/demo-ca/` and `<dir>/default/` once; returns the default identity folder.

    Under an exclusive file lock, so two processes starting at once (web + Celery worker) never
    make two different demo CAs: the second waits and uses the first one's files.
    """
    default = signing_dir / "default"
    if (default / "cert.pem").is_file():
        return default
    signing_dir.mkdir(parents=True, exist_ok=True)
    with open(signing_dir / ".demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (default / "cert.pem").is_file():
            return default
        ca = make_ca(f"TTĐN Demo CA {DEMO_SUFFIX}", f"Nền tảng TTĐN {DEMO_SUFFIX}")
        signer = make_signer(ca, f"Đơn vị cấp {DEMO_SUFFIX}", f"Nền tảng TTĐN {DEMO_SUFFIX}")
        ca_dir = signing_dir / DEMO_CA_DIR
        ca_dir.mkdir(exist_ok=True)
        (ca_dir / "ca-key.pem").write_bytes(pem_key(ca.key))
        (ca_dir / "ca-key.pem").chmod(0o600)
        (ca_dir / "ca.pem").write_bytes(pem_cert(ca.cert))
        write_identity(default, signer, [ca.cert])  # cert.pem last: its presence means "done"
    return default
