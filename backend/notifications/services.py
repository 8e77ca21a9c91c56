"""Every write of notifications: create (with the outbox row), read, preferences, send, digest."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.notifications import registry
from backend.notifications.models import (
    DefaultPreference,
    Delivery,
    Notification,
    OutboxEmail,
    OutboxStatus,
    Preference,
)
from backend.notifications.registry import Item

log = logging.getLogger(__name__)

DIGEST_KIND = "digest"


# --- Preferences ------------------------------------------------------------------------------

def deliveries_for(user_ids: Iterable[int], kinds: Iterable[str]) -> dict[tuple[int, str], str]:
    """(user, kind) -> delivery: the person's choice, else the administrators' default, else the
    kind's own default. Two queries whatever the number of people."""
    user_ids, kinds = list(set(user_ids)), list(set(kinds))
    defaults = {k: registry.kind(k).default if registry.kind(k) else Delivery.EMAIL for k in kinds}
    defaults.update(dict(DefaultPreference.objects.filter(kind__in=kinds)
                         .values_list("kind", "delivery")))
    chosen = {(u, k): d for u, k, d in Preference.objects.filter(
        user_id__in=user_ids, kind__in=kinds).values_list("user_id", "kind", "delivery")}
    return {(u, k): chosen.get((u, k), defaults[k]) for u in user_ids for k in kinds}


def preferences_get(user) -> list[dict]:
    kinds = registry.kinds()
    deliveries = deliveries_for([user.pk], kinds)
    return [{"kind": code, "label": str(k.label), "delivery": deliveries[(user.pk, code)]}
            for code, k in kinds.items()]


def check_deliveries(changes: dict) -> dict[str, str]:
    from backend.errors import DomainError

    known = registry.kinds()
    clean = {}
    for code, delivery in changes.items():
        if code not in known:
            message = _("Unknown notification kind: %(kind)s.") % {"kind": code}
            raise DomainError(message, code="unknown_kind", fields={code: [message]})
        if delivery not in Delivery.values:
            message = _("Choose one of: email, digest, site.")
            raise DomainError(message, code="invalid_delivery", fields={code: [message]})
        clean[code] = delivery
    return clean


@transaction.atomic
def preferences_update(*, user, changes: dict[str, str]) -> list[dict]:
    for code, delivery in check_deliveries(changes).items():
        Preference.objects.update_or_create(user=user, kind=code, defaults={"delivery": delivery})
    return preferences_get(user)


def may_change_defaults(user) -> bool:
    """Only a platform administrator (an administrator of no particular unit) changes the
    platform-wide defaults (decision 0062); the REST endpoint and the page both ask here."""
    from backend.accounts.api import Role, subtree_paths, user_role_scopes

    scopes = user_role_scopes(user)
    return (any(s.role == Role.ADMINISTRATOR for s in scopes)
            and subtree_paths(scopes, [Role.ADMINISTRATOR]) is None)


@transaction.atomic
def default_preferences_update(*, actor, changes: dict[str, str]) -> dict[str, str]:
    """Set the platform default of the kinds named, one audit entry per kind."""
    from backend.audit.api import audit_record
    from backend.errors import Forbidden

    if not may_change_defaults(actor):
        raise Forbidden(_("Only a platform administrator can change the defaults."))
    clean = check_deliveries(changes)
    for code, delivery in clean.items():
        row, _created = DefaultPreference.objects.update_or_create(
            kind=code, defaults={"delivery": delivery})
        audit_record(actor=actor, verb="notifications.default_changed", target=row,
                     details={"kind": code, "delivery": delivery})
    return default_preferences_get()


def default_preferences_get() -> dict[str, str]:
    saved = dict(DefaultPreference.objects.values_list("kind", "delivery"))
    return {code: saved.get(code, k.default) for code, k in registry.kinds().items()}


def default_preferences_rows() -> list[dict]:
    """The defaults as the page lists them: kind, its label, its delivery."""
    kinds, defaults = registry.kinds(), default_preferences_get()
    return [{"kind": code, "label": str(k.label), "delivery": defaults[code]}
            for code, k in kinds.items()]


# --- Creating notifications -------------------------------------------------------------------

def _render(item: Item) -> tuple[str, str]:
    """Title and body in the active language (the caller activates the recipient's)."""
    spec = registry.kind(item.kind)
    template = spec.template if spec and spec.template else f"notifications/{item.kind}"
    context = {**item.context, "site_name": settings.SITE_NAME, "url": absolute(item.url)}
    title = " ".join(render_to_string(f"{template}_title.txt", context).split())
    body = render_to_string(f"{template}.txt", context).strip()
    return title[:300], body


