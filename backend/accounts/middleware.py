"""Request-wide account rules: the request's language, and TOTP for roles that need it."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from backend.accounts import language
from backend.accounts.mfa import user_needs_mfa_setup


class SiteLanguageMiddleware:
    """Activate the request's language (backend.accounts.language, decision 0050) in place of
    Django's LocaleMiddleware, which lets the browser's Accept-Language choose for pages: the
    language switch's cookie, else (API only) the first Accept-Language we speak, else
    Vietnamese. It runs early and reads no session or user (input not yet checked must not reach
    the database); UserLanguageMiddleware, after authentication, lets a signed-in person's saved
    language win."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = language.is_api_path(request.path)
        code = language.resolve(saved=None, chosen=request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
                                accept_language=request.headers.get("Accept-Language"), api=api)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or code)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if api else ("Cookie",))
        return response


class UserLanguageMiddleware:
    """A signed-in person's saved language wins over the switch's cookie and the browser, for
    pages and for the API called from them (decision 0050)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and language.is_supported(user.language):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


# Resources a page loads by itself are never redirected: a favicon answered with the TOTP set-up
# page made allauth draw a new secret behind the one on screen, so no code could ever match.
ALLOWED_WITHOUT_MFA = ("/accounts/", "/_allauth/", "/static/", "/i18n/", "/verify/",
                       "/api/v1/verify/", "/api/v1/me/", "/api/schema/", "/api/docs/",
                       "/favicon.ico", "/.well-known/", "/covers/")


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
