"""Small templates rendered once per process and reused: the snippet cache (decisions 0074, 0077).

`snippet(name, **values)` renders `name` with exactly `values` (no request, no other context)
in the active language and keeps the HTML under (template, language, every value): a snippet
depends on nothing else, so an edited title or a new status is a new key, never a stale entry.
Used for a lesson's kind and status marks, the rows of the outline and the course index
(frontend/templatetags/learning_marks.py) and the site's header and footer
(frontend/templatetags/site_chrome.py). The cache keeps the newest 16,384 snippets per process
(about 2.4 KB each with its key, at most ~40 MB): more than the rows of the courses a process
serves at once. Nothing is kept under DEBUG, where a template being edited must show at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

_MAX_ENTRIES = 16_384  # marks: a few dozen; rows: lessons x statuses of the courses being taken
_snippets: OrderedDict[tuple, SafeString] = OrderedDict()  # oldest first
_adding = threading.Lock()  # gthread workers: one writer at a time (reads need no lock)


def snippet(name: str, /, **values) -> SafeString:
    """`name` rendered with `values` in the active language, from the cache after the first time.
    Every value must be hashable and shown as it is (str, int, bool, tuples of them)."""
    key = (name, get_language(), tuple(sorted(values.items())))
    html = _snippets.get(key)
    if html is None:
        html = mark_safe(get_template(name).render(values))  # noqa: S308 (our template's output)
        if not settings.DEBUG:
            with _adding:
                _snippets[key] = html
                while len(_snippets) > _MAX_ENTRIES:
                    _snippets.popitem(last=False)
    return html
