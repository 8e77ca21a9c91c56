"""Serving what the sandboxed H5P player loads: which file a URL means, and the headers that
every response under H5P_CONTENT_URL carries (docs/decisions/0040-uploaded-packages-isolation.md).

Nothing is ever executed server-side: files are streamed as bytes with an explicit content type
(never guessed from the content) and `nosniff`. One Content-Security-Policy covers the frame
document and every file:
- `sandbox allow-scripts`: whatever document this becomes (the player frame, an SVG opened in a
  tab), its origin is opaque: no cookies of any site, no access to the parent page or storage;
- scripts, styles, images, media, fonts and connections only from the content prefix
  (`<content origin>/h5p-content/`), `default-src 'none'`, no `'unsafe-eval'` (neither H5P core
  nor h5p-standalone needs it); `'unsafe-inline'` for styles only (content types write style
  attributes; no script can be inlined);
- `frame-ancestors`: the site's origin that asked for the grant.
`Cross-Origin-Resource-Policy` is `cross-origin` because the sandboxed frame's origin is opaque:
`same-origin` or `same-site` would block the frame's own files; the grant in the URL guards them.
Fetches and fonts from an opaque origin are CORS requests, so `Access-Control-Allow-Origin: *`
(no credentials are involved anywhere under the prefix).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from backend import sandbox
from backend.private_media import content_type_for

from . import archive as arc
from .storage import content_dir, library_folder, stored_file

# Shown in the page (images, media, fonts, scripts, styles, data); anything else is a download.
INLINE = frozenset({"js", "css", "json", "png", "jpg", "jpeg", "gif", "bmp", "webm", "mp4", "ogg", "mp3",
                    "m4a", "wav", "vtt", "webvtt", "eot", "ttf", "otf", "woff", "woff2", "svg", "txt",
                    "gltf", "glb"})


@dataclass(frozen=True)
class ServedFile:
    path: Path
    content_type: str
    inline: bool


def typed(path: Path | str | None) -> ServedFile | None:
    """How a file is sent (content type, inline or download), or None for a type never served."""
    if path is None:
        return None
    path = Path(path)
    extension = path.suffix.lower().lstrip(".")
    if extension not in arc.LIBRARY_EXTENSIONS:
        return None
    return ServedFile(path, content_type_for(path.name), extension in INLINE)


def library_file(root: Path, store_folder: str, relative: str) -> ServedFile | None:
    """A file of one stored library copy (the caller chose which copy: the content's own)."""
    folder = library_folder(root, store_folder)
    return typed(stored_file(folder, relative)) if folder is not None else None


def content_file(root: Path, content_key: str, relative: str) -> ServedFile | None:
    """A file under `content/<key>/`, never outside it, never hidden, never a link."""
    try:
        folder = content_dir(root, content_key)
    except ValueError:
        return None
    return typed(stored_file(folder, relative))


def sandbox_policy(*, files_base: str, parent_origin: str) -> str:
    """The CSP of everything under the prefix. `files_base` is the absolute prefix URL."""
    return "; ".join((
        "default-src 'none'",
        f"script-src {files_base}",
        f"style-src {files_base} 'unsafe-inline'",
        f"img-src {files_base} data: blob:",
        f"media-src {files_base} blob:",
        f"font-src {files_base} data:",
        f"connect-src {files_base}",
        f"frame-ancestors {parent_origin}",
        "base-uri 'none'",
        "form-action 'none'",
        "sandbox allow-scripts",
    ))


def sandbox_headers(*, files_base: str, parent_origin: str) -> dict[str, str]:
    """Headers for every response under the prefix (backend/sandbox.py's, with this policy)."""
    return sandbox.sandbox_headers(sandbox_policy(files_base=files_base, parent_origin=parent_origin))
