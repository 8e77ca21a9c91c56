"""Frozen values that backend.accounts hands to other apps."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class OrganisationData:
    id: int
    code: str
    name: str
    kind: str
    path: str
    parent_id: int | None


@dataclass(frozen=True)
class RoleScope:
    """One role a user holds: everywhere (`path is None`) or over the subtree at `path`."""

    role: str
    organisation_id: int | None
    path: str | None

    def covers(self, organisation_path: str | None) -> bool:
        if self.path is None:
            return True
        return organisation_path is not None and organisation_path.startswith(self.path)


@dataclass(frozen=True)
class UserData:
    id: int
    email: str
    full_name: str
    language: str
    organisation_id: int | None


@dataclass(frozen=True)
class CohortData:
    id: int
    code: str
    name: str
    organisation_id: int
    organisation_path: str


@dataclass(frozen=True)
class AccommodationData:
    """A person's standing time adjustment (decision 0061); factor 1 and 0 extra: none."""

    user_id: int
    time_factor: Decimal
    extra_attempts: int
    reason: str = ""
