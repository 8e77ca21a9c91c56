"""Every write to users, roles, units and cohorts."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backend.accounts import auth_cache
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
from backend.accounts.selectors import forget_role_scopes, user_role_scopes
from backend.accounts.text import normalise_name
from backend.audit.api import audit_record
from backend.errors import Forbidden


@transaction.atomic
def organisation_create(*, code: str, name: str, kind: str,
                        parent: Organisation | None = None, actor=None) -> Organisation:
    """A new unit under `parent`; an administrator may add units only inside their subtree
    (a new top-level unit needs a global administrator). `actor=None` is the system."""
    require_admin_over(actor, parent, field="parent")
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": _("Unknown kind of unit.")})
    unit = Organisation(code=code, name=normalise_name(name), kind=kind, parent=parent)
    unit.full_clean(exclude=["path"])
    unit.save()
    if actor is not None:
        audit_record(actor=actor, verb="organisation.created", target=unit,
                     details={"parent": parent.code if parent else None})
    return unit


@transaction.atomic
def organisation_update(*, actor, unit: Organisation, name: str | None = None,
                        kind: str | None = None,
                        parent: Organisation | bool | None = False) -> Organisation:
    """Rename a unit and/or move it (with its whole subtree) under another parent.
    `parent=False` leaves the parent as it is; `None` makes it a top-level unit. The actor must
    administer the unit and, when moving, the new parent (a top-level move needs a global one)."""
    unit = Organisation.objects.select_for_update().get(pk=unit.pk)
    require_admin_over(actor, unit, field="name")
    changes: dict = {}
    if name is not None and normalise_name(name) != unit.name:
        changes["name"] = [unit.name, normalise_name(name)]
        unit.name = normalise_name(name)
    if kind is not None and kind != unit.kind:
        if kind not in OrganisationKind.values:
            raise ValidationError({"kind": _("Unknown kind of unit.")})
        changes["kind"] = [unit.kind, kind]
        unit.kind = kind
    if parent is not False and parent != unit.parent:
        require_admin_over(actor, parent, field="parent")
        if parent is not None and parent.path.startswith(unit.path):
            raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
        changes["parent"] = [unit.parent.code if unit.parent else None,
                             parent.code if parent else None]
        unit.parent = parent
    if not changes:
        return unit
    unit.full_clean(exclude=["path"])
    unit.save()  # Organisation.save() rewrites the paths of the whole subtree on a move
    audit_record(actor=actor, verb="organisation.updated", target=unit, details=changes)
    return unit


def require_admin_over(actor, organisation: Organisation | None, field: str = "organisation") -> None:
    """Administrators act only inside their subtree; `None` as unit needs a global one.
    `actor=None` is the system itself (management commands, the demo)."""
    if actor is None:
        return
    if not _administers(actor, organisation.path if organisation else None):
        raise ValidationError({field: _("You are not an administrator of this unit.")})


def _administers(actor, path: str | None) -> bool:
    """Is `actor` administrator over the unit at `path` (None: over everything)?"""
    return any(
        scope.role == Role.ADMINISTRATOR and (scope.path is None if path is None else scope.covers(path))
        for scope in user_role_scopes(actor)
    )


@transaction.atomic
def user_create(*, actor, email: str, full_name: str, organisation: Organisation | None,
                roles: Iterable[str] = (Role.TRAINEE,), language: str = "vi",
                cohort: Cohort | None = None, invite: bool = True) -> User:
    require_admin_over(actor, organisation)
    email = (email or "").strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    user = User(email=email, full_name=normalise_name(full_name), organisation=organisation,
                language=language)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    for role in roles:
        role_assign(actor=actor, user=user, role=role, organisation=organisation)
    if cohort is not None:
        cohort_add_members(actor=actor, cohort=cohort, users=[user])
    audit_record(actor=actor, verb="user.created", target=user,
                 details={"organisation": organisation.code if organisation else None})
    if invite:
        invitations_send_after_commit([user.pk])
    return user


@transaction.atomic
def role_assign(*, actor, user: User, role: str, organisation: Organisation | None) -> bool:
    """Give `user` the role over `organisation` (None: everywhere). Returns False if held already."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    require_admin_over(actor, organisation)
    _assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role,
                                                      organisation=organisation)
    if created:
        forget_role_scopes(user)
        audit_record(actor=actor, verb="role.assigned", target=user,
                     details={"role": role, "organisation": organisation.code if organisation else None})
    return created


