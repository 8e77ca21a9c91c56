"""What other apps may ask of accounts: roles and scopes, units, cohorts, users by id or e-mail.

Thin re-exports of selectors and rules; values cross the boundary as ids, strings or the
frozen dataclasses of `backend.accounts.data`, never as model instances to be written.

The web pages (`frontend`) reach this app only through this module, which also re-exports
for them the selectors, services, enumerations and, for querysets and forms, the model
classes they use (docs/decisions/0060-what-frontend-may-import.md). Other apps keep to the
dataclass functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backend.accounts.data import AccommodationData, CohortData, OrganisationData, RoleScope, UserData
from backend.accounts.import_jobs import JOB_KIND as USERS_IMPORT_JOB_KIND
from backend.accounts.import_jobs import users_import_start
from backend.accounts.language import SESSION_CHOICE_KEY as LANGUAGE_SESSION_KEY
from backend.accounts.language import is_supported as language_is_supported
from backend.accounts.models import (
    Accommodation,
    Cohort,
    CohortMembership,
    Organisation,
    OrganisationKind,
    Role,
    RoleAssignment,
    User,
)
from backend.accounts.roles import STAFF_ROLES, holds, subtree_paths
from backend.accounts.selectors import (
    cohorts_search,
    cohorts_visible_to,
    organisations_for,
    path_q,
    user_has_role,
    user_is_staff,
    user_role_names,
    user_role_scopes,
    users_search,
    users_visible_to,
)
from backend.accounts.services import (
    cohort_add_members,
    cohort_create,
    cohort_remove_members,
    invitation_resend,
    organisation_create,
    organisation_update,
    require_admin_over,
    require_manages_person,
    role_assign,
    role_revoke,
    user_create,
    user_deactivate,
    user_reactivate,
    user_set_language,
    user_update,
    user_update_profile,
)
from backend.accounts.text import normalise_name, search_key, search_q
from backend.accounts.user_csv import CsvFileError, sample_users_csv
from backend.errors import Forbidden

__all__ = [
    "LANGUAGE_SESSION_KEY",
    "STAFF_ROLES",
    "USERS_IMPORT_JOB_KIND",
    "AccommodationData",
    "Cohort",
    "CohortData",
    "CsvFileError",
    "Organisation",
    "OrganisationData",
    "OrganisationKind",
    "Role",
    "RoleAssignment",
    "RoleScope",
    "UserData",
    "accommodation_get",
    "accommodation_of",
    "accommodation_set",
    "accommodations_get",
    "administrator_scopes",
    "ancestor_paths",
    "cohort_add_members",
    "cohort_create",
    "cohort_get",
    "cohort_ids_of_user_query",
    "cohort_ids_of_users",
    "cohort_member_ids",
    "cohort_remove_members",
    "cohort_usable_by",
    "cohorts_for_staff",
    "cohorts_search",
    "cohorts_visible_to",
    "holds",
    "invitation_resend",
    "language_is_supported",
    "normalise_name",
    "organisation_create",
    "organisation_default_for",
    "organisation_get",
    "organisation_get_by_code",
    "organisation_update",
    "organisations_for",
    "organisations_get",
    "path_q",
    "require_admin_over",
    "require_manages_person",
    "role_assign",
    "role_revoke",
    "sample_users_csv",
    "search_key",
    "search_q",
    "subtree_paths",
    "subtree_user_ids",
    "user_create",
    "user_deactivate",
    "user_get",
    "user_has_role",
    "user_ids_by_emails",
    "user_ids_within",
    "user_is_staff",
    "user_organisation_path",
    "user_path_by_id",
    "user_reactivate",
    "user_role_names",
    "user_role_scopes",
    "user_set_language",
    "user_update",
    "user_update_profile",
    "users_get",
    "users_import_start",
    "users_never_signed_in",
    "users_search",
    "users_visible_to",
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
    if cached is None and "organisation" in user._state.fields_cache:  # e.g. from the auth cache
        cached = user.organisation.path
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


def cohort_ids_of_users(user_ids: Iterable[int]) -> dict[int, set[int]]:
    """user id -> ids of the cohorts they belong to (one query; a user in none is absent)."""
    out: dict[int, set[int]] = {}
    rows = CohortMembership.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "cohort_id")
    for user_id, cohort_id in rows:
        out.setdefault(user_id, set()).add(cohort_id)
    return out


def cohort_ids_of_user_query(user_id: int):
    """The ids of the person's cohorts as a subquery (`cohort_id__in=...`), so a caller's
    query filters by them in the same statement instead of reading them first."""
    return CohortMembership.objects.filter(user_id=user_id).values("cohort_id")


def _accommodation_data(row: Accommodation) -> AccommodationData:
    return AccommodationData(user_id=row.user_id, time_factor=row.time_factor,
                             extra_attempts=row.extra_attempts, reason=row.reason)


def accommodation_get(user_id: int) -> AccommodationData | None:
    row = Accommodation.objects.filter(user_id=user_id).first()
    return _accommodation_data(row) if row else None


def accommodation_of(user) -> AccommodationData | None:
    """The accommodation of a signed-in user object: known without a query when the auth cache
    built the user (decision 0069), read otherwise."""
    known = getattr(user, "_accommodation", _UNKNOWN)
    return accommodation_get(user.pk) if known is _UNKNOWN else known


_UNKNOWN = object()


def accommodations_get(user_ids: Iterable[int]) -> dict[int, AccommodationData]:
    """user id -> accommodation, for those who have one (one query)."""
    rows = Accommodation.objects.filter(user_id__in=list(user_ids))
    return {r.user_id: _accommodation_data(r) for r in rows}


def accommodation_set(*, actor, user_id: int, time_factor, extra_attempts: int = 0,
                      reason: str = "") -> AccommodationData:
    """Set a person's accommodation (administrators of their unit; audited). ValidationError
    naming `time_factor` / `extra_attempts`, Forbidden for another unit's person."""
    from backend.accounts.services import accommodation_set as _set

    user = User.objects.select_related("organisation").get(pk=user_id)
    return _accommodation_data(_set(actor=actor, user=user, time_factor=time_factor,
                                    extra_attempts=extra_attempts, reason=reason))


def _staff_cohorts(user):
    paths = subtree_paths(user_role_scopes(user), STAFF_ROLES)
    return Cohort.objects.filter(path_q(paths, "organisation__path"))


def cohort_usable_by(user, cohort_id: int) -> bool:
    """Whether a trainer or administrator may name this cohort (in a quiz override, …): one of
    the cohorts `cohorts_for_staff` offers them."""
    return _staff_cohorts(user).filter(pk=cohort_id).exists()


def cohorts_for_staff(user, limit: int = 500) -> list[CohortData]:
    """Cohorts of the units where the user is trainer or administrator (by name)."""
    rows = _staff_cohorts(user).select_related("organisation")
    return [CohortData(id=c.pk, code=c.code, name=c.name, organisation_id=c.organisation_id,
                       organisation_path=c.organisation.path) for c in rows.order_by("name", "pk")[:limit]]
