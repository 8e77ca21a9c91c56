"""Issuer identity: every issuing unit is a did:web issuer, keys held by the platform.

`did:web:<host>[%3A<port>][:<site path>]:issuers:<unit id>` resolves (did:web method) to
`{SITE_URL}/issuers/<unit id>/did.json`. The document lists every published platform key as a
Multikey in `assertionMethod`, so a credential signed with any of them, before or after a
rotation, verifies; each proof names its key as `<did>#<key id>`.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from django.conf import settings

from certificates.credentials import keys
from certificates.credentials.loader import DID_V1, MULTIKEY_V1


def _site_segments() -> list[str]:
    parts = urlsplit(settings.SITE_URL)
    host = parts.hostname or "localhost"
    if parts.port:
        host = f"{host}%3A{parts.port}"
    return [host] + [quote(p, safe="") for p in parts.path.strip("/").split("/") if p]


def issuer_did(organisation_id: int) -> str:
    return "did:web:" + ":".join([*_site_segments(), "issuers", str(int(organisation_id))])


def organisation_for_did(did: str) -> int | None:
    """The unit a DID of ours names, or None when it is not ours."""
    prefix = "did:web:" + ":".join([*_site_segments(), "issuers"]) + ":"
    if not did.startswith(prefix):
        return None
    rest = did[len(prefix):]
    return int(rest) if rest.isdigit() else None


def did_document_url(organisation_id: int) -> str:
    return f"{settings.SITE_URL}/issuers/{int(organisation_id)}/did.json"


def verification_method(organisation_id: int, key_id: str) -> str:
    return f"{issuer_did(organisation_id)}#{key_id}"


def did_document(organisation_id: int) -> dict:
    did = issuer_did(organisation_id)
    methods = [{"id": f"{did}#{key.key_id}", "type": "Multikey", "controller": did,
                "publicKeyMultibase": key.public_multibase}
               for key in sorted(keys.all_keys().values(), key=lambda k: k.key_id)]
    document = {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }
    return document


def public_key_for(method: str):
    """The Ed25519 key a verification method of ours names, from the published keys only."""
    did, _sep, key_id = method.partition("#")
    if not key_id or organisation_for_did(did) is None:
        return None
    key = keys.all_keys().get(key_id)
    return key.public if key else None
