"""The Open Badges 3.0 OpenBadgeCredential (AchievementCredential) of one certificate revision,
on the VC Data Model 2.0, unsigned. Pure: it takes values, not rows.

Required by 1EdTech's schema and the spec: @context, id, type, name, issuer (Profile: id, type),
validFrom, credentialSubject (type, achievement; an `identifier` as the subject has no DID);
the Achievement: id, type, name, description, criteria (narrative). We add validUntil when the
certificate expires and a credentialStatus entry (Bitstring Status List).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
import zoneinfo

from certificates.credentials.loader import CREDENTIALS_V2, OB_V3P0

CONTEXT = [CREDENTIALS_V2, OB_V3P0]
# The schema it validates against (tests/certificates/schemas/), named in the docs.
SCHEMA = ("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
          "ob_v3p0_achievementcredential_schema.json")
LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def timestamp(value: dt.datetime) -> str:
    """XML Schema dateTime in UTC with Z, to the second."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("Open Badges timestamps need a time zone; pass an aware datetime.")
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def end_of_day(day: dt.date) -> dt.datetime:
    """A certificate's expires_at is its last valid day: valid until that day ends in Vietnam,
    i.e. the next day at 00:00 Asia/Ho_Chi_Minh."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL)


def text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def identity_hash(email: str, salt: str) -> str:
    """OB IdentityHash: 'sha256$' + hex sha256(identifier + salt), both UTF-8."""
    normalised = (email or "").strip().lower()
    return "sha256$" + hashlib.sha256((normalised + salt).encode("utf-8")).hexdigest()


def credential_id(verify_url: str, revision: int) -> str:
    """One id per certificate revision: the public verification page plus `#r<revision>`, so
    the id dereferences to a page a person can read, and carries the verification code."""
    return f"{verify_url}#r{int(revision)}"


def achievement_credential(
    *,
    credential_id: str,
    issuer_id: str,
    issuer_name: str,
    issuer_url: str,
    holder_name: str,
    holder_email: str,
    salt: str,
    serial: str,
    achievement_id: str,
    achievement_name: str,
    achievement_description: str,
    criteria_narrative: str,
    issued_at: dt.datetime,
    expires_on: dt.date | None,
    status_list_url: str,
    status_index: int,
    language: str = "vi",
    description: str = "",
) -> dict:
    for field, value in (("credential_id", credential_id), ("holder_name", holder_name),
                         ("issuer_id", issuer_id), ("issuer_name", issuer_name),
                         ("achievement_id", achievement_id), ("achievement_name", achievement_name),
                         ("status_list_url", status_list_url), ("salt", salt)):
        if not value or not str(value).strip():
            raise ValueError(f"{field} is required for an Open Badges credential.")
    issuer = {"id": issuer_id, "type": ["Profile"], "name": text(issuer_name), "url": issuer_url}
    identifiers = []
    if holder_email:
        identifiers.append({"type": "IdentityObject", "identityType": "emailAddress",
                            "hashed": True, "identityHash": identity_hash(holder_email, salt),
                            "salt": salt})
    # The name is printed on the certificate anyway; hashing it would hide nothing.
    identifiers.append({"type": "IdentityObject", "identityType": "name", "hashed": False,
                        "identityHash": text(holder_name)})
    summary = text(achievement_description) or text(achievement_name)
    credential: dict = {
        "@context": list(CONTEXT),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": text(achievement_name),
        "issuer": issuer,
        "validFrom": timestamp(issued_at),
        "awardedDate": timestamp(issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "licenseNumber": text(serial),  # the serial printed on the certificate
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "CertificateOfCompletion",
                "name": text(achievement_name),
                "description": summary,
                "criteria": {"narrative": text(criteria_narrative) or summary},
                "creator": dict(issuer),
                "inLanguage": language,
            },
        },
        # No `credentialSchema`: its type 1EdTechJsonSchemaValidator2019 is defined by neither
        # context, so signing it fails safe-mode canonicalisation in verifiers (decision 0066).
        "credentialStatus": {
            "id": f"{status_list_url}#{int(status_index)}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(int(status_index)),
            "statusListCredential": status_list_url,
        },
    }
    if description:
        credential["description"] = text(description)
    if expires_on is not None:
        credential["validUntil"] = timestamp(end_of_day(expires_on))
    return credential
