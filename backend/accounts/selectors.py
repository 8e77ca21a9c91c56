"""Reads about users, units, roles and cohorts."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from backend.accounts.data import RoleScope
from backend.accounts.models import Cohort, Organisation, Role, RoleAssignment, User
from backend.accounts.roles import STAFF_ROLES, holds, subtree_paths
from backend.accounts.text import search_q

_CACHE_ATTR = "_role_scopes_cache"


def user_role_scopes(user) -> tuple[RoleScope, ...]:
    """Every role the user holds, read once per user object (i.e. once per request)."""
    if not getattr(user, "is_authenticated", False):
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = RoleAssignment.objects.filter(user_id=user.pk).values_list(
            "role", "organisation_id", "organisation__path"
        )
        cached = tuple(RoleScope(role=r, organisation_id=o, path=p) for r, o, p in rows)
        if user.is_superuser and not holds(cached, Role.ADMINISTRATOR):
            cached += (RoleScope(role=Role.ADMINISTRATOR, organisation_id=None, path=None),)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def remember_role_scopes(user, scopes: tuple[RoleScope, ...]) -> None:
    """Hand the user object scopes read elsewhere (the auth cache), so this request reads none."""
    setattr(user, _CACHE_ATTR, scopes)


def forget_role_scopes(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def user_role_names(user) -> list[str]:
    """Distinct role names in a stable order (trainee, trainer, administrator)."""
    held = {s.role for s in user_role_scopes(user)}
    return [r.value for r in Role if r.value in held]


def user_is_staff(user) -> bool:
    return any(s.role in STAFF_ROLES for s in user_role_scopes(user))


def user_has_role(user, role: str, organisation: Organisation | None = None) -> bool:
    return holds(user_role_scopes(user), role, organisation.path if organisation else None)


def organisations_for(user, roles) -> QuerySet[Organisation]:
    """Units where the user holds any of `roles` (with their subtrees)."""
    paths = subtree_paths(user_role_scopes(user), roles)
    return Organisation.objects.filter(path_q(paths))


def path_q(paths: list[str] | None, field: str = "path") -> Q:
    """Q matching rows whose `field` lies in one of the subtrees (None: everything)."""
    if paths is None:
        # Not Q(): an empty Q vanishes when OR-ed (`Q() | Q(a=1)` is `Q(a=1)`), so "everything"
        # would silently become "only the other branch" for global staff.
        return Q(pk__isnull=False)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def users_visible_to(user) -> QuerySet[User]:
    """Users an administrator may see and manage: their units' members."""
    paths = subtree_paths(user_role_scopes(user), [Role.ADMINISTRATOR])
    return User.objects.filter(path_q(paths, "organisation__path"))


def users_search(users: QuerySet[User], text: str) -> QuerySet[User]:
    """Users whose name contains `text` (accents and case ignored) or whose e-mail address
    contains it; unchanged for an empty search."""
    text = (text or "").strip()
    if not text:
        return users
    by_name = search_q(text, "search_name")
    by_email = Q(email__icontains=text.lower())
    return users.filter(by_email if by_name is None else by_name | by_email)


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    """Cohorts an administrator may see and manage (those of their units), each with `size`
    (active members) and its unit, as every cohort picker shows them."""
    paths = subtree_paths(user_role_scopes(user), [Role.ADMINISTRATOR])
    return (Cohort.objects.filter(path_q(paths, "organisation__path")).select_related("organisation")
            .annotate(size=Count("members", filter=Q(members__is_active=True)))
            .order_by("name", "organisation__path", "pk"))


def cohorts_search(cohorts: QuerySet[Cohort], text: str) -> QuerySet[Cohort]:
    """Cohorts whose name or code contains `text`, accents and case ignored."""
    matches = search_q(text, "search_key")
    return cohorts if matches is None else cohorts.filter(matches)


def organisation_get_by_code(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code).first()


def cohort_members(cohort: Cohort) -> QuerySet[User]:
    return cohort.members.all()


def organisation_subtree_users(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(organisation__path__startswith=organisation.path, is_active=True)


def role_filter(role: str) -> Q:
    return Q(role_assignments__role=role)
