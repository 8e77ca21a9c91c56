"""Is this credential file ours and intact, and what does its certificate say today?

First the proof (against our published keys only, never a key the file brings), then the
verification code the credential id carries; the status itself comes from the certificate row
(`verdict_for_code`), the same source as the page, the API and the status list.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from django.conf import settings
from django.utils.translation import gettext as _

from certificates.credentials import issuers, proof
from certificates.verdicts import FileKind, FileVerdict, tampered, unknown, verdict_for_code

KIND = FileKind.CREDENTIAL


def _parse_time(value) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _code_and_revision(credential_id: str) -> tuple[str, int] | None:
    match = re.fullmatch(re.escape(settings.SITE_URL) + r"/verify/([A-Za-z0-9-]{1,24})/#r(\d{1,6})",
                         credential_id or "")
    return (match.group(1), int(match.group(2))) if match else None


def check_credential_bytes(data: bytes) -> FileVerdict:
    try:
        credential = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return unknown(KIND, _("The file is not a JSON credential."))
    if not isinstance(credential, dict):
        return unknown(KIND, _("The file is not a JSON credential."))
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or issuers.organisation_for_did(issuer_id) is None:
        return unknown(KIND, _("The credential was not issued by this platform."))
    found = _code_and_revision(credential.get("id", "") if isinstance(credential.get("id"), str)
                               else "")
    if found is None:
        return unknown(KIND, _("The credential does not carry a verification code of ours."))
    try:
        checked = proof.verify(credential, issuers.public_key_for)
    except proof.ProofError:
        return tampered(KIND, _("The credential's signature does not match its content: it was "
                                "changed after signing, or not signed with one of our keys."))
    method = checked.get("verificationMethod", "")
    if method.partition("#")[0] != issuer_id:
        return tampered(KIND, _("The credential is signed with a key of another issuer."))
    code, revision = found
    return verdict_for_code(kind=KIND, code=code, signed_by=method,
                            signed_at=_parse_time(checked.get("created")), revision=revision,
                            valid_until=_parse_time(credential.get("validUntil")))
