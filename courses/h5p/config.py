"""H5P settings as the pure modules take them (limits object, store paths, player core API),
and where the sandboxed player's files are served from (H5P_CONTENT_URL)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from backend import sandbox

from .archive import H5PLimits, MiB


def h5p_root() -> Path:
    configured = getattr(settings, "H5P_ROOT", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "h5p"


def library_store_dir() -> Path:
    return h5p_root() / "libraries"


def player_core_api() -> tuple[int, int]:
    major, minor = getattr(settings, "H5P_PLAYER_CORE_API", (1, 26))
    return int(major), int(minor)


def limits() -> H5PLimits:
    return H5PLimits(
        max_upload_bytes=settings.H5P_MAX_UPLOAD_MB * MiB,
        max_total_bytes=settings.H5P_MAX_UNPACKED_MB * MiB,
        max_files=settings.H5P_MAX_FILES,
        semantics_timeout_seconds=settings.H5P_SEMANTICS_TIMEOUT_SECONDS,
    )


def content_origin() -> str | None:
    """The origin the player and package files are served from, when it is not this site's own
    (`H5P_CONTENT_URL` is absolute), else None. The site's own Content-Security-Policy adds it to
    `frame-src` (and Permissions-Policy to `fullscreen`) on the lesson page."""
    return sandbox.content_origin(settings.H5P_CONTENT_URL)


def content_path() -> str:
    """The path prefix of the player's files (`/h5p-content/`), on whichever origin."""
    return sandbox.content_path(settings.H5P_CONTENT_URL)


def files_base(request) -> str:
    """The absolute prefix URL the frame loads everything from."""
    return sandbox.files_base(request, settings.H5P_CONTENT_URL)


site_origin = sandbox.site_origin
