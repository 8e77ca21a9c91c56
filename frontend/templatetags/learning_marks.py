"""A lesson's kind badge and status mark, as outline and course-index rows show them.

`{% lesson_kind kind %}` and `{% lesson_status status locked %}` give exactly what including
frontend/learning/_kind.html / _status.html gives, but render each (template, language, value)
once per process and reuse the HTML: an outline of 30 lessons otherwise renders the same few
snippets 60 times per page through {% include %} and {% translate %}, the largest cost of the
page (decision 0074). The snippets depend on nothing but their arguments and the language.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

KIND_TEMPLATE = "frontend/learning/_kind.html"
STATUS_TEMPLATE = "frontend/learning/_status.html"
_MAX_ENTRIES = 256  # languages x kinds/statuses: a few dozen; a bound all the same
_snippets: dict[tuple, SafeString] = {}


def snippet(name: str, **values) -> SafeString:
    """`name` rendered with `values` in the active language, from the cache after the first time
    (not under DEBUG, where a template being edited must show at once)."""
    key = (name, get_language(), tuple(sorted(values.items())))
    html = _snippets.get(key)
    if html is None:
        html = mark_safe(get_template(name).render(values))  # noqa: S308 (our template's output)
        if not settings.DEBUG and len(_snippets) < _MAX_ENTRIES:
            _snippets[key] = html
    return html


@register.simple_tag
def lesson_kind(kind) -> SafeString:
    return snippet(KIND_TEMPLATE, kind=str(kind))


@register.simple_tag
def lesson_status(status, locked=False) -> SafeString:
    return snippet(STATUS_TEMPLATE, status=str(status), locked=bool(locked))
