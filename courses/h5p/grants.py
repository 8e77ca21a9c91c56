"""Player grants: the capability in the URL of everything the sandboxed H5P player loads.

The player frame runs in `<iframe sandbox="allow-scripts">`, so its origin is opaque and it sends
no cookie of the site: what authorises its requests is a token in the path
(`<H5P_CONTENT_URL><token>/…`). The token is signed with SECRET_KEY (django.core.signing) and binds
the user, the lesson, the content key, the site origin allowed to frame it and the language; it
is made by the lesson page after the access check, and lasts `H5P_GRANT_SECONDS`.

Its timestamp is rounded down to `STEP_SECONDS`, so reloads within a few minutes get the same
URLs and the browser's cache of library files keeps working on slow links; a grant therefore
lasts between `H5P_GRANT_SECONDS - STEP_SECONDS` and `H5P_GRANT_SECONDS`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

SALT = "courses.h5p.player-grant"
STEP_SECONDS = 300
ORIGIN = re.compile(r"^https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+)(:\d{1,5})?$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True)
class PlayerGrant:
    user_id: int
    lesson_id: int
    content_key: str
    parent_origin: str   # the only page origin that may frame the player (frame-ancestors, postMessage)
    language: str


class _SteppedSigner(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) // STEP_SECONDS * STEP_SECONDS)


def grant_make(grant: PlayerGrant) -> str:
    if not ORIGIN.match(grant.parent_origin) or not LANGUAGE.match(grant.language):
        raise ValueError(f"not a grant: {grant!r}")
    return _SteppedSigner(salt=SALT).sign_object(
        [grant.user_id, grant.lesson_id, grant.content_key, grant.parent_origin, grant.language])


def grant_read(token: str) -> PlayerGrant | None:
    """The grant a token carries, or None when it is forged, damaged or expired."""
    try:
        payload = _SteppedSigner(salt=SALT).unsign_object(token, max_age=settings.H5P_GRANT_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(payload, list) and len(payload) == 5):
        return None
    user_id, lesson_id, content_key, origin, language = payload
    if not (isinstance(user_id, int) and isinstance(lesson_id, int) and isinstance(content_key, str)
            and isinstance(origin, str) and ORIGIN.match(origin)
            and isinstance(language, str) and LANGUAGE.match(language)):
        return None
    return PlayerGrant(user_id, lesson_id, content_key, origin, language)
