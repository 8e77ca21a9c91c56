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
    return sandbox.player_grant_sign(SALT, user_id=grant.user_id, lesson_id=grant.lesson_id,
                                     key=grant.content_key, parent_origin=grant.parent_origin,
                                     language=grant.language)


def grant_read(token: str) -> PlayerGrant | None:
    """The grant a token carries, or None when it is forged, damaged or expired."""
    values = sandbox.player_grant_unsign(SALT, token, max_age=settings.H5P_GRANT_SECONDS)
    return PlayerGrant(*values) if values is not None else None
