from django.conf import settings

from backend.accounts.selectors import user_role_names


def site(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "my_roles": user_role_names(user) if user is not None else [],
    }
