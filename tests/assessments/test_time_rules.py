"""The effective rules of one person on one quiz (assessments.time_rules): a pure function, so
these tests need no database. Property tests pin "most favourable wins" (decision 0061)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.time_rules import (
    AccommodationRules,
    BaseRules,
    EffectiveRules,
    OverrideRules,
    attempt_deadline,
    combine_cohorts,
    resolve,
)

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
BASE = BaseRules(opens_at=T0, closes_at=T0 + timedelta(days=7), time_limit_seconds=1800, max_attempts=2)

moments = st.integers(min_value=-1000, max_value=1000).map(lambda h: T0 + timedelta(hours=h))
limits = st.integers(min_value=0, max_value=24 * 3600)
attempt_counts = st.integers(min_value=0, max_value=50)
overrides = st.builds(OverrideRules, opens_at=st.none() | moments, closes_at=st.none() | moments,
                      time_limit_seconds=st.none() | limits, max_attempts=st.none() | attempt_counts)
bases = st.builds(BaseRules, opens_at=st.none() | moments, closes_at=st.none() | moments,
                  time_limit_seconds=st.none() | st.integers(1, 24 * 3600), max_attempts=attempt_counts)
factors = st.decimals(min_value=1, max_value=5, places=2)
accommodations = st.builds(AccommodationRules, time_factor=factors, extra_attempts=st.integers(0, 100))


def at_least_as_good(a: EffectiveRules, b: EffectiveRules) -> bool:
    """Is `a` at least as favourable to the person as `b`, field by field?"""
    def limit_ge(x, y, unlimited):
        return x == unlimited or (y != unlimited and x >= y)

    opens_ok = a.opens_at is None or (b.opens_at is not None and a.opens_at <= b.opens_at)
    closes_ok = a.closes_at is None or (b.closes_at is not None and a.closes_at >= b.closes_at)
    return (opens_ok and closes_ok and limit_ge(a.time_limit_seconds, b.time_limit_seconds, None)
            and limit_ge(a.max_attempts, b.max_attempts, 0))


# --- examples --------------------------------------------------------------------------------------

def test_nothing_applies_the_quiz_rules():
    rules = resolve(BASE)
    assert (rules.opens_at, rules.closes_at, rules.time_limit_seconds, rules.max_attempts) == (
        BASE.opens_at, BASE.closes_at, 1800, 2)
    assert rules.source == "quiz" and not rules.accommodated


def test_several_cohorts_give_the_most_favourable_value_per_field():
    a = OverrideRules(opens_at=T0 - timedelta(days=1), time_limit_seconds=2400)
    b = OverrideRules(closes_at=T0 + timedelta(days=10), time_limit_seconds=3600, max_attempts=3)
    c = OverrideRules(opens_at=T0 - timedelta(days=2), max_attempts=5)
    rules = resolve(BASE, cohort_overrides=[a, b, c])
    assert rules.opens_at == T0 - timedelta(days=2)
    assert rules.closes_at == T0 + timedelta(days=10)
    assert rules.time_limit_seconds == 3600 and rules.max_attempts == 5 and rules.source == "cohort"


def test_unlimited_in_a_cohort_beats_any_number():
    rules = resolve(BASE, cohort_overrides=[OverrideRules(time_limit_seconds=7200, max_attempts=9),
                                            OverrideRules(time_limit_seconds=0, max_attempts=0)])
    assert rules.time_limit_seconds is None and rules.max_attempts == 0


def test_the_persons_own_override_beats_their_cohorts_field_by_field():
    cohort = OverrideRules(closes_at=T0 + timedelta(days=30), time_limit_seconds=7200, max_attempts=9)
    own = OverrideRules(time_limit_seconds=900)  # even a shorter limit: the trainer's exact instruction
    rules = resolve(BASE, user_override=own, cohort_overrides=[cohort])
    assert rules.time_limit_seconds == 900
    assert rules.closes_at == T0 + timedelta(days=30) and rules.max_attempts == 9  # not set by own
    assert rules.source == "user"


def test_accommodation_multiplies_the_resulting_limit_and_adds_attempts():
    rules = resolve(BASE, cohort_overrides=[OverrideRules(time_limit_seconds=1000)],
                    accommodation=AccommodationRules(Decimal("1.5"), 1))
    assert rules.time_limit_seconds == 1500 and rules.max_attempts == 3 and rules.accommodated


def test_accommodation_rounds_up_to_the_second():
    rules = resolve(BaseRules(time_limit_seconds=601), accommodation=AccommodationRules(Decimal("1.33")))
    assert rules.time_limit_seconds == 800  # 799.33 rounded up


def test_accommodation_leaves_untimed_and_unlimited_quizzes_alone():
    rules = resolve(BaseRules(), accommodation=AccommodationRules(Decimal("2"), 3))
    assert rules.time_limit_seconds is None and rules.max_attempts == 0 and not rules.accommodated


def test_a_persons_own_override_is_not_multiplied_again():
    own = OverrideRules(time_limit_seconds=2700, max_attempts=4)
    rules = resolve(BASE, user_override=own, accommodation=AccommodationRules(Decimal("2"), 3))
    assert rules.time_limit_seconds == 2700 and rules.max_attempts == 4 and not rules.accommodated


def test_deadline_is_start_plus_limit_never_after_closing():
    rules = resolve(BASE, accommodation=AccommodationRules(Decimal("1.5")))
    assert attempt_deadline(rules, T0) == T0 + timedelta(seconds=2700)
    late = BASE.closes_at - timedelta(minutes=10)
    assert attempt_deadline(rules, late) == BASE.closes_at
    assert attempt_deadline(resolve(BaseRules()), T0) is None


# --- properties ------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(bases, st.lists(overrides, max_size=5), st.randoms())
def test_cohort_order_does_not_matter(base, cohort_rows, rnd):
    shuffled = list(cohort_rows)
    rnd.shuffle(shuffled)
    assert resolve(base, cohort_overrides=cohort_rows) == resolve(base, cohort_overrides=shuffled)


@settings(max_examples=300, deadline=None)
@given(bases, st.lists(overrides, max_size=4), overrides)
def test_one_more_cohort_never_makes_things_worse_than_the_others(base, cohort_rows, extra):
    """Among cohorts the most favourable wins: joining one more class can only help."""
    before = resolve(base, cohort_overrides=cohort_rows)
    after = resolve(base, cohort_overrides=[*cohort_rows, extra])
    fields = ("opens_at", "closes_at", "time_limit_seconds", "max_attempts")
    for field in fields:
        if getattr(combine_cohorts(cohort_rows), field) is None:
            continue  # the quiz's value applied before; a cohort's replaces it (favourable or not)
        b = EffectiveRules(**{f: getattr(before, f) if f == field else getattr(after, f) for f in fields})
        assert at_least_as_good(after, b), field


@settings(max_examples=300, deadline=None)
@given(bases, st.lists(overrides, min_size=1, max_size=5))
def test_the_combined_cohort_value_is_one_of_theirs_and_the_best(base, cohort_rows):
    rules = resolve(base, cohort_overrides=cohort_rows)
    for row in cohort_rows:
        alone = resolve(base, cohort_overrides=[row])
        if row.opens_at is not None:
            assert rules.opens_at <= alone.opens_at
        if row.closes_at is not None:
            assert rules.closes_at >= alone.closes_at
        if row.time_limit_seconds is not None:
            assert rules.time_limit_seconds is None or (
                alone.time_limit_seconds is not None and rules.time_limit_seconds >= alone.time_limit_seconds)
        if row.max_attempts is not None:
            assert rules.max_attempts == 0 or (
                alone.max_attempts != 0 and rules.max_attempts >= alone.max_attempts)
    opens = [r.opens_at for r in cohort_rows if r.opens_at is not None]
    assert rules.opens_at == (min(opens) if opens else base.opens_at)


@settings(max_examples=300, deadline=None)
@given(bases, overrides, st.lists(overrides, max_size=4), accommodations)
def test_a_persons_own_field_always_wins(base, own, cohort_rows, accommodation):
    rules = resolve(base, user_override=own, cohort_overrides=cohort_rows, accommodation=accommodation)
    if own.opens_at is not None:
        assert rules.opens_at == own.opens_at
    if own.closes_at is not None:
        assert rules.closes_at == own.closes_at
    if own.time_limit_seconds is not None:
        assert rules.time_limit_seconds == (own.time_limit_seconds or None)
    if own.max_attempts is not None:
        assert rules.max_attempts == own.max_attempts


@settings(max_examples=300, deadline=None)
@given(bases, st.lists(overrides, max_size=4), accommodations)
def test_an_accommodation_never_takes_anything_away(base, cohort_rows, accommodation):
    without = resolve(base, cohort_overrides=cohort_rows)
    with_it = resolve(base, cohort_overrides=cohort_rows, accommodation=accommodation)
    assert at_least_as_good(with_it, without)
    assert (with_it.opens_at, with_it.closes_at) == (without.opens_at, without.closes_at)
    if without.time_limit_seconds is not None:
        assert with_it.time_limit_seconds >= without.time_limit_seconds * accommodation.time_factor