@transaction.atomic
def role_revoke(*, actor, user: User, role: str, organisation: Organisation | None) -> bool:
    require_admin_over(actor, organisation)
    deleted, _rows = RoleAssignment.objects.filter(
        user=user, role=role, organisation=organisation
    ).delete()
    if deleted:
        forget_role_scopes(user)
        audit_record(actor=actor, verb="role.revoked", target=user,
                     details={"role": role, "organisation": organisation.code if organisation else None})
    return bool(deleted)


@transaction.atomic
def cohort_create(*, actor, name: str, code: str, organisation: Organisation) -> Cohort:
    require_admin_over(actor, organisation)
    cohort = Cohort(name=normalise_name(name), code=code, organisation=organisation)
    cohort.full_clean()
    cohort.save()
    audit_record(actor=actor, verb="cohort.created", target=cohort)
    return cohort


@transaction.atomic
def cohort_add_members(*, actor, cohort: Cohort, users: Iterable[User]) -> int:
    require_admin_over(actor, cohort.organisation, field="cohort")
    rows = [CohortMembership(cohort=cohort, user=u) for u in users]
    before = CohortMembership.objects.filter(cohort=cohort).count()
    CohortMembership.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    added = CohortMembership.objects.filter(cohort=cohort).count() - before
    if added:
        audit_record(actor=actor, verb="cohort.members_added", target=cohort,
                     details={"added": added})
    return added


@transaction.atomic
def cohort_remove_members(*, actor, cohort: Cohort, users: Iterable[User]) -> int:
    require_admin_over(actor, cohort.organisation, field="cohort")
    deleted, _rows = CohortMembership.objects.filter(
        cohort=cohort, user__in=[u.pk for u in users]).delete()
    if deleted:
        audit_record(actor=actor, verb="cohort.members_removed", target=cohort,
                     details={"removed": deleted})
    return deleted


def require_manages_person(actor, user: User) -> None:
    """An administrator manages a person (edits them, changes their e-mail address, deactivates
    them) only if the person's unit and every role they hold lie in the administrator's units:
    otherwise a unit administrator could take over a more powerful account (change its e-mail
    address, then reset the password). A superuser is managed by superusers only. Raises
    Forbidden (403), naming the `user`."""
    if actor is None:
        return
    message = None
    if not _administers(actor, user.organisation.path if user.organisation else None):
        message = _("You are not an administrator of this person's unit.")
    elif user.is_superuser and not actor.is_superuser:
        message = _("Only a superuser can manage this account.")
    elif not all(_administers(actor, scope.path) for scope in user_role_scopes(user)):
        message = _("This person holds a role outside the units you administer; ask an "
                    "administrator of a unit above.")
    if message:
        raise Forbidden(message, fields={"user": message})


@transaction.atomic
def user_update(*, actor, user: User, full_name: str | None = None, email: str | None = None,
                organisation: Organisation | bool | None = False) -> User:
    """An administrator corrects a person's name, e-mail address or unit (`organisation=False`
    leaves the unit as it is). A new e-mail address becomes the login and must be confirmed by
    its owner (allauth's address record is replaced, unverified). Audited with old -> new."""
    user = User.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=user.pk)
    require_manages_person(actor, user)
    changes: dict = {}
    if full_name is not None and normalise_name(full_name) != user.full_name:
        if not normalise_name(full_name):
            raise ValidationError({"full_name": _("Full name is missing.")})
        changes["full_name"] = [user.full_name, normalise_name(full_name)]
        user.full_name = normalise_name(full_name)
    if email is not None and email.strip().lower() != user.email:
        email = email.strip().lower()
        if User.objects.filter(email=email).exclude(pk=user.pk).exists() or \
                EmailAddress.objects.filter(email__iexact=email).exclude(user=user).exists():
            raise ValidationError({"email": _("A user with this e-mail address already exists.")})
        changes["email"] = [user.email, email]
        user.email = email
    if organisation is not False and organisation != user.organisation:
        require_admin_over(actor, organisation)
        changes["organisation"] = [user.organisation.code if user.organisation else None,
                                   organisation.code if organisation else None]
        user.organisation = organisation
    if not changes:
        return user
    user.full_clean(exclude=["password"])
    user.save()
    if "email" in changes:
        EmailAddress.objects.filter(user=user).delete()
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    audit_record(actor=actor, verb="user.updated", target=user, details=changes)
    return user


@transaction.atomic
def user_deactivate(*, actor, user: User, reason: str = "") -> int:
    """Close an account: the person can no longer sign in, and every open session of theirs
    (browser sessions and the API's session tokens, which are sessions too) ends now. Their
    history (enrolments, attempts, certificates, audit entries) stays. Returns how many
    sessions were ended."""
    user = User.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=user.pk)
    require_manages_person(actor, user)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError({"user": _("You cannot deactivate your own account.")})
    if not user.is_active:
        raise ValidationError({"user": _("This account is already deactivated.")})
    User.objects.filter(pk=user.pk).update(is_active=False)
    auth_cache.invalidate(user.pk)  # .update() sends no signal
    user.is_active = False
    ended = sessions_end_for(user)
    audit_record(actor=actor, verb="user.deactivated", target=user,
                 details={"sessions_ended": ended, "reason": (reason or "").strip()[:500]})
    return ended


