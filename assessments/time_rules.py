"""Whose dates and limits apply to one person on one quiz: a pure rule, no database (decision 0061).

Inputs are the quiz's own rules, the overrides that apply to the person (their own user override
and those of every cohort they belong to) and their accommodation; the result is the one set of
``EffectiveRules`` that opening, closing, attempt counting, the attempt's deadline and every page
read. Precedence, per field, as Moodle resolves quiz overrides:

1. the person's own override, where it sets the field;
2. otherwise the most favourable value among their cohorts' overrides that set it: the earliest
   opening, the latest closing, the longest time limit, the most attempts; "no time limit" (0)
   and "unlimited attempts" (0) beat any number;
3. otherwise the quiz's own value.

Then the accommodation (WCAG 2.2.1 Timing Adjustable): the time factor multiplies the resulting
time limit of a timed quiz (rounded up to the second) and the extra attempts are added to a
limited number of attempts, unless the person's own override sets that field: a per-person,
per-quiz override is the trainer's exact instruction for that person and is taken as it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

UNLIMITED = 0  # time_limit_seconds / max_attempts: 0 in an override means "no limit"


@dataclass(frozen=True)
class BaseRules:
    """The quiz's own settings: ``time_limit_seconds`` None (untimed), ``max_attempts`` 0 (unlimited)."""

    opens_at: datetime | None = None
    closes_at: datetime | None = None
    time_limit_seconds: int | None = None
    max_attempts: int = 0


@dataclass(frozen=True)
class OverrideRules:
    """One override: a field left None is not overridden; 0 for a limit means "no limit"."""

    opens_at: datetime | None = None
    closes_at: datetime | None = None
    time_limit_seconds: int | None = None
    max_attempts: int | None = None


@dataclass(frozen=True)
class AccommodationRules:
    time_factor: Decimal = Decimal("1")
    extra_attempts: int = 0


NO_ACCOMMODATION = AccommodationRules()


@dataclass(frozen=True)
class EffectiveRules:
    """What applies to this person: ``time_limit_seconds`` None means untimed, ``max_attempts`` 0
    unlimited. ``source`` says where the dates came from ("quiz", "cohort" or "user");
    ``accommodated`` whether an accommodation changed the time limit or the attempts."""

    opens_at: datetime | None
    closes_at: datetime | None
    time_limit_seconds: int | None
    max_attempts: int
    source: str = "quiz"
    accommodated: bool = False

    def is_open(self, now: datetime) -> bool:
        return (self.opens_at is None or now >= self.opens_at) and (
            self.closes_at is None or now < self.closes_at)


def _most_favourable_limit(values: list[int]) -> int | None:
    """Among overrides' limits: 0 (no limit) wins, else the largest; None when none set one."""
    if not values:
        return None
    return UNLIMITED if UNLIMITED in values else max(values)


def combine_cohorts(overrides: Iterable[OverrideRules]) -> OverrideRules:
    """The most favourable value per field over several cohort overrides (order does not matter)."""
    rows = list(overrides)
    opens = [o.opens_at for o in rows if o.opens_at is not None]
    closes = [o.closes_at for o in rows if o.closes_at is not None]
    return OverrideRules(
        opens_at=min(opens) if opens else None,
        closes_at=max(closes) if closes else None,
        time_limit_seconds=_most_favourable_limit(
            [o.time_limit_seconds for o in rows if o.time_limit_seconds is not None]),
        max_attempts=_most_favourable_limit([o.max_attempts for o in rows if o.max_attempts is not None]),
    )


def resolve(base: BaseRules, *, user_override: OverrideRules | None = None,
            cohort_overrides: Iterable[OverrideRules] = (),
            accommodation: AccommodationRules | None = None) -> EffectiveRules:
    """The effective rules for one person (see the module's docstring for the precedence)."""
    own = user_override or OverrideRules()
    cohorts = combine_cohorts(cohort_overrides)
    accommodation = accommodation or NO_ACCOMMODATION
    sources: set[str] = set()

    def pick(field: str):
        for name, layer in (("user", own), ("cohort", cohorts)):
            value = getattr(layer, field)
            if value is not None:
                sources.add(name)
                return value
        return getattr(base, field)

    opens_at, closes_at = pick("opens_at"), pick("closes_at")
    time_limit = pick("time_limit_seconds")
    time_limit = None if time_limit == UNLIMITED else time_limit
    max_attempts = pick("max_attempts") or UNLIMITED

    accommodated = False
    factor = Decimal(accommodation.time_factor)
    if time_limit is not None and own.time_limit_seconds is None and factor > 1:
        time_limit = math.ceil(Decimal(time_limit) * factor)
        accommodated = True
    if max_attempts != UNLIMITED and own.max_attempts is None and accommodation.extra_attempts > 0:
        max_attempts += accommodation.extra_attempts
        accommodated = True
    source = "user" if "user" in sources else "cohort" if "cohort" in sources else "quiz"
    return EffectiveRules(opens_at=opens_at, closes_at=closes_at, time_limit_seconds=time_limit,
                          max_attempts=max_attempts, source=source, accommodated=accommodated)


def attempt_deadline(rules: EffectiveRules, started_at: datetime) -> datetime | None:
    """The deadline frozen on an attempt when it starts: start + time limit, never after closing."""
    deadline = None
    if rules.time_limit_seconds:
        deadline = started_at + timedelta(seconds=rules.time_limit_seconds)
    if rules.closes_at is not None:
        deadline = min(deadline, rules.closes_at) if deadline else rules.closes_at
    return deadline
