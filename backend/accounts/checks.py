"""Deploy checks of accounts: production must not run in demo mode."""

from django.conf import settings
from django.core.checks import Error


def check_demo_mode_off_in_production(app_configs=None, **kwargs):
    """accounts.E001 (``check --deploy``): DJANGO_DEMO_MODE with DEBUG off.

    Demo mode stops requiring TOTP of trainers and administrators and lets ``manage.py demo``
    create accounts whose password is published in the README.
    """
    if settings.DEMO_MODE and not settings.DEBUG:
        return [Error(
            "DJANGO_DEMO_MODE is on in production: trainers and administrators sign in without "
            "two-factor authentication, and `manage.py demo` may create accounts with the "
            "published demo password.",
            hint="Unset DJANGO_DEMO_MODE (it follows DJANGO_DEBUG unless set).",
            id="accounts.E001")]
    return []
