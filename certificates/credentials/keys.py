"""The platform's Ed25519 signing keys: PEM files in CREDENTIALS_KEYS_DIR, one per key id.

Why files: a private key must never sit in the database (a dump or a replica would leak it) nor
in git; operators back up and rotate a directory with ordinary tools. The key id is the file
name (`key-2026-12-02.pem`); every key found is published in the issuers' DID documents so
credentials signed before a rotation keep verifying. A retired key may be kept as
`<id>.pub.pem` only: it verifies, it can never sign again.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
MULTICODEC_ED25519_PUB = b"\xed\x01"


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None  # None: retired, published for verification only
    created: float  # file modification time, for "the newest"

    @property
    def public_multibase(self) -> str:
        return public_multibase(self.public)


def public_multibase(public: Ed25519PublicKey) -> str:
    """Multikey `publicKeyMultibase`: 'z' + base58btc(0xed01 + the 32 raw bytes)."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(MULTICODEC_ED25519_PUB + raw).decode("ascii")


def public_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("not base58btc multibase")
    raw = base58.b58decode(value[1:])
    if raw[:2] != MULTICODEC_ED25519_PUB or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def keys_dir() -> Path:
    return Path(settings.CREDENTIALS_KEYS_DIR)


def _read(path: Path) -> SigningKey | None:
    name = path.name
    data = path.read_bytes()
    if name.endswith(".pub.pem"):
        key_id = name[: -len(".pub.pem")]
        public = serialization.load_pem_public_key(data)
        private = None
    elif name.endswith(".pem"):
        key_id = name[: -len(".pem")]
        private = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ImproperlyConfigured(f"{path} is not an Ed25519 private key.")
        public = private.public_key()
    else:
        return None
    if not isinstance(public, Ed25519PublicKey):
        raise ImproperlyConfigured(f"{path} is not an Ed25519 key.")
    if not KEY_ID.match(key_id):
        raise ImproperlyConfigured(f"{path}: a key file name must be a plain key id "
                                   "(letters, digits, . _ -).")
    return SigningKey(key_id=key_id, public=public, private=private,
                      created=path.stat().st_mtime)


@lru_cache(maxsize=4)
def _load(directory: str, stamp: tuple) -> dict[str, SigningKey]:
    found: dict[str, SigningKey] = {}
    for path in sorted(Path(directory).glob("*.pem")):
        key = _read(path)
        if key is None:
            continue
        # A private key beats a stale public copy of the same id.
        if key.key_id not in found or key.private is not None:
            found[key.key_id] = key
    return found


def _stamp(directory: Path) -> tuple:
    """What changes when a key is added, replaced or removed (so a rotation is picked up
    without a restart, while a steady state costs one directory listing)."""
    try:
        return tuple(sorted((e.name, e.stat().st_mtime_ns) for e in os.scandir(directory)
                            if e.name.endswith(".pem")))
    except FileNotFoundError:
        return ()


def all_keys() -> dict[str, SigningKey]:
    """Every published key by id (private ones and retired public-only ones)."""
    directory = keys_dir()
    return _load(str(directory), _stamp(directory))


def problem() -> str:
    """Why no key can sign, or '' when one can (for the system check)."""
    try:
        keys = all_keys()
    except (ValueError, ImproperlyConfigured) as exc:
        return str(exc)
    wanted = settings.CREDENTIALS_ACTIVE_KEY
    if wanted:
        key = keys.get(wanted)
        if key is None:
            return f"CREDENTIALS_ACTIVE_KEY={wanted} but {keys_dir()} has no {wanted}.pem."
        if key.private is None:
            return f"CREDENTIALS_ACTIVE_KEY={wanted} is retired (public key only)."
        return ""
    if not any(k.private is not None for k in keys.values()):
        return (f"No credential signing key in {keys_dir()}: run `manage.py credentials_keygen` "
                "(or set CREDENTIALS_KEYS_DIR to the directory holding the keys).")
    return ""


def active_key() -> SigningKey:
    """The key that signs: CREDENTIALS_ACTIVE_KEY, or the newest private key. In development a
    demo key is generated on first use, so a fresh clone signs without a manual step."""
    if problem() and settings.CREDENTIALS_DEMO_KEY and not settings.CREDENTIALS_ACTIVE_KEY:
        generate()
    reason = problem()
    if reason:
        raise ImproperlyConfigured(reason)
    keys = all_keys()
    if settings.CREDENTIALS_ACTIVE_KEY:
        return keys[settings.CREDENTIALS_ACTIVE_KEY]
    private = [k for k in keys.values() if k.private is not None]
    return max(private, key=lambda k: (k.created, k.key_id))


def generate(key_id: str | None = None) -> SigningKey:
    """A new private key file, readable by its owner only (0600); refuses to overwrite."""
    directory = keys_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if key_id is None:
        base = "key-" + dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
        key_id, n = base, 1
        while (directory / f"{key_id}.pem").exists() or (directory / f"{key_id}.pub.pem").exists():
            n += 1
            key_id = f"{base}-{n}"
    if not KEY_ID.match(key_id):
        raise ValueError("A key id is letters, digits, '.', '_' and '-'.")
    path = directory / f"{key_id}.pem"
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return all_keys()[key_id]


def retire(key_id: str) -> Path:
    """Keep only the public half of a key: it stays published (old credentials verify) but
    can no longer sign. The private file is deleted after the public one is written."""
    directory = keys_dir()
    key = all_keys().get(key_id)
    if key is None:
        raise ValueError(f"No key {key_id} in {directory}.")
    public_path = directory / f"{key_id}.pub.pem"
    public_path.write_bytes(key.public.public_bytes(serialization.Encoding.PEM,
                                                    serialization.PublicFormat.SubjectPublicKeyInfo))
    (directory / f"{key_id}.pem").unlink(missing_ok=True)
    return public_path
