"""Role gates of the REST API: authorise before validating.

DRF checks a view's permission classes in ``APIView.initial``, before the handler reads or
validates the body. A view that changes staff things declares here which role it needs, so a
caller who does not hold that role anywhere gets 403 whatever they send: never a 400 about their
input, nor a 409 that tells them what exists. Which unit a caller may act on is decided next, by
the app's fetch-and-check selectors (404 for what they may not see, 403 for what they may see but
not change), and only then is the input validated.

Reads stay open to any signed-in user: their querysets already show each caller only what they
may see (a trainee listing templates gets an empty list, not an error).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from backend.accounts.api import Role, user_role_scopes


class _RoleToWrite(BasePermission):
    roles: frozenset[str] = frozenset()

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return any(scope.role in self.roles for scope in user_role_scopes(request.user))


class TrainerToWrite(_RoleToWrite):
    """Authoring: courses, lessons, question banks, quizzes, H5P packages."""

    roles = frozenset({Role.TRAINER})
    message = _("Only trainers may do this.")


class StaffToWrite(_RoleToWrite):
    """The course's staff: enrolments, manual grading, grade overrides."""

    roles = frozenset({Role.TRAINER, Role.ADMINISTRATOR})
    message = _("Only trainers and administrators may do this.")


class AdministratorToWrite(_RoleToWrite):
    """Users, imports, certificates and their templates."""

    roles = frozenset({Role.ADMINISTRATOR})
    message = _("Only administrators may do this.")
