"""How the API describes itself in OpenAPI (drf-spectacular): our authentication schemes, the one
error body, and the error responses every operation may give, added in one place (AutoSchema)
instead of on each view, so a new endpoint is documented truthfully without extra work."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers

from backend.api.authentication import MFA_EXEMPT_PATHS


class SessionTokenScheme(OpenApiAuthenticationExtension):
    target_class = "backend.api.authentication.SessionTokenAuthentication"
    name = "sessionToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Session-Token",
                "description": "Session token from POST /_allauth/app/v1/auth/login (meta.session_token)."}


class SessionCookieScheme(OpenApiAuthenticationExtension):
    target_class = "backend.api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class ErrorOut(serializers.Serializer):
    """The body of every 4xx answer (backend.api.errors.error_body)."""

    code = serializers.CharField(help_text="Stable machine code: `invalid`, `not_found`, "
                                           "`permission_denied`, `mfa_required`, `version_conflict`, …")
    message = serializers.CharField(help_text="For people, in the request's language.")
    fields = serializers.DictField(child=serializers.CharField(),
                                   help_text="Each invalid field (dotted path for nested ones) and "
                                             "why; empty when the error is not about a field.")

    class Meta:
        ref_name = "Error"


ERROR_DESCRIPTIONS = {
    "400": "The request is not valid: `code` says why, `fields` names each bad field.",
    "401": "Not signed in (`not_authenticated`): send X-Session-Token or the session cookie.",
    "403": "Signed in but not allowed (`permission_denied`, `not_author`, `mfa_required`, …).",
    "404": "No such object, or not one the caller may see (`not_found`).",
    "409": "Conflicts with the object's current state (e.g. `version_conflict`, `attempt_finished`).",
    "429": "Too many requests from this address (`throttled`); retry after `Retry-After` seconds.",
}


class AutoSchema(SpectacularAutoSchema):
    """Adds the error responses an operation can give, by what it is:

    - 400 when it takes input: a request body, query parameters, or any write (a rule may refuse it);
    - 401 and 403 when it needs a signed-in caller (403 also for MFA; /me/ is exempt from that);
    - 404 when its path names an object, a write's body does (`course`, `lesson`, …), or it
      answers pages (a page past the last one);
    - 409 for writes (state or version conflicts);
    - 429 when it is throttled.
    A view that gives another code on a read (e.g. 409 `lesson_locked`) declares it with
    `extend_schema(responses={..., 409: ErrorOut})`; codes a view declares are never replaced.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorOut, code, media_types=["application/json"], direction=direction)
                responses[code]["description"] = ERROR_DESCRIPTIONS[code]
        return responses

    def error_codes(self) -> list[str]:
        writes = self.method not in permissions.SAFE_METHODS
        codes = []
        if writes or self._get_request_body() or self._has_query_parameters():
            codes.append("400")
        if self._requires_sign_in():
            codes.append("401")
            if self.path not in MFA_EXEMPT_PATHS:
                codes.append("403")
        if "{" in self.path or (writes and self._get_request_body()) or self._is_paginated_list():
            codes.append("404")
        if writes:
            codes.append("409")
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _get_request_for_media_type(self, serializer, direction="request"):
        """drf-spectacular documents every PATCH body as partial (nothing required). A view that
        validates its PATCH body whole says so with `patch_is_partial = False`."""
        if self.method != "PATCH" or getattr(self.view, "patch_is_partial", True):
            return super()._get_request_for_media_type(serializer, direction)
        self.method = "PUT"  # spectacular's only switch between the two
        try:
            return super()._get_request_for_media_type(serializer, direction)
        finally:
            self.method = "PATCH"

    def _requires_sign_in(self) -> bool:
        """Authenticated and not open to anonymous callers (spectacular marks those with `{}`)."""
        security = self.get_auth()
        return bool(security) and {} not in security

    def _is_paginated_list(self) -> bool:
        return self.method == "GET" and self._get_paginator() is not None and self._is_list_view()

    def _has_query_parameters(self) -> bool:
        return any(p.get("in") == "query" for p in self._get_parameters())


def error_response(description: str) -> OpenApiResponse:
    """An error a view declares itself (a code AutoSchema would not add, e.g. 409 on a read)."""
    return OpenApiResponse(ErrorOut, description=description)
