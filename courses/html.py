"""Sanitising authored HTML with nh3 against an allow-list (pure; no ORM, no request)."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "q", "cite", "code", "pre", "span", "a", "img",
    "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "lang"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
# No javascript:, data:, vbscript: or relative scheme tricks: only these survive in href/src.
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitise_html(value: str) -> str:
    """The allow-listed subset of `value`: scripts, styles, event handlers and unsafe links go."""
    if not value:
        return ""
    attributes = {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        attributes=attributes,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
