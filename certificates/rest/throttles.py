"""One cache-based limiter for verification, shared by the JSON endpoint and the web page."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class VerifyThrottle(SimpleRateThrottle):
    """Scope "verify" (REST_FRAMEWORK DEFAULT_THROTTLE_RATES), per client address."""

    scope = "verify"

    def get_rate(self):
        # Read at call time, not import time, so the setting can change under tests.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def verification_allowed(request) -> tuple[bool, float | None]:
    """For plain Django views: (allowed, seconds to wait)."""
    throttle = VerifyThrottle()
    if throttle.allow_request(request, None):
        return True, None
    return False, throttle.wait()


class CredentialsThrottle(VerifyThrottle):
    """Scope "credentials" (DID documents, status lists), per client address; its own budget so
    a verifier fetching status lists does not use up the verification page's. Falls back to the
    "verify" rate when not configured."""

    scope = "credentials"

    def get_rate(self):
        rates = api_settings.DEFAULT_THROTTLE_RATES
        return rates.get(self.scope) or rates.get("verify")