def _render_all(items: list[Item], people: dict) -> dict[int, tuple[str, str]]:
    """index -> (title, body), one language switch per language, not per item."""
    by_language = defaultdict(list)
    for index, item in enumerate(items):
        by_language[people[item.recipient_id]["language"] or settings.LANGUAGE_CODE].append(index)
    out = {}
    for language, indexes in by_language.items():
        with translation.override(language):
            for index in indexes:
                out[index] = _render(items[index])
    return out


def absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def notify(items: Iterable[Item], *, now: datetime | None = None, dry_run: bool = False,
           email: bool = True) -> list[Notification]:
    """Create each item's notification once (per recipient and key) and, where the person gets
    e-mail now, its outbox row in the same transaction; the e-mail goes after commit.

    `email=False`: in the site only (the caller sends its own e-mail, e.g. with an attachment).
    Returns the notifications this call created (a concurrent run may have created a few of them
    at the same instant: the UNIQUE keys keep one, and the count printed may then count it twice)."""
    now = now or timezone.now()
    items = list({(i.recipient_id, i.dedup_key): i for i in items}.values())
    if not items:
        return []
    existing = set(Notification.objects.filter(
        recipient_id__in={i.recipient_id for i in items},
        dedup_key__in={i.dedup_key for i in items}).values_list("recipient_id", "dedup_key"))
    items = [i for i in items if (i.recipient_id, i.dedup_key) not in existing]
    people = {u["pk"]: u for u in get_user_model().objects.filter(
        pk__in={i.recipient_id for i in items}, is_active=True).values("pk", "email", "language")}
    items = [i for i in items if i.recipient_id in people]
    deliveries = deliveries_for(people, {i.kind for i in items})
    rows, mails = [], []
    rendered = _render_all(items, people)
    for index, item in enumerate(items):
        person = people[item.recipient_id]
        title, body = rendered[index]
        delivery = deliveries[(item.recipient_id, item.kind)]
        app, model, pk = item.subject
        rows.append(Notification(
            recipient_id=item.recipient_id, kind=item.kind, subject_app=app, subject_model=model,
            subject_id=pk, offset=item.offset, dedup_key=item.dedup_key, title=title, body=body,
            url=item.url, delivery=delivery, created_at=now))
        if email and delivery == Delivery.EMAIL and person["email"]:
            mails.append(OutboxEmail(
                recipient_id=item.recipient_id, dedup_key=item.dedup_key, kind=item.kind,
                subject_id=pk, offset=item.offset, to=person["email"], subject=title,
                body=body, next_attempt_at=now, created_at=now))
    if dry_run:
        return rows
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        OutboxEmail.objects.bulk_create(mails, ignore_conflicts=True)
        if mails:
            send_outbox_after_commit()
    return rows


def send_outbox_after_commit() -> None:
    from backend.notifications.tasks import send_outbox

    transaction.on_commit(send_outbox.delay)


# --- Reading ----------------------------------------------------------------------------------

def notification_mark_read(*, user, notification_id: int) -> Notification | None:
    row = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if row is not None and row.read_at is None:
        row.read_at = timezone.now()
        Notification.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=row.read_at)
    return row


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())


# --- Sending the outbox -----------------------------------------------------------------------

def backoff_seconds(attempts: int) -> int:
    """1, 2, 4, … minutes, at most NOTIFICATIONS_RETRY_MAX_SECONDS."""
    return min(60 * 2 ** max(attempts - 1, 0), settings.NOTIFICATIONS_RETRY_MAX_SECONDS)


def _claim(now: datetime, limit: int) -> list[OutboxEmail]:
    """Take due rows for this run. A row stays claimed for NOTIFICATIONS_CLAIM_SECONDS: a run that
    crashes leaves it to the next run after that, the other workers skip it meanwhile."""
    with transaction.atomic():
        rows = list(OutboxEmail.objects.select_for_update(skip_locked=True).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            status=OutboxStatus.PENDING, next_attempt_at__lte=now).order_by("pk")[:limit])
        OutboxEmail.objects.filter(pk__in=[r.pk for r in rows]).update(
            claimed_until=now + timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS))
    return rows


def _still_true(rows: list[OutboxEmail], now: datetime) -> set[int]:
    """Ids of the rows that are still worth sending."""
    keep = {r.pk for r in rows}
    by_kind = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)
    for kind_code, group in by_kind.items():
        check = registry.still_true_for(kind_code)
        if check is None:
            continue
        true = check(kind_code, [(r.recipient_id, r.subject_id, r.offset) for r in group], now)
        keep -= {r.pk for r in group if (r.recipient_id, r.subject_id, r.offset) not in true}
    return keep


