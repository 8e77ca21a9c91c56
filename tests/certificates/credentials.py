"""Helpers of the credential tests: run the independent JavaScript verifier, fetch our public
documents with the test client."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

VERIFIER = Path(__file__).resolve().parent / "verifier" / "verify.mjs"
CONTEXTS = Path(__file__).resolve().parent / "verifier" / "contexts.mjs"
SIGNER = Path(__file__).resolve().parent / "verifier" / "sign.mjs"


def node() -> str | None:
    return shutil.which("node")


def _env() -> dict:
    return {**os.environ, "TTDN_NODE_MODULES": str(settings.NODE_MODULES_DIR)}


def run_verifier(credential: dict, documents: dict, now: str | None = None) -> dict:
    """The Digital Bazaar verifier's answer (run from / so nothing depends on the cwd)."""
    payload = {"credential": credential, "documents": documents}
    if now:
        payload["now"] = now
    done = subprocess.run([node(), str(VERIFIER)], input=json.dumps(payload).encode(),
                          capture_output=True, cwd="/", env=_env(), timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def npm_contexts() -> dict:
    done = subprocess.run([node(), str(CONTEXTS)], capture_output=True, cwd="/", env=_env(),
                          timeout=60, check=True)
    return json.loads(done.stdout)


def public_documents(client, credential: dict) -> dict:
    """What an outside verifier fetches for this credential: the issuer's DID document (from
    /issuers/<id>/did.json) and the status list credential, through our own endpoints."""
    from certificates.credentials.issuers import organisation_for_did

    issuer = credential["issuer"]["id"]
    unit = organisation_for_did(issuer)
    did = client.get(f"/issuers/{unit}/did.json")
    assert did.status_code == 200, did.content
    status_url = credential["credentialStatus"]["statusListCredential"]
    status = client.get(status_url.removeprefix(settings.SITE_URL))
    assert status.status_code == 200, status.content
    return {issuer: did.json(), status_url: status.json()}


def js_sign(document: dict, *, seed: bytes, verification_method: str, created: str) -> dict:
    """The Digital Bazaar stack's signature of `document` (see verifier/sign.mjs)."""
    payload = {"document": document, "seed": seed.hex(), "verificationMethod": verification_method,
               "created": created}
    done = subprocess.run([node(), str(SIGNER)], input=json.dumps(payload).encode(),
                          capture_output=True, cwd="/", env=_env(), timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)
