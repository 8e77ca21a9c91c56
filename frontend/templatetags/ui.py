"""Template tags of the design system (docs/design.md).

`{% icon "name" %}` inlines an SVG of the Lucide icon set (npm `lucide-static`, read from
node_modules at render and cached), so a page needs no extra request and no CDN. Icons are
decoration: aria-hidden, not focusable, drawn in currentColor; the words next to them carry the meaning.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def icons_dir():
    return settings.NODE_MODULES_DIR / "lucide-static" / "icons"


@lru_cache(maxsize=256)
def icon_body(name: str) -> str:
    """The inside of the icon's <svg> element (its shapes), whitespace squeezed."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"not an icon name: {name!r}")
    path = icons_dir() / f"{name}.svg"
    if not path.is_file():
        raise ValueError(f"no icon named {name!r} in lucide-static")
    svg = _COMMENT.sub("", path.read_text(encoding="utf-8"))
    opening = _SVG_OPEN.search(svg)
    body = svg[opening.end():svg.rindex("</svg>")]
    return re.sub(r">\s+<", "><", body.strip())


@register.simple_tag
def icon(name: str, size: int = 20, css_class: str = "") -> SafeString:
    classes = f"icon icon-{name} {css_class}".strip()
    return format_html(
        '<svg class="{}" width="{}" height="{}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
        'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" '
        'focusable="false">{}</svg>',
        classes, int(size), int(size), mark_safe(icon_body(name)),  # noqa: S308 (a file of the npm package, not input)
    )


ALERT_ICONS = {"info": "info", "success": "circle-check", "warning": "triangle-alert",
               "error": "circle-alert", "debug": "info"}


@register.simple_tag
def alert_icon(level: str) -> SafeString:
    """The icon of an alert or a message level (Django message tags may hold several words)."""
    name = next((ALERT_ICONS[t] for t in str(level).split() if t in ALERT_ICONS), "info")
    return icon(name)


@register.filter
def labelled(row, headers) -> list[tuple[str, object]]:
    """Pairs (column heading, cell) of a table row, for a stacked table's `data-label` when the
    columns come from data (a report) rather than from the template."""
    headers = list(headers)
    return [(headers[i] if i < len(headers) else "", cell) for i, cell in enumerate(row)]
