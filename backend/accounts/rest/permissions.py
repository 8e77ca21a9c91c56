"""Who may call the accounts endpoints."""

from rest_framework.permissions import BasePermission

from backend.accounts.models import Role
from backend.accounts.selectors import user_role_scopes


class IsAdministrator(BasePermission):
    """Holds the administrator role somewhere; services check the unit itself."""

    def has_permission(self, request, view) -> bool:
        return any(s.role == Role.ADMINISTRATOR for s in user_role_scopes(request.user))
