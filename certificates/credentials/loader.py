"""A JSON-LD document loader that serves the vendored contexts and refuses everything else.

Why strict: canonicalisation (RDFC-1.0) depends on the contexts; fetching them at signing or
checking time would let the network change what we sign, slow every signature and fail when
offline. The files under contexts/ are the npm packages' copies (a test checks for drift).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from pyld.jsonld import JsonLdError

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"

FILES = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OB_V3P0: "ob-v3p0-context-3.0.3.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
}


@cache
def context_document(url: str) -> dict:
    return json.loads((CONTEXTS_DIR / FILES[url]).read_text(encoding="utf-8"))


def strict_loader(url: str, options: dict | None = None) -> dict:
    """pyld's loader interface; any URL not vendored is an error, never a fetch."""
    if url not in FILES:
        raise JsonLdError(f"Refusing to load {url}: only vendored contexts are used.",
                          "jsonld.LoadDocumentError", code="loading document failed")
    # "tag": "static" lets pyld keep the resolved context in its shared cache across calls
    # (without it every signature re-resolves every context: 2-3x slower); a copy, because pyld
    # resolves relative URLs in place.
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(context_document(url)),
            "tag": "static"}