@transaction.atomic
def user_reactivate(*, actor, user: User) -> User:
    """Open a deactivated account again; the person signs in with their password as before."""
    user = User.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=user.pk)
    require_manages_person(actor, user)
    if user.is_active:
        raise ValidationError({"user": _("This account is active.")})
    User.objects.filter(pk=user.pk).update(is_active=True)
    auth_cache.invalidate(user.pk)
    user.is_active = True
    audit_record(actor=actor, verb="user.reactivated", target=user)
    return user


def sessions_end_for(user: User) -> int:
    """End every session of the user that allauth tracks (it records each sign-in, headless
    app tokens included). A session it does not know is refused anyway at its next request:
    Django's authentication backend turns away inactive accounts."""
    sessions = list(UserSession.objects.filter(user_id=user.pk))
    for session in sessions:
        session.end()
    return len(sessions)


@transaction.atomic
def invitation_resend(*, actor, user: User) -> None:
    """Send the invitation e-mail again (a lost or expired link). Only for accounts whose owner
    has not set a password yet: others use "forgot password" themselves."""
    user = User.objects.select_related("organisation").get(pk=user.pk)
    require_admin_over(actor, user.organisation, field="user")
    if not user.is_active:
        raise ValidationError({"user": _("This account is deactivated.")})
    if user.has_usable_password():
        raise ValidationError({"user": _("This person has already set a password.")})
    User.objects.filter(pk=user.pk).update(invited_at=None)  # the task's idempotency guard
    audit_record(actor=actor, verb="user.invitation_resent", target=user)
    invitations_send_after_commit([user.pk])


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, language: str) -> User:
    user.full_name = normalise_name(full_name)
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "search_name", "language"])
    return user


def user_set_language(*, user: User, language: str) -> bool:
    """Save the person's interface language (the language switch, or at sign-in the choice
    they made just before). Returns False when it was already that language."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    if user.language == language:
        return False
    User.objects.filter(pk=user.pk).update(language=language)
    auth_cache.invalidate(user.pk)
    user.language = language
    return True


def invitations_send_after_commit(user_ids: list[int], chunk: int = 200) -> None:
    """Queue the invitation e-mails once the users are really in the database."""
    from backend.accounts.tasks import send_invitations

    for start in range(0, len(user_ids), chunk):
        ids = user_ids[start : start + chunk]
        transaction.on_commit(lambda ids=ids: send_invitations.delay(ids))


ACCOMMODATION_MAX_EXTRA_ATTEMPTS = 100


@transaction.atomic
def accommodation_set(*, actor, user: User, time_factor, extra_attempts: int = 0,
                      reason: str = "") -> Accommodation:
    """Set a person's accommodation (decision 0061): an administrator of the person's unit only.
    A factor of 1 with no extra attempts keeps the row (its history is in the audit log) but
    changes nothing. Attempts already running keep the deadline they started with."""
    if actor is not None and not _administers(actor, user.organisation.path if user.organisation else None):
        message = _("You are not an administrator of this person's unit.")
        raise Forbidden(message, fields={"user": message})
    try:
        factor = Decimal(str(time_factor)).quantize(Decimal("0.01"))
    except (ArithmeticError, ValueError):
        factor = None
    if factor is None or not Decimal("1") <= factor <= Decimal("5"):
        raise ValidationError({"time_factor": _("Give a time factor from 1 to 5 (for example 1.5).")})
    if not 0 <= int(extra_attempts) <= ACCOMMODATION_MAX_EXTRA_ATTEMPTS:
        raise ValidationError({"extra_attempts": _("Give a number of extra attempts from 0 to %(n)d.")
                               % {"n": ACCOMMODATION_MAX_EXTRA_ATTEMPTS}})
    row = Accommodation.objects.select_for_update().filter(user=user).first()
    before = None if row is None else {"time_factor": str(row.time_factor),
                                       "extra_attempts": row.extra_attempts}
    row = row or Accommodation(user=user)
    row.time_factor, row.extra_attempts = factor, int(extra_attempts)
    row.reason = (reason or "").strip()[:500]
    row.set_by = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    audit_record(actor=actor, verb="user.accommodation_set", target=user,
                 details={"time_factor": str(factor), "extra_attempts": row.extra_attempts,
                          "reason": row.reason, "previous": before})
    return row
