"""Choosing and ordering the questions of an attempt: pure and reproducible from a seed.

The same seed gives the same questions in the same order, whatever order the caller's query
returned the pool in (the pool is sorted first), so an attempt can be rebuilt from its seed.
Filtering a pool by category or tag is the caller's job.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


def _rng(seed: int | str, purpose: str) -> random.Random:
    # One stream per purpose, so drawing more questions does not change the order shuffle.
    return random.Random(f"{seed}:{purpose}")  # noqa: S311 - reproducible, not a secret


def _stable(pool: Iterable[Hashable]) -> list:
    return sorted(set(pool), key=lambda item: (type(item).__name__, str(item)))


def draw(pool: Iterable[Hashable], count: int, seed: int | str) -> list:
    """``count`` distinct ids from ``pool`` (all of them if the pool is smaller), in drawn order."""
    items = _stable(pool)
    if count <= 0:
        return []
    return _rng(seed, "draw").sample(items, min(count, len(items)))


def shuffle_order(ids: Sequence[Hashable], seed: int | str) -> list:
    out = list(ids)
    _rng(seed, "order").shuffle(out)
    return out


@dataclass(frozen=True)
class RandomSlot:
    """``count`` questions drawn from ``pool`` (ids already filtered by category/tag)."""

    pool: tuple
    count: int


def build_layout(slots: Sequence[Hashable | RandomSlot], seed: int | str, shuffle: bool = False) -> list:
    """Question ids of an attempt from fixed ids and random slots.

    A question is used once per attempt: fixed questions are taken out of every random pool,
    and a question drawn for one slot is not drawn again for a later slot. A slot whose pool
    runs short yields fewer questions (the quiz editor should warn about it beforehand).
    """
    fixed = {slot for slot in slots if not isinstance(slot, RandomSlot)}
    used: set = set()
    layout: list = []
    for index, slot in enumerate(slots):
        if isinstance(slot, RandomSlot):
            pool = [q for q in slot.pool if q not in fixed and q not in used]
            chosen = draw(pool, slot.count, f"{seed}:{index}")
            used.update(chosen)
            layout.extend(chosen)
        elif slot not in used:
            used.add(slot)
            layout.append(slot)
    return shuffle_order(layout, seed) if shuffle else layout


def shortfall(slots: Sequence[Hashable | RandomSlot]) -> int:
    """Questions the random slots lack, each pool checked against the fixed questions only.

    Pools that overlap each other can still run short at draw time; ``build_layout`` then
    yields fewer questions rather than repeating one.
    """
    fixed = {slot for slot in slots if not isinstance(slot, RandomSlot)}
    missing = 0
    for slot in slots:
        if isinstance(slot, RandomSlot):
            missing += max(0, slot.count - len(set(slot.pool) - fixed))
    return missing
