"""The course reminders and the enrolment notice, registered into backend.notifications.

Every candidate query is set-based: filtered and anti-joined ("not yet notified") in SQL and read
with `.iterator()` in chunks, so a run over a million enrolments holds one chunk in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.api import administrator_scopes, path_q
from backend.notifications.api import (
    Item,
    Kind,
    Producer,
    already_notified,
    notify,
    register_kind,
    register_producer,
)
from courses.due_dates import with_effective_due_at
from courses.models import Enrolment, EnrolmentStatus

ENROLLED = "enrolled"
COURSE_DUE = "course_due"
COURSE_OVERDUE = "course_overdue"
OVERDUE_DIGEST = "overdue_digest"
SUBJECT = ("courses", "enrolment")
PEOPLE_URL = "/manage/report/"


def _course_url(course_id: int) -> str:
    return f"/courses/{course_id}/"


def _open() -> Q:
    return Q(status=EnrolmentStatus.ACTIVE, completed_at__isnull=True, user__is_active=True)


def _chunks(rows: Iterable[dict], make, size: int | None = None) -> Iterator[list[Item]]:
    size = size or settings.NOTIFICATIONS_CHUNK
    chunk: list[Item] = []
    for row in rows:
        chunk.append(make(row))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _due_item(kind: str, offset: str):
    def make(row: dict) -> Item:
        return Item(recipient_id=row["user_id"], kind=kind, subject=(*SUBJECT, row["pk"]),
                    offset=offset, url=_course_url(row["course_id"]),
                    context={"course_title": row["course__title"], "due_at": row["effective_due_at"],
                             "days": int(offset[:-1]) if offset else 0})
    return make


def due_windows(now: datetime, offsets: Iterable[int]) -> list[tuple[str, datetime, datetime]]:
    """(offset, lower, upper]: the nearest offset only, so an enrolment first seen 12 hours
    before its due date gets the 1-day reminder, not the 7-day one as well."""
    windows, lower = [], now
    for days in sorted(set(offsets)):
        upper = now + timedelta(days=days)
        windows.append((f"{days}d", lower, upper))
        lower = upper
    return windows


def _candidates(kind: str, offset: str):
    return with_effective_due_at(Enrolment.objects.filter(_open())).exclude(
        already_notified(kind, offset, subject_id=OuterRef("pk"), recipient_id=OuterRef("user_id"))
    ).order_by()


FIELDS = ("pk", "user_id", "course_id", "course__title", "effective_due_at")


def collect_due(now: datetime) -> Iterator[list[Item]]:
    for offset, lower, upper in due_windows(now, settings.NOTIFICATIONS_COURSE_DUE_DAYS):
        rows = _candidates(COURSE_DUE, offset).filter(
            effective_due_at__gt=lower, effective_due_at__lte=upper).values(*FIELDS)
        yield from _chunks(rows.iterator(chunk_size=settings.NOTIFICATIONS_CHUNK),
                           _due_item(COURSE_DUE, offset))
    lookback = now - timedelta(days=settings.NOTIFICATIONS_LOOKBACK_DAYS)
    rows = _candidates(COURSE_OVERDUE, "").filter(
        effective_due_at__gt=lookback, effective_due_at__lte=now).values(*FIELDS)
    yield from _chunks(rows.iterator(chunk_size=settings.NOTIFICATIONS_CHUNK),
                       _due_item(COURSE_OVERDUE, ""))
    yield from collect_overdue_digest(now)


def still_true(kind: str, rows: list[tuple[int, int | None, str]], now: datetime) -> set:
    """The reminder is still true: the person has not finished and the date has not moved."""
    ids = [r[1] for r in rows]
    current = {e["pk"]: e["effective_due_at"] for e in with_effective_due_at(
        Enrolment.objects.filter(_open(), pk__in=ids)).values("pk", "effective_due_at")}
    keep = set()
    for row in rows:
        due = current.get(row[1])
        if due is None:
            continue
        days = int(row[2][:-1]) if row[2] else 0
        if (kind == COURSE_OVERDUE and due <= now) or (
                kind == COURSE_DUE and now < due <= now + timedelta(days=days)):
            keep.add(row)
    return keep


def week_key(now: datetime) -> str:
    year, week, _day = timezone.localtime(now).isocalendar()
    return f"{year}-W{week:02d}"


def collect_overdue_digest(now: datetime, *, listed: int = 20) -> Iterator[list[Item]]:
    """Weekly, to each administrator: their unit's people past a due date. One aggregate query
    per administrator role (a few hundred at most), never a loop over enrolments."""
    if timezone.localtime(now).weekday() < settings.NOTIFICATIONS_OVERDUE_DIGEST_WEEKDAY:
        return
    offset = week_key(now)
    overdue = with_effective_due_at(Enrolment.objects.filter(_open())).filter(
        effective_due_at__lte=now)
    items = []
    for admin_id, path in administrator_scopes():
        mine = overdue.filter(path_q([path] if path else None, "user__organisation__path"))
        total = mine.aggregate(n=Count("pk"), people=Count("user_id", distinct=True))
        if not total["n"]:
            continue
        rows = list(mine.order_by("effective_due_at").values(
            "user__full_name", "course__title", "effective_due_at")[:listed])
        items.append(Item(
            recipient_id=admin_id, kind=OVERDUE_DIGEST, subject=("accounts", "unit", None),
            offset=offset, url=PEOPLE_URL,
            context={"count": total["n"], "people": total["people"], "rows": rows,
                     "more": max(total["n"] - listed, 0)}))
    if items:
        yield items


def enrolment_notify(enrolment_ids: list[int]) -> int:
    """The "you were enrolled" notice, created in the caller's transaction (the e-mail goes after
    commit). Keyed on the enrolment and its enrolment time, so a re-enrolment is told again."""
    rows = Enrolment.objects.filter(
        pk__in=enrolment_ids, user__is_active=True,
        status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED],
    ).annotate(title=F("course__title"))
    items = [Item(recipient_id=e.user_id, kind=ENROLLED, subject=(*SUBJECT, e.pk),
                  offset=str(int(e.enrolled_at.timestamp())), url=_course_url(e.course_id),
                  context={"course_title": e.title, "due_at": e.course.due_at})
             for e in with_effective_due_at(rows).select_related("course")]
    made = notify(items)
    Enrolment.objects.filter(pk__in=enrolment_ids, notified_at__isnull=True).update(
        notified_at=timezone.now())
    return len(made)


def register() -> None:
    register_kind(Kind(ENROLLED, _("Enrolled in a course"), "email", "courses/notifications/enrolled"))
    register_kind(Kind(COURSE_DUE, _("Course due soon"), "email", "courses/notifications/due"))
    register_kind(Kind(COURSE_OVERDUE, _("Course overdue"), "email",
                       "courses/notifications/overdue"))
    register_kind(Kind(OVERDUE_DIGEST, _("Weekly list of overdue people (administrators)"),
                       "email", "courses/notifications/overdue_digest"))
    register_producer(Producer("courses", collect_due, still_true,
                               kinds=(COURSE_DUE, COURSE_OVERDUE)))
