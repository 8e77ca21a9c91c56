"""Request-wide account rules: the user's language, and TOTP for roles that need it."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from backend.accounts.mfa import user_needs_mfa_setup


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's, unless they switched in
    this session (the language cookie) or an API client asks by Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(("/api/", "/_allauth/"))
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


ALLOWED_WITHOUT_MFA = ("/accounts/", "/_allauth/", "/static/", "/i18n/", "/verify/",
                       "/api/v1/verify/", "/api/v1/me/", "/api/schema/", "/api/docs/")


class RequireMfaMiddleware:
    """Trainers and administrators (settings.MFA_REQUIRED_ROLES) must set up TOTP first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED_ROLES
            and not request.path.startswith(ALLOWED_WITHOUT_MFA)
            and user_needs_mfa_setup(request.user)
        ):
            message = _("Your role requires two-factor authentication. Set it up first.")
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "mfa_required", "message": message, "fields": {}},
                                    status=403)
            return redirect("mfa_activate_totp")
        return self.get_response(request)
