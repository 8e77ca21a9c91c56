"""Data Integrity proofs with the W3C `eddsa-rdfc-2022` cryptosuite (vc-di-eddsa).

Signing: the proof options (without proofValue, with the document's @context) and the document
(without proof) are each canonicalised with RDFC-1.0 to N-Quads and hashed with SHA-256; the
Ed25519 signature covers proofConfigHash || documentHash; proofValue is multibase base58btc.
The same steps in reverse verify a proof (check.py, and our own tests against the JS stack).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from functools import lru_cache

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

from certificates.credentials.keys import SigningKey
from certificates.credentials.loader import strict_loader

CRYPTOSUITE = "eddsa-rdfc-2022"
# pyld caches processed contexts in the active context cache when the loader is shared across
# calls; one options dict keeps that cache warm across signatures.
_OPTIONS = {"algorithm": "URDNA2015", "format": "application/n-quads",
            "documentLoader": strict_loader, "safe": True}


class ProofError(ValueError):
    """The proof is missing, malformed, or does not match the document."""


def canonical(document: dict) -> str:
    return jsonld.normalize(document, dict(_OPTIONS))


@lru_cache(maxsize=256)
def _config_hash(config_json: str) -> bytes:
    """A bulk issue signs many documents in the same second with the same key: their proof
    configurations are equal, so each is canonicalised once (a third of the work saved)."""
    return hashlib.sha256(canonical(json.loads(config_json)).encode("utf-8")).digest()


def _hash_data(document: dict, proof_config: dict) -> bytes:
    config_hash = _config_hash(json.dumps(proof_config, sort_keys=True, ensure_ascii=False))
    document_hash = hashlib.sha256(canonical(document).encode("utf-8")).digest()
    return config_hash + document_hash


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sign(document: dict, *, key: SigningKey, verification_method: str,
         created: str | None = None) -> dict:
    """A copy of `document` with a DataIntegrityProof (assertionMethod) by `key`."""
    if key.private is None:
        raise ValueError(f"Key {key.key_id} is retired: it verifies, it does not sign.")
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created or _now(),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    config = {**options, "@context": unsigned["@context"]}
    signature = key.private.sign(_hash_data(unsigned, config))
    signed = copy.deepcopy(unsigned)
    signed["proof"] = {**options, "proofValue": "z" + base58.b58encode(signature).decode("ascii")}
    return signed


def verify(document: dict, public_key_for) -> dict:
    """The proof of a signed document if it holds; ProofError otherwise.

    `public_key_for(verification_method) -> Ed25519PublicKey | None` resolves the key the proof
    names (ours: from the published key directory, never from the document itself).
    """
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("no proof")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("not an eddsa-rdfc-2022 Data Integrity proof")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("proof purpose is not assertionMethod")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("proofValue is not base58btc multibase")
    method = proof.get("verificationMethod")
    public: Ed25519PublicKey | None = public_key_for(method) if isinstance(method, str) else None
    if public is None:
        raise ProofError("unknown verification method")
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    if "@context" not in unsigned:
        raise ProofError("no @context")
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = unsigned["@context"]
    try:
        signature = base58.b58decode(value[1:])
        data = _hash_data(unsigned, config)
    except (ValueError, jsonld.JsonLdError) as exc:
        raise ProofError(f"cannot canonicalise: {exc}") from exc
    try:
        public.verify(signature, data)
    except InvalidSignature as exc:
        raise ProofError("signature does not match") from exc
    return proof
