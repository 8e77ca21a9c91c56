"""Small templates rendered once per process and reused: the snippet cache (decisions 0074, 0077).

`snippet(name, **values)` renders `name` with exactly `values` (no request, no other context)
in the active language and keeps the HTML under (template, language, every value): a snippet
depends on nothing else, so an edited title or a new status is a new key, never a stale entry.
The key is kept as its 64-bit hash and the HTML as UTF-8 bytes, about 550 bytes an entry (the
tuple and a str of Vietnamese text took 1.9 KB); a hit costs one `hash()` and one decode.
Python's string hashes are keyed at random per process, and a tuple's hash is one-to-one in each
item's hash when the others are fixed: keys that differ in a number or a flag do not collide,
keys that differ in their texts do with odds of 2^-64 a pair (1 in 3·10^10 for a full cache).
Used for a lesson's kind and status marks, the rows of the outline and the course index
(frontend/templatetags/learning_marks.py) and the site's header and footer
(frontend/templatetags/site_chrome.py). The cache keeps the newest 32,768 snippets per process
(at most ~18 MB): the bench's 30 trainees at 100k, in 300 courses, fill about
20,000. Nothing is kept under DEBUG, where a template being edited must show at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

_MAX_ENTRIES = 32_768  # marks: a few dozen; rows: lessons x statuses of the courses being taken
# hash of (template, language, values) -> the snippet's UTF-8 bytes, oldest first
_snippets: OrderedDict[int, bytes] = OrderedDict()
_adding = threading.Lock()  # gthread workers: one writer at a time (reads need no lock)


def snippet(name: str, /, **values) -> SafeString:
    """`name` rendered with `values` in the active language, from the cache after the first time.
    Every value must be hashable and shown as it is (str, int, bool, tuples of them)."""
    key = hash((name, get_language(), tuple(sorted(values.items()))))
    kept = _snippets.get(key)
    if kept is not None:
        return mark_safe(kept.decode())  # noqa: S308 (our template's output, kept)
    html = mark_safe(get_template(name).render(values))  # noqa: S308 (our template's output)
    if not settings.DEBUG:
        with _adding:
            _snippets[key] = html.encode()
            while len(_snippets) > _MAX_ENTRIES:
                _snippets.popitem(last=False)
    return html
