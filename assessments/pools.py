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

import threading
from collections import OrderedDict

from django.db.models import F

from assessments.models import QuestionVersion, QuizSlot

BIG_POOL = 2_000
MAX_VERSIONS = 10_000

_kept: OrderedDict[tuple, tuple[QuestionVersion, ...]] = OrderedDict()
_size = 0
_lock = threading.Lock()


def quiz_slots(quiz) -> list[QuizSlot]:
    """The quiz's slots, a fixed slot with its question's current version, a random slot with its
    bank's pool token (`pool_token`)."""
    return list(
        QuizSlot.objects.filter(quiz=quiz)
        .select_related("question__current")
        .defer("question__current__search_key")
        .annotate(pool_token=F("bank__pool_token"))
    )


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
