"""The "auth facts" of a user, cached across requests (decision 0069).

Every authenticated request needs the same few facts: the user's row (the fields requests
read), their unit, their roles with each scope's path, whether they have TOTP, and their
standing accommodation of timed quizzes (every quiz start and quiz page asks). Read from
the database that is one statement (`load_facts`, one row per role), which the ORM asked in
three queries; here they are one cache read on a warm cache. The facts live in Django's cache
under

    authfacts:<generation>:<version>:<uid>

- `uid`: the user's id.
- `version`: FACTS_VERSION, the shape of the cached value (derived from the cached fields), so
  no process reads a value written by a version of the code with other fields.
- `generation`: a counter in the cache itself. `invalidate_all()` increments it, which orphans
  every user's facts at once (a unit renamed or moved changes the paths of everyone's role
  scopes; a bulk import writes roles without signals). Orphans expire by themselves.

One user's facts are forgotten (`invalidate(uid)`) when their row is saved, their roles,
authenticators or accommodation change (signals, see `connect_signals`), and explicitly by every service that
writes with `.update()` or `bulk_create()` (deactivate, reactivate, set language, import). Each
invalidation happens at once and again after the transaction commits: a request that reads
the old row between the two cannot leave stale facts behind.

AUTH_CACHE_SECONDS = 0 turns the cache off (the default without a shared CACHE_URL: a
per-process memory cache cannot be invalidated in the other workers).
"""

from __future__ import annotations

import functools
import time
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from backend import raw_rows
from backend.accounts.data import AccommodationData, RoleScope
from backend.accounts.models import Accommodation, Organisation, Role, RoleAssignment, User
from backend.accounts.roles import holds

# Every field of the user row but the password hash (which never leaves the database; the
# session's HMAC of it is cached instead), and the whole unit row: a view that reads any of them
# costs no query. The password stays deferred (reading it loads it), and saving a user built
# from the facts writes only the loaded fields, as for any partly loaded instance.
USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields if f.attname != "password")
ORGANISATION_FIELDS = tuple(f.attname for f in Organisation._meta.concrete_fields)
# The shape of the cached value: a code change that adds a field gets new keys by itself.
FACTS_VERSION = f"2.{zlib.crc32(','.join(USER_FIELDS + ORGANISATION_FIELDS).encode()):08x}"
GENERATION_KEY = "authfacts:generation"


@dataclass(frozen=True)
class AuthFacts:
    user: tuple  # values of USER_FIELDS, in order
    organisation: tuple | None  # values of ORGANISATION_FIELDS
    scopes: tuple[tuple[str, int | None, str | None], ...]
    has_totp: bool
    session_auth_hash: str  # the HMAC Django keeps in the session; changes with the password
    accommodation: tuple | None = None  # (time_factor, extra_attempts, reason), or none set


def enabled() -> bool:
    return settings.AUTH_CACHE_SECONDS > 0


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # First use, or the counter was evicted: start from the clock, so a generation in use
        # before the eviction (whose keys may still be alive) is never used again.
        cache.add(GENERATION_KEY, _next_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY) or _next_generation()
    return generation


def _key(uid: int, generation: int) -> str:
    return f"authfacts:{generation}:{FACTS_VERSION}:{uid}"


# The generation this process saw last: its guess for the next read, checked on every read.
_seen_generation: int | None = None


def facts_for(uid) -> AuthFacts | None:
    """The user's facts, from the cache or (then cached) from the database; None if no such user.

    One cache round trip in the steady state: the generation and the facts under the generation
    seen last are read together, and only if the generation has moved is the key read again."""
    global _seen_generation
    if not enabled():
        return load_facts(uid)
    guess, facts, generation = _seen_generation, None, None
    if guess is not None:
        found = cache.get_many([GENERATION_KEY, _key(uid, guess)])
        generation = found.get(GENERATION_KEY)
        facts = found.get(_key(uid, guess)) if generation == guess else None
    if generation is None or generation != guess:
        generation = _generation()
        facts = cache.get(_key(uid, generation))
    _seen_generation = generation
    key = _key(uid, generation)
    if facts is None:
        facts = load_facts(uid)
        if facts is not None:
            cache.set(key, facts, timeout=settings.AUTH_CACHE_SECONDS)
    return facts


_ACCOMMODATION_FIELDS = ("id", "time_factor", "extra_attempts", "reason")


@functools.cache
def _facts_sql() -> str:
    """The user with their unit, accommodation, TOTP state and roles (one row per role, the
    user's columns repeated: a person holds one to three), in one statement built once."""
    from allauth.mfa.models import Authenticator

    user, unit, accommodation, role, authenticator = (
        m._meta.db_table for m in (User, Organisation, Accommodation, RoleAssignment, Authenticator))
    return (
        f"SELECT {raw_rows.columns(User, 'u')}, {raw_rows.columns(Organisation, 'o')}, "  # noqa: S608 - our tables
        f"{raw_rows.columns(Accommodation, 'a', _ACCOMMODATION_FIELDS)}, "
        f"EXISTS (SELECT 1 FROM {authenticator} t WHERE t.user_id = u.id AND t.type = %s), "
        f"r.role, r.organisation_id, ro.path "
        f"FROM {user} u LEFT JOIN {unit} o ON o.id = u.organisation_id "
        f"LEFT JOIN {accommodation} a ON a.user_id = u.id "
        f"LEFT JOIN {role} r ON r.user_id = u.id LEFT JOIN {unit} ro ON ro.id = r.organisation_id "
        "WHERE u.id = %s ORDER BY r.id"
    )