def send_outbox(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send what is due; retry failures with bounded backoff; give up after the last attempt."""
    now = now or timezone.now()
    counts = {"sent": 0, "cancelled": 0, "failed": 0, "retry": 0}
    rows = _claim(now, limit)
    if not rows:
        return counts
    keep = _still_true(rows, now)
    dropped = [r.pk for r in rows if r.pk not in keep]
    if dropped:
        OutboxEmail.objects.filter(pk__in=dropped).update(status=OutboxStatus.CANCELLED,
                                                          claimed_until=None)
        counts["cancelled"] = len(dropped)
    connection = get_connection()
    for row in rows:
        if row.pk not in keep:
            continue
        try:
            EmailMessage(subject=row.subject, body=row.body, to=[row.to],
                         connection=connection).send()
        except Exception as error:
            attempts = row.attempts + 1
            failed = attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
            OutboxEmail.objects.filter(pk=row.pk).update(
                attempts=attempts, claimed_until=None, last_error=str(error)[:500],
                status=OutboxStatus.FAILED if failed else OutboxStatus.PENDING,
                next_attempt_at=now + timedelta(seconds=backoff_seconds(attempts)))
            counts["failed" if failed else "retry"] += 1
            log.warning("notification e-mail %s failed (%s attempts): %s", row.pk, attempts, error)
            continue
        OutboxEmail.objects.filter(pk=row.pk).update(
            status=OutboxStatus.SENT, sent_at=timezone.now(), attempts=row.attempts + 1,
            claimed_until=None)
        counts["sent"] += 1
    return counts


# --- Daily digest -----------------------------------------------------------------------------

def digest_due(now: datetime) -> bool:
    return timezone.localtime(now).hour >= settings.NOTIFICATIONS_DIGEST_HOUR


def build_digests(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """One e-mail per person with pending digest items, at most one a day (the key is the local
    date). Items no longer true are left out; items arriving after today's digest wait for
    tomorrow's. Items and the e-mail are written in one transaction."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    key = f"{DIGEST_KIND}:{day.isoformat()}"
    pending = Notification.objects.filter(delivery=Delivery.DIGEST, digested_at__isnull=True,
                                          created_at__lte=now)
    already = OutboxEmail.objects.filter(dedup_key=key).values("recipient_id")
    recipient_ids = list(pending.exclude(recipient_id__in=already)
                         .values_list("recipient_id", flat=True).distinct()[:5000])
    made = 0
    people = {u["pk"]: u for u in get_user_model().objects.filter(pk__in=recipient_ids)
              .values("pk", "email", "language", "full_name")}
    for start in range(0, len(recipient_ids), 200):
        chunk = recipient_ids[start:start + 200]
        items = list(pending.filter(recipient_id__in=chunk).order_by("recipient_id", "created_at"))
        by_person = defaultdict(list)
        for row in items:
            by_person[row.recipient_id].append(row)
        keep: set[int] = set()
        by_kind = defaultdict(list)
        for row in items:
            by_kind[row.kind].append(row)
        for kind_code, group in by_kind.items():
            check = registry.still_true_for(kind_code)
            true = (check(kind_code, [(r.recipient_id, r.subject_id, r.offset) for r in group], now)
                    if check else None)
            keep |= {r.pk for r in group
                     if true is None or (r.recipient_id, r.subject_id, r.offset) in true}
        mails = []
        for person_id, rows in by_person.items():
            person = people.get(person_id)
            rows = [r for r in rows if r.pk in keep]
            if not person or not person["email"] or not rows:
                continue
            with translation.override(person["language"] or settings.LANGUAGE_CODE):
                context = {"name": person["full_name"], "items": [
                    {"title": r.title, "url": absolute(r.url), "created_at": r.created_at}
                    for r in rows], "site_name": settings.SITE_NAME, "day": day,
                    "centre_url": absolute("/notifications/")}
                subject = " ".join(render_to_string(
                    "notifications/digest_title.txt", context).split())
                body = render_to_string("notifications/digest.txt", context).strip()
            mails.append(OutboxEmail(recipient_id=person_id, dedup_key=key, kind=DIGEST_KIND,
                                     to=person["email"], subject=subject, body=body,
                                     next_attempt_at=now, created_at=now))
        made += len(mails)
        if dry_run:
            continue
        with transaction.atomic():
            OutboxEmail.objects.bulk_create(mails, ignore_conflicts=True)
            Notification.objects.filter(pk__in=[r.pk for r in items]).update(digested_at=now)
            if mails:
                send_outbox_after_commit()
    return made
