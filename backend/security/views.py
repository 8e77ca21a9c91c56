"""/.well-known/security.txt (RFC 9116): where to report a vulnerability in this deployment."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

# RFC 9116 asks for an expiry under a year ahead; the file is generated, so it never goes stale.
EXPIRES_AFTER = timedelta(days=180)


@require_GET
def security_txt(request) -> HttpResponse:
    expires = (timezone.now() + EXPIRES_AFTER).replace(microsecond=0)
    lines = [f"Contact: {settings.SECURITY_CONTACT}",
             f"Expires: {expires.astimezone(UTC).isoformat().replace('+00:00', 'Z')}",
             "Preferred-Languages: vi, en",
             f"Canonical: {settings.SITE_URL}/.well-known/security.txt"]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
