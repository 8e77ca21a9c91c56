"""The question pools random slots draw from, kept in each process between starts (decision 0076).

A pool is the current versions of a bank's questions that are not archived, narrowed by the
slot's category and tag. It changes only when a question of the bank is saved or retagged, and
every such write gives the bank a new random `pool_token` (`assessments.models.pool_changed`).
The start reads each slot's token with the slots (one join, no extra query) and uses the pool
kept under (bank, category, tag, token), or reads it once and keeps it. A kept pool is never
older than its token: the token is read before the pool, and a write that commits between
the two moves the token again. Random tokens, not counters, so a rolled-back write can never
bring back a token whose pool was different.

Kept versions are shared by the starts of one process and must be treated as read-only (they
are: payloads and grading read `data`, never write it). The memory is bounded: pools of more
than BIG_POOL versions are read each time, and the oldest pools are dropped beyond MAX_VERSIONS.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict

from django.db import connection
from django.db.models import F

from assessments.models import Question, QuestionBank, QuestionVersion, QuizSlot
from backend import raw_rows

BIG_POOL = 2_000
MAX_VERSIONS = 10_000

_kept: OrderedDict[tuple, tuple[QuestionVersion, ...]] = OrderedDict()
_size = 0
_lock = threading.Lock()


# A start reads the versions' text and data, never their search key (the longest column).
_VERSION_FIELDS = tuple(f.name for f in QuestionVersion._meta.concrete_fields if f.name != "search_key")


@functools.cache
def _slots_sql() -> str:
    slot, question, version, bank = (m._meta.db_table for m in (QuizSlot, Question, QuestionVersion,
                                                                  QuestionBank))
    return (
        f"SELECT {raw_rows.columns(QuizSlot, 's')}, "  # noqa: S608 - our tables
        f"{raw_rows.columns(QuestionVersion, 'v', _VERSION_FIELDS)}, b.pool_token "
        f"FROM {slot} s LEFT JOIN {question} q ON q.id = s.question_id "
        f"LEFT JOIN {version} v ON v.id = q.current_id LEFT JOIN {bank} b ON b.id = s.bank_id "
        "WHERE s.quiz_id = %s ORDER BY s.position, s.id"
    )


def quiz_slots(quiz) -> list[QuizSlot]:
    """The quiz's slots in order, a fixed slot with its question's current version
    (`current_version`, the search key deferred), a random slot with its bank's pool token
    (`pool_token`). One hand-written statement: its ORM form (two select_related, a defer and an
    annotation) cost more to build than to run, on every start (decision 0075's pattern)."""
    with connection.cursor() as cursor:
        cursor.execute(_slots_sql(), [quiz.pk])
        rows = cursor.fetchall()
    slot_end = raw_rows.width(QuizSlot)
    version_end = slot_end + len(_VERSION_FIELDS)
    slots = []
    for row in rows:
        slot = raw_rows.instance(QuizSlot, row[:slot_end])
        version = row[slot_end:version_end]
        slot.current_version = (None if version[0] is None else
                                raw_rows.instance(QuestionVersion, version, _VERSION_FIELDS))
        slot.pool_token = row[version_end]
        slots.append(slot)
    return slots


def pool_versions(slot: QuizSlot) -> tuple[QuestionVersion, ...]:
    """The current versions of a random slot's pool: kept, or read in one query and kept."""
    key = (slot.bank_id, slot.category_id, slot.tag_id, slot.pool_token)
    found = _kept.get(key)
    if found is not None:
        with _lock:
            if key in _kept:
                _kept.move_to_end(key)
        return found
    versions = tuple(_read(slot))
    if len(versions) <= BIG_POOL:
        _keep(key, versions)
    return versions


def _read(slot: QuizSlot):
    pool = QuestionVersion.objects.filter(
        question__bank_id=slot.bank_id, question__archived=False, question__current=F("pk")
    )
    if slot.category_id:
        pool = pool.filter(question__category_id=slot.category_id)
    if slot.tag_id:
        pool = pool.filter(question__tags=slot.tag_id)
    return pool.order_by("question_id")


def _keep(key: tuple, versions: tuple[QuestionVersion, ...]) -> None:
    global _size
    with _lock:
        if key in _kept:
            return
        _kept[key] = versions
        _size += len(versions)
        while _size > MAX_VERSIONS and len(_kept) > 1:
            _old, dropped = _kept.popitem(last=False)
            _size -= len(dropped)


def forget() -> None:
    """Drop every kept pool (tests that compare reads)."""
    global _size
    with _lock:
        _kept.clear()
        _size = 0
