"""Signed documents, made once and kept: a certificate's credential (stored on its row per
revision, so every download is byte-identical and a bulk issue signs once), and each status
list credential (cached per list version, so a revoke shows on the next fetch after commit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.accounts.api import users_get
from certificates.credentials import issuers, keys, ob3, proof, status_lists
from certificates.credentials.loader import CREDENTIALS_V2
from certificates.models import Certificate, CredentialStatusList
from certificates.rendering import verify_url

STATUS_CACHE_SECONDS = 24 * 3600


def status_list_url(organisation_id: int, number: int) -> str:
    return f"{settings.SITE_URL}/credentials/status/{int(organisation_id)}/{int(number)}/"


def _hours(layout: dict) -> str:
    hours = layout.get("course_hours")
    if not hours:
        return ""
    value = float(hours)
    return f"{value:g}".replace(".", ",")


def unsigned_credential(certificate: Certificate, *, email: str,
                        status_list: CredentialStatusList) -> dict:
    language = certificate.layout.get("language") or "vi"
    with translation.override(language):
        hours = _hours(certificate.layout)
        narrative = (_("Completed the course “%(course)s” (%(hours)s hours).")
                     % {"course": certificate.course_title, "hours": hours} if hours else
                     _("Completed the course “%(course)s”.") % {"course": certificate.course_title})
        description = _("Certificate no. %(serial)s issued by %(issuer)s.") % {
            "serial": certificate.serial, "issuer": certificate.issuer_name}
    organisation_id = status_list.organisation_id
    return ob3.achievement_credential(
        credential_id=ob3.credential_id(verify_url(certificate.code), certificate.revision),
        issuer_id=issuers.issuer_did(organisation_id), issuer_name=certificate.issuer_name,
        issuer_url=settings.SITE_URL + "/", holder_name=certificate.holder_name,
        holder_email=email, salt=certificate.identity_salt, serial=certificate.serial,
        achievement_id=f"{settings.SITE_URL}/courses/{certificate.course_id}/",
        achievement_name=certificate.course_title, achievement_description=certificate.course_title,
        criteria_narrative=narrative, issued_at=certificate.issued_at,
        expires_on=certificate.expires_at,
        status_list_url=status_list_url(organisation_id, status_list.number),
        status_index=certificate.status_index, language=language, description=description)


def is_current(certificate: Certificate) -> bool:
    return bool(certificate.credential) and certificate.credential_revision == certificate.revision


def sign_many(certificates: list[Certificate]) -> int:
    """Sign and store the credential of each certificate whose stored one is missing or stale;
    returns how many were signed. One key, one query for e-mails, one update per row."""
    todo = [c for c in certificates if not is_current(c)]
    if not todo:
        return 0
    for certificate in todo:
        if certificate.status_list_id is None or not certificate.identity_salt:
            fresh = status_lists.ensure_position(certificate.pk)
            certificate.status_list_id = fresh.status_list_id
            certificate.status_index = fresh.status_index
            certificate.identity_salt = fresh.identity_salt
    lists = CredentialStatusList.objects.in_bulk({c.status_list_id for c in todo})
    emails = {u.id: u.email for u in users_get({c.user_id for c in todo}).values()}
    key = keys.active_key()
    for certificate in todo:
        text = signed_text(certificate, email=emails.get(certificate.user_id, ""),
                           status_list=lists[certificate.status_list_id], key=key)
        # Only for the revision it shows: a re-issue meanwhile makes it stale, not wrong.
        Certificate.objects.filter(pk=certificate.pk, revision=certificate.revision).update(
            credential=text, credential_revision=certificate.revision)
        certificate.credential, certificate.credential_revision = text, certificate.revision
    return len(todo)


def signed_text(certificate: Certificate, *, email: str, status_list: CredentialStatusList,
                key: keys.SigningKey) -> str:
    """The signed credential of the certificate's current revision, serialised (no query; the
    benchmark measures exactly this beside the PDF)."""
    unsigned = unsigned_credential(certificate, email=email, status_list=status_list)
    signed = proof.sign(unsigned, key=key, verification_method=issuers.verification_method(
        status_list.organisation_id, key.key_id))
    return serialise(signed)


def serialise(document: dict) -> str:
    """Compact UTF-8 JSON, Vietnamese kept as is (not \\u escapes)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def credential_text(certificate: Certificate) -> str:
    """The stored signed credential of the current revision (the exact text every download
    gets), signed now if missing or stale."""
    if not is_current(certificate):
        with transaction.atomic():
            sign_many([certificate])
    return certificate.credential


def credential_for(certificate: Certificate) -> dict:
    return json.loads(credential_text(certificate))


def status_list_credential(organisation_id: int, number: int) -> dict | None:
    """The signed BitstringStatusListCredential, or None if there is no such list."""
    status_list = CredentialStatusList.objects.filter(organisation_id=organisation_id,
                                                      number=number).first()
    if status_list is None:
        return None
    stamp = hashlib.sha256(repr(status_lists.version(status_list.pk)).encode()).hexdigest()[:24]
    cache_key = f"credentials:status:{status_list.pk}:{stamp}"
    document = cache.get(cache_key)
    if document is None:
        document = _sign_status_list(status_list)
        cache.set(cache_key, document, STATUS_CACHE_SECONDS)
    return document


def _sign_status_list(status_list: CredentialStatusList) -> dict:
    url = status_list_url(status_list.organisation_id, status_list.number)
    raw = status_lists.bitstring(status_list.size,
                                 status_lists.revoked_positions(status_list.pk))
    now = timezone.now()
    unsigned = {
        "@context": [CREDENTIALS_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuers.issuer_did(status_list.organisation_id),
        "validFrom": ob3.timestamp(now - dt.timedelta(seconds=1)),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": status_lists.encode(raw),
        },
    }
    key = keys.active_key()
    return proof.sign(unsigned, key=key, verification_method=issuers.verification_method(
        status_list.organisation_id, key.key_id))
