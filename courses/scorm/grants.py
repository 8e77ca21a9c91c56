"""Player grants: the capability in the URL of everything the sandboxed SCORM player loads.

The player frame runs in `<iframe sandbox="allow-scripts">`, so its origin is opaque and it sends
no cookie of the site: what authorises its requests is a token in the path
(`<SCORM_CONTENT_URL><token>/…`). It binds the user, the lesson, the package key (a re-upload gets
a new key, so old URLs stop working), the site origin allowed to frame it and the language; the
lesson page makes it after the access check; it lasts `SCORM_GRANT_SECONDS`. Signing is
backend/sandbox.py's, shared with H5P.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from backend import sandbox

SALT = "courses.scorm.player-grant"


@dataclass(frozen=True)
class PlayerGrant:
    user_id: int
    lesson_id: int
    package_key: str
    parent_origin: str   # the only page origin that may frame the player (frame-ancestors, postMessage)
    language: str


def grant_make(grant: PlayerGrant) -> str:
    return sandbox.player_grant_sign(SALT, user_id=grant.user_id, lesson_id=grant.lesson_id,
                                     key=grant.package_key, parent_origin=grant.parent_origin,
                                     language=grant.language)


def grant_read(token: str) -> PlayerGrant | None:
    """The grant a token carries, or None when it is forged, damaged or expired."""
    values = sandbox.player_grant_unsign(SALT, token, max_age=settings.SCORM_GRANT_SECONDS)
    return PlayerGrant(*values) if values is not None else None
