"""Who signs a certificate PDF: the issuing unit's own signing certificate, or the default.

Layout of `CERTIFICATES_SIGNING_DIR` (decision 0067):

    <dir>/default/{key.pem, cert.pem, chain.pem}      the platform's identity (required)
    <dir>/<unit code>/{key.pem, cert.pem, chain.pem}  an issuing unit's own, when it has one
    <dir>/demo-ca/ca.pem                              the demo root (embedded default only)

The key may be encrypted (CERTIFICATES_SIGNING_KEY_PASSWORD, or the per-unit
CERTIFICATES_SIGNING_KEY_PASSWORD_<CODE> env variable). Keys never enter the database. Each
identity is loaded once per process and kept: parsing PEM and building the signer per PDF
would cost more than the signature itself.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from certificates.pades import demo_ca

FILES = ("key.pem", "cert.pem")


class SigningUnavailable(ImproperlyConfigured):
    """Signing is on but no usable identity exists: refuse to issue unsigned certificates."""


@dataclass(frozen=True)
class Identity:
    folder: Path
    signer: object  # certificates.pades.prepared.PreparedSigner (a pyHanko SimpleSigner)
    name: str  # the signing certificate's common name, shown in the visible signature
    demo: bool


def signing_dir() -> Path:
    return Path(settings.CERTIFICATES_SIGNING_DIR)


def demo_allowed() -> bool:
    return bool(getattr(settings, "CERTIFICATES_SIGNING_DEMO", settings.DEBUG))


def _safe_code(code: str) -> str:
    return code if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", code or "") else ""


def folder_for(unit_code: str = "") -> Path:
    """The unit's folder if it holds a certificate, else the default one."""
    code = _safe_code(unit_code)
    if code and code not in ("default", demo_ca.DEMO_CA_DIR):
        unit = signing_dir() / code
        if (unit / "cert.pem").is_file():
            return unit
    return signing_dir() / "default"


def problems() -> list[str]:
    """What stops signing (empty = fine): for the system check and the startup guard."""
    if not settings.CERTIFICATES_SIGN_PDFS:
        return []
    default = signing_dir() / "default"
    if demo_allowed() and not default.exists():
        return []  # made on first use
    missing = [f for f in FILES if not (default / f).is_file()]
    out = [f"Certificate PDFs are signed (CERTIFICATES_SIGN_PDFS) but {default / f} is missing."
           for f in missing]
    if not missing and not demo_allowed() and _is_demo_folder(default):
        out.append(f"{default} holds the demo signing certificate, which has no legal value; "
                   "put the issuing body's own key.pem, cert.pem and chain.pem there.")
    for root in settings.CERTIFICATES_TRUST_ROOTS:
        if not Path(root).is_file():
            out.append(f"CERTIFICATES_TRUST_ROOTS names {root}, which is not a file.")
    return out


def _password(folder: Path) -> bytes | None:
    """The unit's own password variable, else the common one; None for an unencrypted key."""
    if b"ENCRYPTED" not in (folder / "key.pem").read_bytes()[:200]:
        return None
    code = folder.name.upper().replace("-", "_").replace(".", "_")
    value = os.environ.get(f"CERTIFICATES_SIGNING_KEY_PASSWORD_{code}") or \
        getattr(settings, "CERTIFICATES_SIGNING_KEY_PASSWORD", "")
    return value.encode() if value else None


_lock = threading.Lock()


def identity_for(unit_code: str = "") -> Identity:
    folder = folder_for(unit_code)
    with _lock:
        if folder.name == "default" and not (folder / "cert.pem").is_file() and demo_allowed():
            demo_ca.ensure_demo(signing_dir())
        return _load(str(folder))


@functools.lru_cache(maxsize=64)
def _load(folder: str) -> Identity:
    from pyhanko.sign.signers import SimpleSigner

    from certificates.pades.prepared import PreparedSigner

    path = Path(folder)
    missing = [f for f in FILES if not (path / f).is_file()]
    if missing:
        raise SigningUnavailable(f"Signing identity {path} lacks {', '.join(missing)}.")
    chain = [str(path / "chain.pem")] if (path / "chain.pem").is_file() else None
    signer = SimpleSigner.load(str(path / "key.pem"), str(path / "cert.pem"), ca_chain_files=chain,
                               key_passphrase=_password(path))
    if signer is None:
        raise SigningUnavailable(f"Could not read the key or certificate in {path} "
                                 "(wrong CERTIFICATES_SIGNING_KEY_PASSWORD?).")
    # The same CMS as SimpleSigner, with the constant parts prepared once (prepared.py).
    signer = PreparedSigner.from_simple(signer)
    name = signer.signing_cert.subject.native.get("common_name") or folder
    demo = demo_ca.DEMO_SUFFIX in name
    return Identity(folder=path, signer=signer, name=name, demo=demo)


def reset() -> None:
    """Forget loaded identities (tests, or after rotating files without restarting)."""
    _load.cache_clear()
    trust_roots.cache_clear()


@functools.lru_cache(maxsize=1)
def trust_roots() -> tuple:
    """The roots the checker trusts: CERTIFICATES_TRUST_ROOTS plus the demo root when the demo
    identity is allowed (it is meaningless to anyone but this platform)."""
    from pyhanko.keys import load_certs_from_pemder

    files = [Path(p) for p in settings.CERTIFICATES_TRUST_ROOTS]
    demo_root = signing_dir() / demo_ca.DEMO_CA_DIR / "ca.pem"
    if demo_allowed():
        if not demo_root.is_file():
            identity_for("")
        files.append(demo_root)
    certs = []
    for f in files:
        if f.is_file():
            certs.extend(load_certs_from_pemder([str(f)]))
    # The roots handed over with our own identities (the self-signed ends of their chain.pem): a
    # PDF this platform signed checks as ours without repeating them in CERTIFICATES_TRUST_ROOTS.
    base = signing_dir()
    chains = sorted(base.glob("*/chain.pem")) if base.is_dir() else []
    for chain in chains:
        if not demo_allowed() and _is_demo_folder(chain.parent):
            continue
        certs.extend(c for c in load_certs_from_pemder([str(chain)]) if c.self_signed)
    return tuple(certs)


def _is_demo_folder(folder: Path) -> bool:
    """A folder holding the demo signer (its names carry DEMO_SUFFIX): never trusted, never
    signing, once the demo is off (production)."""
    from pyhanko.keys import load_certs_from_pemder

    cert = folder / "cert.pem"
    try:
        return cert.is_file() and any(demo_ca.DEMO_SUFFIX in str(c.subject.human_friendly)
                                      for c in load_certs_from_pemder([str(cert)]))
    except Exception:  # an unreadable file is reported by problems(), not here
        return False
