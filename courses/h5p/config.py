"""H5P settings as the pure modules take them (limits object, store paths, player core API)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

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
