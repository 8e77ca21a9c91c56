"""What every sandboxed package player shares (H5P and SCORM; decision 0040): the signed grant in
the URL of everything the sandboxed frame loads, where those URLs live (a path prefix of this
site, or another origin: one setting), the headers of every response under the prefix, and the
bare 404 served there.

A grant is signed with SECRET_KEY (django.core.signing, one salt per player) and carries a list of
plain values; its timestamp is rounded down to `STEP_SECONDS`, so reloads within a few minutes get
the same URLs and the browser's cache of package files keeps working on slow links (a grant lasts
between `max_age - STEP_SECONDS` and `max_age`).
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from django.core import signing
from django.http import HttpResponse

STEP_SECONDS = 300
ORIGIN = re.compile(r"^https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+)(:\d{1,5})?$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


class SteppedSigner(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) // STEP_SECONDS * STEP_SECONDS)


def grant_sign(salt: str, payload: list) -> str:
    return SteppedSigner(salt=salt).sign_object(payload)


def grant_unsign(salt: str, token: str, *, max_age: int, length: int) -> list | None:
    """The payload list of `length` values a token carries, or None when it is forged, damaged,
    expired or of another shape."""
    try:
        payload = SteppedSigner(salt=salt).unsign_object(token, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return payload if isinstance(payload, list) and len(payload) == length else None


def player_grant_sign(salt: str, *, user_id: int, lesson_id: int, key: str, parent_origin: str,
                      language: str) -> str:
    """A player grant: who, which lesson, which stored package (its key: a re-upload gets a new
    one), the only site origin that may frame the player, and the language."""
    if not is_origin(parent_origin) or not is_language(language):
        raise ValueError(f"not a grant: {(user_id, lesson_id, key, parent_origin, language)!r}")
    return grant_sign(salt, [user_id, lesson_id, key, parent_origin, language])


def player_grant_unsign(salt: str, token: str, *, max_age: int) -> tuple[int, int, str, str, str] | None:
    """(user_id, lesson_id, key, parent_origin, language) of a player grant, or None when it is
    forged, damaged, expired or of another shape."""
    payload = grant_unsign(salt, token, max_age=max_age, length=5)
    if payload is None:
        return None
    user_id, lesson_id, key, origin, language = payload
    if not (isinstance(user_id, int) and isinstance(lesson_id, int) and isinstance(key, str)
            and is_origin(origin) and is_language(language)):
        return None
    return user_id, lesson_id, key, origin, language


def is_origin(value: object) -> bool:
    return isinstance(value, str) and bool(ORIGIN.match(value))


def is_language(value: object) -> bool:
    return isinstance(value, str) and bool(LANGUAGE.match(value))


def content_origin(content_url: str) -> str | None:
    """The origin a player's files are served from when it is not this site's own (the setting
    is an absolute URL), else None."""
    parts = urlsplit(content_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def content_path(content_url: str) -> str:
    """The path prefix of a player's files (`/h5p-content/`), on whichever origin."""
    return urlsplit(content_url).path


def files_base(request, content_url: str) -> str:
    """The absolute prefix URL a frame loads everything from: the configured origin, or the origin
    this request came to (the default: the site itself)."""
    return (content_origin(content_url) or site_origin(request)) + content_path(content_url)


def site_origin(request) -> str:
    """The origin of the site page making the request (the one allowed to frame the player)."""
    return f"{request.scheme}://{request.get_host()}"


def sandbox_headers(policy: str) -> dict[str, str]:
    """Headers of every response under a player's prefix, `policy` being its Content-Security-
    Policy (set on the response by the view, so no site-wide middleware replaces them).
    `Cross-Origin-Resource-Policy` is `cross-origin` and `Access-Control-Allow-Origin` `*` because
    the sandboxed frame's origin is opaque (its fetches, fonts and modules are CORS requests from
    "null"); no credentials are involved anywhere under the prefix, the grant in the URL guards."""
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "cross-origin",
        "Access-Control-Allow-Origin": "*",
        "Referrer-Policy": "no-referrer",
    }


def not_found(request=None) -> HttpResponse:
    """A bare 404 (not the site's error page: nothing of the site is rendered on a player's prefix)."""
    response = HttpResponse(b"Not found.", status=404, content_type="text/plain; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
