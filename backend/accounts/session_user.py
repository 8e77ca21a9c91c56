"""The signed-in user of a session, built from the cached auth facts (auth_cache.py).

Django's `auth.get_user` loads the user row on every request; our permission checks then read
the roles and the MFA rule reads the authenticators. With the auth cache on, `get_user` here
reads the session (which the request reads anyway) and one cache entry, and checks the same
things Django checks: a backend we trust, an active account, and the session's hash of the
password. Anything unusual (another backend, a hash that only an old SECRET_KEY verifies, a
hash that does not verify) goes to Django's own `get_user`, which handles it (rotating the
session, or flushing it).
"""

from __future__ import annotations

from functools import partial

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from backend.accounts import auth_cache
from backend.accounts.models import User

# Backends whose get_user() is "the active user with this id" (ModelBackend's rule; allauth's
# backend inherits it), so the cached facts answer it exactly.
MODEL_BACKENDS = frozenset({"django.contrib.auth.backends.ModelBackend",
                            "allauth.account.auth_backends.AuthenticationBackend"})


def get_user(request: HttpRequest):
    """Like `django.contrib.auth.get_user(request)`, from the auth cache when it is on."""
    if not auth_cache.enabled():
        return auth.get_user(request)
    session = request.session
    try:
        uid = User._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except (KeyError, ValueError, TypeError):
        return auth.get_user(request)
    if backend_path not in MODEL_BACKENDS or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    facts = auth_cache.facts_for(uid)
    if facts is None:
        return AnonymousUser()
    user = auth_cache.user_from_facts(facts)
    if not user.is_active:
        return AnonymousUser()
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, facts.session_auth_hash):
        return auth.get_user(request)  # fallback secrets, or a stale session: Django decides
    return user


def session_get_user(session):
    """The user signed in to `session` (an allauth session token's session), or None."""
    request = HttpRequest()
    request.session = session
    user = get_user(request)
    return None if not user or user.is_anonymous else user


def _cached_request_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class CachedUserAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with `request.user` from the auth cache."""

    def process_request(self, request):
        super().process_request(request)  # its checks (a session middleware before it)
        request.user = SimpleLazyObject(lambda: _cached_request_user(request))
        request.auser = partial(sync_to_async(_cached_request_user), request)
