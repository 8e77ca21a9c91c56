"""The effective dates and limits of a quiz for people: loads what applies and hands it to the
pure rule in ``assessments.time_rules`` (decision 0061).

Every reader goes through these two functions: starting an attempt (its deadline is computed
once, here, and frozen on the attempt), the quiz page, the dashboards, reminders. A change to an
override or an accommodation applies to attempts started after it; a running attempt keeps the
deadline it started with.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from assessments.models import Quiz, QuizOverride
from assessments.time_rules import (
    AccommodationRules,
    BaseRules,
    EffectiveRules,
    OverrideRules,
    attempt_deadline,
    resolve,
)
from backend.accounts.api import (
    accommodation_of,
    accommodations_get,
    cohort_ids_of_user_query,
    cohort_ids_of_users,
)

__all__ = ["EffectiveRules", "attempt_deadline", "base_rules", "closes_at_for", "effective_rules",
           "effective_rules_for_many", "quizzes_with_dates_between", "resolve"]


def base_rules(quiz: Quiz) -> BaseRules:
    return BaseRules(opens_at=quiz.opens_at, closes_at=quiz.closes_at,
                     time_limit_seconds=quiz.time_limit_seconds or None,
                     max_attempts=quiz.max_attempts or 0)


def override_rules(row: QuizOverride) -> OverrideRules:
    return OverrideRules(opens_at=row.opens_at, closes_at=row.closes_at,
                         time_limit_seconds=row.time_limit_seconds, max_attempts=row.max_attempts)


def _quiz(quiz) -> Quiz:
    return quiz if isinstance(quiz, Quiz) else Quiz.objects.get(pk=int(quiz))


def _user_id(user) -> int:
    return int(getattr(user, "pk", user))


def effective_rules_for_many(quiz, user_ids: Iterable[int]) -> dict[int, EffectiveRules]:
    """user id -> the rules that apply to them on this quiz, in three queries whatever the number
    of people (memberships, overrides, accommodations; a fourth when `quiz` is an id; only the
    accommodations when the quiz has never had an override)."""
    quiz = _quiz(quiz)
    ids = {int(u) for u in user_ids}
    if not ids:
        return {}
    base = base_rules(quiz)
    cohorts_of = cohort_ids_of_users(ids) if quiz.has_overrides else {}
    cohort_ids = set().union(*cohorts_of.values()) if cohorts_of else set()
    own: dict[int, OverrideRules] = {}
    by_cohort: dict[int, OverrideRules] = {}
    rows = QuizOverride.objects.filter(quiz=quiz).filter(Q(user_id__in=ids) | Q(cohort_id__in=cohort_ids))
    for row in rows if quiz.has_overrides else ():
        if row.user_id is not None:
            own[row.user_id] = override_rules(row)
        else:
            by_cohort[row.cohort_id] = override_rules(row)
    accommodations = accommodations_get(ids)
    out = {}
    for uid in ids:
        acc = accommodations.get(uid)
        out[uid] = resolve(
            base, user_override=own.get(uid),
            cohort_overrides=[by_cohort[c] for c in cohorts_of.get(uid, ()) if c in by_cohort],
            accommodation=AccommodationRules(acc.time_factor, acc.extra_attempts) if acc else None)
    return out


def effective_rules_for_quizzes(quizzes: Iterable[Quiz], user_id: int) -> dict[int, EffectiveRules]:
    """quiz id -> one person's rules on each of several quizzes (a dashboard's deadlines), in
    two queries whatever the number of quizzes (the accommodation only, when none has ever had
    an override)."""
    quizzes = list(quizzes)
    if not quizzes:
        return {}
    overridden = [q for q in quizzes if q.has_overrides]
    own: dict[int, OverrideRules] = {}
    by_quiz: dict[int, list[OverrideRules]] = {}
    rows = QuizOverride.objects.filter(quiz__in=overridden).filter(
        Q(user_id=user_id) | Q(cohort_id__in=cohort_ids_of_user_query(user_id)))
    for row in rows if overridden else ():
        if row.user_id is not None:
            own[row.quiz_id] = override_rules(row)
        else:
            by_quiz.setdefault(row.quiz_id, []).append(override_rules(row))
    acc = accommodations_get([user_id]).get(user_id)
    accommodation = AccommodationRules(acc.time_factor, acc.extra_attempts) if acc else None
    return {q.pk: resolve(base_rules(q), user_override=own.get(q.pk), cohort_overrides=by_quiz.get(q.pk, ()),
                          accommodation=accommodation) for q in quizzes}


def _own_overrides(quiz: Quiz, user_id: int) -> tuple[OverrideRules | None, list[OverrideRules]]:
    """(the person's own override, their cohorts' overrides) on this quiz, in one query (the
    cohorts are a subquery of it), none when the quiz has never had one (`Quiz.has_overrides`)."""
    own: OverrideRules | None = None
    cohorts: list[OverrideRules] = []
    if not quiz.has_overrides:
        return own, cohorts
    rows = QuizOverride.objects.filter(quiz=quiz).filter(
        Q(user_id=user_id) | Q(cohort_id__in=cohort_ids_of_user_query(user_id)))
    for row in rows.order_by("pk"):
        if row.user_id is not None:
            own = override_rules(row)
        else:
            cohorts.append(override_rules(row))
    return own, cohorts


def effective_rules(quiz, user) -> EffectiveRules:
    """The rules that apply to this person on this quiz (`quiz` and `user` as objects or ids):
    one query for the overrides when the quiz has any, and a second for the accommodation only
    when it could change something (a time limit or an attempt limit the person's own override
    does not set) and the user object does not carry it already (the auth cache's)."""
    quiz = _quiz(quiz)
    base = base_rules(quiz)
    if user is None or (hasattr(user, "is_authenticated") and not user.is_authenticated):
        return resolve(base)
    uid = _user_id(user)
    own, cohorts = _own_overrides(quiz, uid)
    rules = resolve(base, user_override=own, cohort_overrides=cohorts)
    mine = own or OverrideRules()
    may_stretch = rules.time_limit_seconds is not None and mine.time_limit_seconds is None
    may_add = rules.max_attempts != 0 and mine.max_attempts is None
    if not (may_stretch or may_add):
        return rules  # an accommodation changes only limits that apply here
    acc = accommodation_of(user) if hasattr(user, "pk") else accommodations_get([uid]).get(uid)
    if acc is None:
        return rules
    return resolve(base, user_override=own, cohort_overrides=cohorts,
                   accommodation=AccommodationRules(acc.time_factor, acc.extra_attempts))


def closes_at_for(quiz, user_id: int):
    """The close date that applies to the person (their overrides; an accommodation never moves
    it): one query."""
    quiz = _quiz(quiz)
    own, cohorts = _own_overrides(quiz, int(user_id))
    return resolve(base_rules(quiz), user_override=own, cohort_overrides=cohorts).closes_at


def quizzes_with_dates_between(field: str, lower, upper):
    """Quizzes whose own `field` (opens_at / closes_at), or any override's, falls in
    (lower, upper]: the candidates a reminder then checks person by person with
    `effective_rules_for_many` (one query, set-based, whatever the number of learners)."""
    if field not in ("opens_at", "closes_at"):
        raise ValueError(field)
    window = Q(**{f"{field}__gt": lower, f"{field}__lte": upper})
    overridden = QuizOverride.objects.filter(window).values("quiz_id")
    return Quiz.objects.filter(window | Q(pk__in=overridden))
