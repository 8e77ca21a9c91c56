"""W3C Bitstring Status Lists: one per issuing unit (the credential's issuer must be the list's),
131,072 positions each (16 KB, the spec's minimum for herd privacy), a further list when full.

A position is allocated once per certificate, in the transaction that issues it, and every
revision keeps it. The bits are never stored: `encoded_list` projects Certificate.revoked_at
(revoked = 1) when the list is served, so the list and the verification page share one source.
"""

from __future__ import annotations

import base64
import gzip
import secrets

from django.db import IntegrityError, transaction

from certificates.models import Certificate, CredentialStatusList

LIST_SIZE = 131072  # 2**17 bits = 16 KB


def position(status_list: CredentialStatusList, n: int) -> int:
    """The n-th allocated position: an odd multiplier makes n -> a*n+b mod 2^k a bijection."""
    return (status_list.multiplier * n + status_list.offset) % status_list.size


def _new_list(organisation_id: int, number: int) -> CredentialStatusList:
    return CredentialStatusList(organisation_id=organisation_id, number=number, size=LIST_SIZE,
                                multiplier=secrets.randbelow(LIST_SIZE // 2) * 2 + 1,
                                offset=secrets.randbelow(LIST_SIZE))


def _lock_open_list(organisation_id: int) -> CredentialStatusList:
    """The unit's newest list with room, locked (created on first use or when full)."""
    current = (CredentialStatusList.objects.select_for_update()
               .filter(organisation_id=organisation_id).order_by("-number").first())
    if current is not None and current.allocated < current.size:
        return current
    number = current.number + 1 if current else 1
    try:
        with transaction.atomic():
            _new_list(organisation_id, number).save()
    except IntegrityError:
        pass  # a concurrent issuer created it; lock theirs
    return CredentialStatusList.objects.select_for_update().get(organisation_id=organisation_id,
                                                                number=number)


def allocate(certificates: list[Certificate], organisation_id: int) -> None:
    """Give each certificate (not yet saved, or saved without a position) its position in the
    unit's status list. Call inside the issuing transaction; the list row lock serialises
    allocators of one unit, and the unique constraint is the last word."""
    todo = [c for c in certificates if c.status_list_id is None or
            _list_unit(c) != organisation_id]
    while todo:
        status_list = _lock_open_list(organisation_id)
        room = status_list.size - status_list.allocated
        batch, todo = todo[:room], todo[room:]
        for certificate in batch:
            certificate.status_list = status_list
            certificate.status_index = position(status_list, status_list.allocated)
            status_list.allocated += 1
            if not certificate.identity_salt:
                certificate.identity_salt = secrets.token_hex(16)
        status_list.save(update_fields=["allocated"])


def _list_unit(certificate: Certificate) -> int | None:
    if certificate.status_list_id is None:
        return None
    return CredentialStatusList.objects.filter(pk=certificate.status_list_id).values_list(
        "organisation_id", flat=True).first()


@transaction.atomic
def ensure_position(certificate_id: int) -> Certificate:
    """Certificates issued before status lists existed get their position lazily, the first
    time their credential is signed (decision 0066), under the row's lock."""
    certificate = Certificate.objects.select_for_update(of=("self",)).get(pk=certificate_id)
    if certificate.status_list_id is None or not certificate.identity_salt:
        allocate([certificate], certificate.serial_book_id)
        certificate.save(update_fields=["status_list", "status_index", "identity_salt"])
    return certificate


def version(status_list_id: int) -> tuple:
    """Changes whenever a certificate of the list is revoked or reinstated: both save
    updated_at, and the revoked count differs. Two index lookups (the newest updated_at of the
    list, and a count over the partial index of revoked rows), not a scan of 131,072 rows."""
    rows = Certificate.objects.filter(status_list_id=status_list_id)
    latest = rows.order_by("-updated_at").values_list("updated_at", flat=True).first()
    revoked = rows.filter(revoked_at__isnull=False).count()
    return (latest.isoformat() if latest else "", revoked)


def revoked_positions(status_list_id: int) -> list[int]:
    return list(Certificate.objects.filter(status_list_id=status_list_id, revoked_at__isnull=False)
                .values_list("status_index", flat=True))


def bitstring(size: int, set_positions) -> bytes:
    """Index 0 is the most significant bit of the first byte (the spec's order)."""
    bits = bytearray(size // 8)
    for index in set_positions:
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode(raw: bytes) -> str:
    """Multibase base64url without padding ('u') of the GZIP-compressed bitstring."""
    packed = gzip.compress(raw, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("not multibase base64url")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def is_set(raw: bytes, index: int) -> bool:
    return bool(raw[index // 8] & (0x80 >> (index % 8)))
