"""Which users must have TOTP before they can work."""

from allauth.mfa.models import Authenticator
from django.conf import settings

from backend.accounts.selectors import user_role_scopes


def user_needs_mfa_setup(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    required = set(settings.MFA_REQUIRED_ROLES)
    if not required or not any(s.role in required for s in user_role_scopes(user)):
        return False
    has_totp = getattr(user, "_has_totp", None)  # known from the auth cache (auth_cache.py)
    if has_totp is None:
        has_totp = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
    return not has_totp
