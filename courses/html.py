"""Sanitising authored HTML with nh3 against an allow-list, and its words for search (pure; no
ORM, no request)."""

from __future__ import annotations

import html

import nh3

from backend.accounts.api import search_key

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


def html_text(value: str) -> str:
    """The words of an HTML fragment, tags dropped (script and style with their content),
    entities decoded: what a reader sees, for search keys."""
    if not value:
        return ""
    return html.unescape(nh3.clean(value, tags=set(), strip_comments=True))


def lesson_search_key(title: str, body: str) -> str:
    """What the catalogue search matches inside a lesson: its title and the words of its text."""
    return search_key(f"{title} {html_text(body)}")
