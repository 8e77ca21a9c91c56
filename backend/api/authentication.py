"""API authentication: allauth's session token or the browser session, plus the MFA rule."""

from allauth.headless import app_settings as headless_settings
from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from allauth.headless.internal import sessionkit
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from allauth.usersessions.internal import usersessionkit
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from backend.accounts.mfa import user_needs_mfa_setup
from backend.accounts.session_user import session_get_user

# Exactly these paths (not what lies under them): who am I, so a client can send the person
# to set up two-factor authentication.
MFA_EXEMPT_PATHS = frozenset({"/api/v1/me/"})


def _lookup_session(token: str):
    """The token's session, read once. allauth's default strategy asks whether the session
    exists and then loads it (two reads); its own sessionkit helper loads it once, and a
    missing or expired session comes back without a key."""
    strategy = headless_settings.TOKEN_STRATEGY
    if type(strategy) is SessionTokenStrategy:
        return sessionkit.lookup_session(token)
    return strategy.lookup_session(token)


class MfaRequired(exceptions.PermissionDenied):
    default_code = "mfa_required"


def _check_mfa(request, result):
    if result and request.path not in MFA_EXEMPT_PATHS and user_needs_mfa_setup(result[0]):
        raise MfaRequired(_("Your role requires two-factor authentication. Set it up first."))
    return result


class SessionTokenAuthentication(XSessionTokenAuthentication):
    def authenticate(self, request):
        return _check_mfa(request, self._authenticate_by_token(request))

    def _authenticate_by_token(self, request):
        """allauth's XSessionTokenAuthentication.authenticate (anonymous and invalid tokens are
        let through to the permission classes), with the user built from the auth cache: the
        token's session is read once, and a warm cache costs no user, role or MFA query."""
        token = self.get_session_token(request)
        if not token:
            return None
        session = _lookup_session(token)
        if session is None:
            return None
        user = session_get_user(session)
        if user is None:
            return None
        usersessionkit.track_activity(request._request, user=user, session=session)
        return user, session

    def authenticate_header(self, request):
        """A caller who is not signed in gets 401 (with this challenge), not 403: 403 means
        "signed in, but not allowed", which is what clients and the schema tell apart."""
        return "X-Session-Token"


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        return _check_mfa(request, super().authenticate(request))
