"""Serving a SCORM package to the sandboxed player (decision 0040, docs/scorm.md "Isolation"):
which stored file a URL means and how it is sent, whether a request is a page navigation the
player must take over, and the Content-Security-Policy of everything under SCORM_CONTENT_URL.

The player document hosts scorm-again's API object and loads each package page into a child
document of its own origin (`srcdoc`), so the page finds `window.parent.API` the ADL way although
the frame's origin is opaque. When package HTML is *navigated to* (a link, `location.href = …`, an
`<iframe src>` inside a page), that navigation would land in a new opaque origin, cut off from
the API: it is answered with a small bounce document asking its parent to load the page the same
way (static/frontend/scorm-shim.js). Fetches of package HTML (the player reading a page's source,
a package loading an HTML template) get the file. Browsers that send no `Sec-Fetch-Dest` (plain
HTTP on another host than localhost) are told apart by the `ttdn-source` query the player adds.

The policy differs from H5P's in what authoring tools need inside the sandbox: inline scripts
and `eval` (Storyline, Captivate and iSpring players use both), frames of the package's own files,
and `<base href>` (the player sets it on each page it loads). That is safe only because the origin
is opaque: no cookie, no storage, no access to the site's pages or API; nothing outside the
prefix may be loaded or connected to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from backend.private_media import content_type_for

from .storage import package_file_path

HTML = frozenset({"html", "htm", "xhtml"})
NAVIGATION_DESTS = frozenset({"document", "iframe", "frame"})
SOURCE_QUERY = "ttdn-source"
# Types of the package allow-list (package.FILE_EXTENSIONS) the site-wide table leaves out.
_EXTRA_TYPES = {
    "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
    "xhtml": "application/xhtml+xml; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
    "xsd": "application/xml", "dtd": "application/xml-dtd", "map": "application/json; charset=utf-8",
    "srt": "text/plain; charset=utf-8", "avif": "image/avif", "ico": "image/x-icon", "cur": "image/x-icon",
    "aac": "audio/aac", "oga": "audio/ogg", "opus": "audio/ogg", "weba": "audio/webm", "flac": "audio/flac",
    "mov": "video/quicktime", "bin": "application/octet-stream",
}
# Downloads rather than shown in the frame (office documents a course hands out).
_ATTACHMENTS = frozenset({"doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "bin"})


@dataclass(frozen=True)
class ServedFile:
    path: Path
    content_type: str
    inline: bool
    is_html: bool


def package_file(package_key: str, relative: str) -> ServedFile | None:
    """A stored file of the package (never outside its folder, hidden or a link), with how it is sent."""
    path = package_file_path(package_key, relative)
    if path is None:
        return None
    extension = path.suffix.lower().lstrip(".")
    content_type = _EXTRA_TYPES.get(extension) or content_type_for(path.name)
    return ServedFile(path, content_type, extension not in _ATTACHMENTS, extension in HTML)


def is_navigation(*, fetch_dest: str | None, query: dict) -> bool:
    """Whether a request for package HTML is a navigation of a frame or tab (answered with the
    bounce document) rather than a fetch of its source."""
    if SOURCE_QUERY in query:
        return False
    if fetch_dest:
        return fetch_dest in NAVIGATION_DESTS
    return True  # no Fetch Metadata: only the player's own fetches say what they are


def player_policy(*, files_base: str, parent_origin: str) -> str:
    """The CSP of everything under the prefix (the player document's is inherited by the package
    pages it loads). `files_base` is the absolute prefix URL."""
    return "; ".join((
        "default-src 'none'",
        f"script-src {files_base} 'unsafe-inline' 'unsafe-eval'",
        f"style-src {files_base} 'unsafe-inline'",
        f"img-src {files_base} data: blob:",
        f"media-src {files_base} data: blob:",
        f"font-src {files_base} data:",
        f"connect-src {files_base}",
        f"frame-src {files_base} blob: data:",
        f"worker-src {files_base} blob:",
        f"frame-ancestors {parent_origin}",
        f"base-uri {files_base}",
        "form-action 'none'",
        "object-src 'none'",
        "sandbox allow-scripts",
    ))
