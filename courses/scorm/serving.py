"""Serving a SCORM package to the sandboxed player (decision 0040, docs/scorm.md "Isolation"):
which stored file a URL means and how it is sent, the SCO's launch document, and the
Content-Security-Policy of everything under SCORM_CONTENT_URL.

A SCO plays in `<iframe sandbox="allow-scripts">` at `<prefix><grant>/sco/<n>/<launch file>`: the
package's files are served under that same folder, so the SCO's relative URLs, `location` and its
manifest parameters (the query) are what the author built. When the launch file is *navigated
to* (the frame's own load), it is sent as the launch document: the package's page with, first in
its `<head>`, the scorm-again runtime, the data model the session starts with (as
`runtime.cmi_get` made it) and the player script (static/frontend/scorm-frame.js) that puts the API
object on the SCO's own window, where the ADL search starts. So the API is there, synchronous,
before any of the package's scripts runs, in the same document. Fetches of package HTML (a package
loading a template) get the file as stored.

Two modes, one setting (SCORM_CONTENT_URL):
- a path (default): the frame's origin is opaque (no cookie, no storage, no access to the site's
  pages or API). The SCO's own document has the API; frames *inside* the package are documents of
  other opaque origins and cannot script it (packages built as a wrapper page scripting a content
  frame, such as Rise 360's, need the second mode);
- an absolute URL on another origin: the frame also gets `allow-same-origin`, so the package's
  pages share that origin and script each other as they would on any LMS, while the site's
  cookies, pages and API stay on the site's own origin.

The policy differs from H5P's in what authoring tools need inside the sandbox: inline scripts
and `eval` (Storyline, Captivate and iSpring players use both) and frames of the package's own
files. Nothing outside the prefix may be loaded, framed or connected to.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from backend.private_media import content_type_for

from .storage import package_file_path

HTML = frozenset({"html", "htm", "xhtml"})
NAVIGATION_DESTS = frozenset({"document", "iframe", "frame"})
LAUNCH_MAX_BYTES = 20 * 1024 * 1024
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
_HEAD = re.compile(rb"<head(\s[^>]*)?>", re.I)
_HTML = re.compile(rb"<html(\s[^>]*)?>", re.I)
_DOCTYPE = re.compile(rb"<!doctype[^>]*>", re.I)
_CHARSET = re.compile(rb"<meta[^>]+charset", re.I)


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


def launch_path(href: str | None) -> str:
    """The launch file's path in the package (the manifest href without its parameters)."""
    return re.split(r"[?#]", href or "", maxsplit=1)[0]


def is_navigation(fetch_dest: str | None) -> bool:
    """Whether a request is the frame's own load (a navigation), not a fetch by package code.
    Without Fetch Metadata (plain HTTP on another host than localhost), it is taken as one."""
    return fetch_dest in NAVIGATION_DESTS if fetch_dest else True


def _script_json(data: dict) -> bytes:
    text = json.dumps(data, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("ascii")


def launch_document(page: bytes, *, scripts: list[str], config: dict | None = None) -> bytes:
    """A package page with the player's tags first in its `<head>`: for the SCO's launch file the
    session's `config` and the runtime, for the package's other pages (frames) the storage shim
    only. Bytes in, bytes out: the page's own encoding is kept; what is added is ASCII."""
    tags = b"".join([
        *([b'<script type="application/json" id="ttdn-scorm-launch">', _script_json(config), b"</script>"]
          if config is not None else []),
        *(b'<script src="' + src.replace('"', "%22").encode("ascii") + b'"></script>' for src in scripts),
    ])
    head = _HEAD.search(page)
    if head:
        at = head.end()
        # A <meta charset> must stay within the first 1024 bytes: put it before our tags.
        charset = _CHARSET.search(page, at, at + 1024)
        if charset:
            end = page.find(b">", charset.start()) + 1
            return page[:at] + page[at:end] + tags + page[end:]
        return page[:at] + tags + page[at:]
    for mark in (_HTML, _DOCTYPE):
        found = mark.search(page)
        if found:
            return page[:found.end()] + b"<head>" + tags + b"</head>" + page[found.end():]
    return b"<head>" + tags + b"</head>" + page


def player_policy(*, files_base: str, framed_by: str | None, same_origin: bool = False) -> str:
    """The CSP of everything under the prefix. `files_base` is the absolute prefix URL;
    `framed_by` the site origin allowed to frame a launch document (None for the package's other
    files, which are framed by the package itself: inside the player, whose origin is opaque);
    `same_origin` (a separate content origin) keeps the package's pages on that origin."""
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
        *([f"frame-ancestors {framed_by}"] if framed_by else []),
        f"base-uri {files_base}",
        "form-action 'none'",
        "object-src 'none'",
        "sandbox allow-scripts" + (" allow-same-origin" if same_origin else ""),
    ))
