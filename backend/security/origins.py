"""Where a configured URL lives, in the terms security headers use (pure; read by settings)."""

from __future__ import annotations

from urllib.parse import urlsplit

SELF = "self"


def url_origin(url: str) -> str:
    """SELF for a path ("/h5p-content/"), else scheme://host[:port] of an absolute URL.

    A protocol-relative URL ("//cdn.example.vn/x/") has no scheme of its own: it is refused, so a
    policy never silently allows plain http.
    """
    parts = urlsplit(url)
    if not parts.netloc:
        return SELF
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"{url!r} needs an http:// or https:// scheme to be an origin")
    return f"{parts.scheme}://{parts.netloc.lower().rsplit('@', 1)[-1]}"


def csp_sources(*urls: str) -> list[str]:
    """The CSP source expressions for these URLs: 'self' for paths, the origin otherwise."""
    out: list[str] = []
    for url in urls:
        origin = url_origin(url)
        source = "'self'" if origin == SELF else origin
        if source not in out:
            out.append(source)
    return out


def permissions_origins(*urls: str) -> list[str]:
    """The allow-list entries of a Permissions-Policy feature (django-permissions-policy's form)."""
    out: list[str] = []
    for url in urls:
        origin = url_origin(url)
        if origin not in out:
            out.append(origin)
    return out