def load_facts(uid) -> AuthFacts | None:
    """The facts read from the database, in one hand-written statement: the ORM's three queries
    (the user with select_related, the role scopes, the TOTP exists) cost about 3.8 ms of a
    profiled first request, mostly in building them (decision 0075's pattern)."""
    from allauth.mfa.models import Authenticator

    with connection.cursor() as cursor:
        cursor.execute(_facts_sql(), [Authenticator.Type.TOTP, uid])
        rows = cursor.fetchall()
    if not rows:
        return None
    user_end = raw_rows.width(User)
    unit_end = user_end + raw_rows.width(Organisation)
    acc_end = unit_end + len(_ACCOMMODATION_FIELDS)
    first = rows[0]
    user = raw_rows.instance(User, first[:user_end])
    org = None if first[user_end] is None else raw_rows.instance(Organisation, first[user_end:unit_end])
    acc = (None if first[unit_end] is None else
           raw_rows.instance(Accommodation, first[unit_end:acc_end], _ACCOMMODATION_FIELDS))
    scopes = tuple((row[acc_end + 1], row[acc_end + 2], row[acc_end + 3])
                   for row in rows if row[acc_end + 1] is not None)
    return AuthFacts(
        user=tuple(getattr(user, f) for f in USER_FIELDS),
        organisation=tuple(getattr(org, f) for f in ORGANISATION_FIELDS) if org else None,
        scopes=scopes,
        has_totp=bool(first[acc_end]),
        session_auth_hash=user.get_session_auth_hash(),
        accommodation=None if acc is None else (acc.time_factor, acc.extra_attempts, acc.reason),
    )


def user_from_facts(facts: AuthFacts) -> User:
    """A User as if loaded from the database without its password (deferred), with its unit,
    its role scopes and its TOTP state already in place."""
    user = _from_db(User, USER_FIELDS, facts.user)
    if facts.organisation is not None:
        user._state.fields_cache["organisation"] = _from_db(Organisation, ORGANISATION_FIELDS,
                                                            facts.organisation)
    scopes = tuple(RoleScope(role=r, organisation_id=o, path=p) for r, o, p in facts.scopes)
    if user.is_superuser and not holds(scopes, Role.ADMINISTRATOR):
        scopes += (RoleScope(role=Role.ADMINISTRATOR, organisation_id=None, path=None),)
    from backend.accounts.selectors import remember_role_scopes

    remember_role_scopes(user, scopes)
    user._has_totp = facts.has_totp
    user._auth_facts = facts
    acc = facts.accommodation
    user._accommodation = None if acc is None else AccommodationData(user.pk, *acc)
    return user


def _from_db(model, names: tuple[str, ...], values: tuple):
    """`model.from_db` with some fields (the others deferred), which wants them in field order."""
    given = dict(zip(names, values, strict=True))
    attnames = [f.attname for f in model._meta.concrete_fields if f.attname in given]
    return model.from_db(model.objects.db, attnames, [given[a] for a in attnames])


def invalidate(uid) -> None:
    """Forget one user's facts now and once more after the transaction commits."""
    if uid is None or not enabled():
        return
    key = _key(uid, _generation())
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(_key(uid, _generation())))


def invalidate_many(uids) -> None:
    uids = [u for u in uids if u is not None]
    if not uids or not enabled():
        return
    if len(uids) > 1000:
        invalidate_all()
        return
    generation = _generation()
    cache.delete_many([_key(u, generation) for u in uids])
    transaction.on_commit(lambda: cache.delete_many([_key(u, _generation()) for u in uids]))


def invalidate_all() -> None:
    """Orphan everyone's facts (a unit moved or renamed, roles written in bulk)."""
    if not enabled():
        return

    def bump():
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there (evicted, or never read): any new value orphans the old
            cache.set(GENERATION_KEY, _next_generation(), timeout=None)

    bump()
    transaction.on_commit(bump)


def _next_generation() -> int:
    return time.time_ns() // 1000


# --- signals -----------------------------------------------------------------------------------

def _user_changed(sender, instance, **kwargs) -> None:
    invalidate(instance.pk)


def _owner_changed(sender, instance, **kwargs) -> None:
    invalidate(instance.user_id)


def _unit_changed(sender, instance, created: bool = False, **kwargs) -> None:
    if not created:  # a new unit is in nobody's facts yet
        invalidate_all()


def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        invalidate(user.pk)


def connect_signals() -> None:
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.signals import user_logged_out
    from django.db.models.signals import post_delete, post_save

    for model, handler in ((User, _user_changed), (RoleAssignment, _owner_changed),
                           (Authenticator, _owner_changed), (Accommodation, _owner_changed),
                           (Organisation, _unit_changed)):
        post_save.connect(handler, sender=model, dispatch_uid=f"authfacts-save-{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"authfacts-delete-{model.__name__}")
    user_logged_out.connect(_signed_out, dispatch_uid="authfacts-signed-out")
