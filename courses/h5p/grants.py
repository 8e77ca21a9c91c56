"""Player grants: the capability in the URL of everything the sandboxed H5P player loads.

The player frame runs in `<iframe sandbox="allow-scripts">`, so its origin is opaque and it sends
no cookie of the site: what authorises its requests is a token in the path
(`<H5P_CONTENT_URL><token>/…`). The token is signed with SECRET_KEY (django.core.signing) and binds
the user, the lesson, the content key, the site origin allowed to frame it and the language; it
is made by the lesson page after the access check, and lasts `H5P_GRANT_SECONDS`.

Signing and the stepped timestamp are backend/sandbox.py's, shared with the SCORM player.
"""

from __future__ import annotations

import time  # noqa: F401  (tests freeze the clock through this module)
from dataclasses import dataclass

from django.conf import settings

from backend import sandbox
from backend.sandbox import STEP_SECONDS  # noqa: F401
from backend.sandbox import SteppedSigner as _SteppedSigner  # noqa: F401

SALT = "courses.h5p.player-grant"


@dataclass(frozen=True)
class PlayerGrant:
    user_id: int
    lesson_id: int
    content_key: str
    parent_origin: str   # the only page origin that may frame the player (frame-ancestors, postMessage)
    language: str


def grant_make(grant: PlayerGrant) -> str:
    if not sandbox.is_origin(grant.parent_origin) or not sandbox.is_language(grant.language):
        raise ValueError(f"not a grant: {grant!r}")
    return sandbox.grant_sign(SALT, [grant.user_id, grant.lesson_id, grant.content_key,
                                     grant.parent_origin, grant.language])


def grant_read(token: str) -> PlayerGrant | None:
    """The grant a token carries, or None when it is forged, damaged or expired."""
    payload = sandbox.grant_unsign(SALT, token, max_age=settings.H5P_GRANT_SECONDS, length=5)
    if payload is None:
        return None
    user_id, lesson_id, content_key, origin, language = payload
    if not (isinstance(user_id, int) and isinstance(lesson_id, int) and isinstance(content_key, str)
            and sandbox.is_origin(origin) and sandbox.is_language(language)):
        return None
    return PlayerGrant(user_id, lesson_id, content_key, origin, language)
