"""What other apps may ask of accounts: roles and scopes, units, cohorts, users by id or e-mail.

Thin re-exports of selectors and rules; values cross the boundary as ids, strings or the
frozen dataclasses of `backend.accounts.data`, never as model instances to be written.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.accounts.data import CohortData, OrganisationData, RoleScope, UserData
from backend.accounts.models import Cohort, Organisation, Role, User
from backend.accounts.roles import STAFF_ROLES, holds, subtree_paths
from backend.accounts.selectors import path_q, user_has_role, user_is_staff, user_role_scopes
from backend.accounts.text import normalise_name, search_key, search_q
from backend.errors import Forbidden

__all__ = [
    "STAFF_ROLES",
    "CohortData",
    "OrganisationData",
    "Role",
    "RoleScope",
    "UserData",
    "administrator_scopes",
    "ancestor_paths",
    "cohort_get",
    "cohort_member_ids",
    "holds",
    "normalise_name",
    "organisation_default_for",
    "organisation_get",
    "organisation_get_by_code",
    "organisations_get",
    "path_q",
    "search_key",
    "search_q",
    "subtree_paths",
    "subtree_user_ids",
    "user_get",
    "user_has_role",
    "user_ids_by_emails",
    "user_ids_within",
    "user_is_staff",
    "user_organisation_path",
    "user_path_by_id",
    "user_role_scopes",
    "users_get",
    "users_never_signed_in",
]

_PATH_ATTR = "_organisation_path_cache"


def _org_data(unit: Organisation) -> OrganisationData:
    return OrganisationData(id=unit.pk, code=unit.code, name=unit.name, kind=unit.kind,
                            path=unit.path, parent_id=unit.parent_id)


def _user_data(user: User) -> UserData:
    return UserData(id=user.pk, email=user.email, full_name=user.full_name,
                    language=user.language, organisation_id=user.organisation_id)


def organisation_get(organisation_id: int) -> OrganisationData | None:
    unit = Organisation.objects.filter(pk=organisation_id).first()
    return _org_data(unit) if unit else None


def organisation_get_by_code(code: str) -> OrganisationData | None:
    unit = Organisation.objects.filter(code=code).first()
    return _org_data(unit) if unit else None


def organisation_default_for(user, roles: Iterable[str], *,
                             field: str = "organisation") -> OrganisationData:
    """The unit to use when someone creating a thing (a course, a question bank) names none:
    the one unit where they hold any of `roles` (nested scopes count as their outer one).
    Nowhere: Forbidden. Several units, or everywhere: a ValidationError naming `field`."""
    wanted = set(roles)
    scopes = [s for s in user_role_scopes(user) if s.role in wanted]
    if not scopes:
        raise Forbidden(_("Your role does not allow this."))
    paths = subtree_paths(scopes, wanted)
    if paths is None or len(paths) != 1:
        raise ValidationError({field: _(
            "You work in more than one unit: give the code of the unit this belongs to.")})
    unit = Organisation.objects.get(path=paths[0])
    return _org_data(unit)


def organisations_get(organisation_ids: Iterable[int]) -> dict[int, OrganisationData]:
    """Several units in one query (e.g. the holders' units for a batch of certificates)."""
    return {u.pk: _org_data(u) for u in Organisation.objects.filter(pk__in=set(organisation_ids))}


def ancestor_paths(path: str | None) -> list[str]:
    """'0001.0003.' -> ['0001.', '0001.0003.']: the unit itself and every unit above it."""
    if not path:
        return []
    parts = path.rstrip(".").split(".")
    return [".".join(parts[: i + 1]) + "." for i in range(len(parts))]


def user_organisation_path(user) -> str | None:
    """The materialised path of the user's unit, read at most once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return None
    cached = getattr(user, _PATH_ATTR, None)
    if cached is None:
        cached = Organisation.objects.filter(pk=user.organisation_id).values_list(
            "path", flat=True).first()
        setattr(user, _PATH_ATTR, cached)
    return cached


def administrator_scopes() -> list[tuple[int, str | None]]:
    """(user id, unit path or None for platform-wide) of every active administrator role."""
    from backend.accounts.models import RoleAssignment

    return list(RoleAssignment.objects.filter(role=Role.ADMINISTRATOR, user__is_active=True)
                .values_list("user_id", "organisation__path"))


def user_get(user_id: int) -> UserData | None:
    user = User.objects.filter(pk=user_id).first()
    return _user_data(user) if user else None


def users_get(user_ids: Iterable[int]) -> dict[int, UserData]:
    return {u.pk: _user_data(u) for u in User.objects.filter(pk__in=list(user_ids))}


def user_path_by_id(user_id: int) -> str | None:
    return User.objects.filter(pk=user_id).values_list("organisation__path", flat=True).first()


def user_ids_within(user_ids: Iterable[int], paths: list[str] | None) -> set[int]:
    """The active users among `user_ids` whose unit lies in one of the subtrees (None: anywhere)."""
    return set(User.objects.filter(path_q(paths, "organisation__path"), pk__in=list(user_ids),
                                   is_active=True).values_list("pk", flat=True))


def user_ids_by_emails(emails: Iterable[str], paths: list[str] | None = None) -> dict[str, int]:
    """E-mail (lower-case) -> id for active users found inside the subtrees (None: anywhere)."""
    wanted = {e.strip().lower() for e in emails if e and e.strip()}
    rows = User.objects.filter(path_q(paths, "organisation__path"), email__in=wanted,
                               is_active=True).values_list("email", "pk")
    return dict(rows)


def users_never_signed_in(paths: list[str] | None) -> int:
    """Active accounts in the subtrees (None: anywhere) that have never signed in: one query."""
    return User.objects.filter(path_q(paths, "organisation__path"), is_active=True,
                               last_login__isnull=True).count()


def subtree_user_ids(organisation_id: int, paths: list[str] | None = None) -> list[int]:
    """Active users of the unit and everything under it, restricted to the given subtrees."""
    unit_path = Organisation.objects.filter(pk=organisation_id).values_list("path", flat=True).first()
    if unit_path is None:
        return []
    return list(User.objects.filter(path_q(paths, "organisation__path"), is_active=True,
                                    organisation__path__startswith=unit_path)
                .values_list("pk", flat=True))


def cohort_get(*, cohort_id: int | None = None, code: str | None = None) -> CohortData | None:
    qs = Cohort.objects.select_related("organisation")
    cohort = qs.filter(pk=cohort_id).first() if cohort_id is not None else qs.filter(code=code).first()
    if cohort is None:
        return None
    return CohortData(id=cohort.pk, code=cohort.code, name=cohort.name,
                      organisation_id=cohort.organisation_id,
                      organisation_path=cohort.organisation.path)


def cohort_member_ids(cohort_id: int) -> list[int]:
    return list(User.objects.filter(cohorts__pk=cohort_id, is_active=True).values_list("pk", flat=True))
