"""Content-Security-Policy on every response: django-csp's middleware with two house rules.

- Every response gets a fresh nonce, so a page's policy never depends on whether its template
  happened to ask for `request.csp_nonce` (scripts are allowed by nonce only, never by 'self').
- settings.CONTENT_SECURITY_POLICY_SCOPES replaces a few directives on pages whose markup is not
  ours (Django admin loads its own scripts without a nonce): `[(path regex, {directive: sources})]`,
  first match wins.
- `frame-src` allows the H5P and SCORM content origins as settings.H5P_CONTENT_URL and
  settings.SCORM_CONTENT_URL say at the time of the request.

A response that already carries a Content-Security-Policy (the H5P content files set their own,
stricter one) keeps it: django-csp never overwrites an existing header.
"""

from __future__ import annotations

import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

from backend.security.origins import csp_sources


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        self._make_nonce(request)
        parts = super().get_policy_parts(request, response, report_only)
        if parts.replace is None:
            parts.replace = scope_for(request.path_info)
        if parts.update is None:
            # Read per request, so the H5P content origin follows the setting where it is changed
            # at run time (tests serving the content from a second origin) as well as at start.
            parts.update = {"frame-src": csp_sources(settings.H5P_CONTENT_URL, settings.SCORM_CONTENT_URL)}
        return parts


def scope_for(path: str) -> dict | None:
    for pattern, replace in getattr(settings, "CONTENT_SECURITY_POLICY_SCOPES", ()):
        if re.match(pattern, path):
            return replace
    return None
