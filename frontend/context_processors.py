from django.conf import settings

from backend.accounts.api import user_role_names
from backend.notifications.api import unread_count
from frontend.navigation import main_menu


def site(request) -> dict:
    user = getattr(request, "user", None)
    roles = user_role_names(user) if user is not None else []
    signed_in = user is not None and user.is_authenticated
    return {
        "site_name": settings.SITE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "my_roles": roles,
        "main_menu": main_menu(request.path, roles) if signed_in else [],
        # Called by the template only where it shows the bell: one indexed count per page.
        "notifications_unread": (lambda: unread_count(user)) if signed_in else 0,
    }
