"""Open Badges 3.0 credential (unsigned) describing an issued certificate. Pure.

Shape follows the 1EdTech OB 3.0 AchievementCredential schema on the VC Data Model 2.0:
required are @context, id, type, name, issuer (Profile: id, type), validFrom and
credentialSubject (type, achievement; `id` or an `identifier`). The Achievement requires
id, type, name, description and criteria (id or narrative). `credentialStatus` and `proof`
are left out: the credential is published unsigned and revocation is checked at its `id`
(the public verification page).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _timestamp(value: dt.date | dt.datetime) -> str:
    """XML Schema dateTime with a zone, as the spec requires; plain dates mean midnight UTC."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("Open Badges timestamps need a time zone; pass an aware datetime.")
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def open_badge_credential(
    *,
    verify_url: str,
    holder_name: str,
    issuer_id: str,
    issuer_name: str,
    achievement_id: str,
    achievement_name: str,
    achievement_description: str,
    criteria_narrative: str,
    valid_from: dt.date | dt.datetime,
    valid_until: dt.date | dt.datetime | None = None,
    issuer_url: str | None = None,
    subject_id: str | None = None,
    credential_name: str | None = None,
    language: str = "vi",
) -> dict:
    """An `OpenBadgeCredential` dict ready for json.dumps (ensure_ascii=False keeps Vietnamese)."""
    for field, value in (("verify_url", verify_url), ("holder_name", holder_name),
                         ("issuer_id", issuer_id), ("issuer_name", issuer_name),
                         ("achievement_id", achievement_id), ("achievement_name", achievement_name)):
        if not value or not str(value).strip():
            raise ValueError(f"{field} is required for an Open Badges credential.")

    issuer: dict = {"id": issuer_id, "type": ["Profile"], "name": _text(issuer_name)}
    if issuer_url:
        issuer["url"] = issuer_url

    description = _text(achievement_description) or _text(achievement_name)
    subject: dict = {
        "type": ["AchievementSubject"],
        # The holder's name is printed on the certificate anyway; hashing it would gain nothing.
        "identifier": [{
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": _text(holder_name),
        }],
        "achievement": {
            "id": achievement_id,
            "type": ["Achievement"],
            "achievementType": "CertificateOfCompletion",
            "name": _text(achievement_name),
            "description": description,
            "criteria": {"narrative": _text(criteria_narrative) or description},
            "creator": issuer,
            "inLanguage": language,
        },
    }
    if subject_id:
        subject["id"] = subject_id

    credential: dict = {
        "@context": list(CONTEXT),
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _text(credential_name or achievement_name),
        "issuer": issuer,
        "validFrom": _timestamp(valid_from),
        "credentialSubject": subject,
    }
    if valid_until is not None:
        until = valid_until
        if not isinstance(until, dt.datetime):
            # A date is the last valid day: the credential stays valid until that day ends.
            until = dt.datetime(until.year, until.month, until.day, 23, 59, 59, tzinfo=dt.UTC)
        credential["validUntil"] = _timestamp(until)
    return credential
