"""Pure rules about roles: which role is staff, which scope covers which unit."""

from __future__ import annotations

from collections.abc import Iterable

from backend.accounts.data import RoleScope
from backend.accounts.models import Role

STAFF_ROLES = frozenset({Role.TRAINER, Role.ADMINISTRATOR})


def holds(scopes: Iterable[RoleScope], role: str, organisation_path: str | None = None) -> bool:
    """Does any scope give `role` over the unit at `organisation_path` (None: anywhere at all)?"""
    for scope in scopes:
        if scope.role != role:
            continue
        if organisation_path is None or scope.covers(organisation_path):
            return True
    return False


def subtree_paths(scopes: Iterable[RoleScope], roles: Iterable[str]) -> list[str] | None:
    """The subtree roots where any of `roles` is held; None means everywhere, [] nowhere."""
    wanted = set(roles)
    paths: list[str] = []
    for scope in scopes:
        if scope.role not in wanted:
            continue
        if scope.path is None:
            return None
        paths.append(scope.path)
    # Drop paths already inside another listed subtree, so filters stay short.
    paths.sort()
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept
