"""A lesson's kind badge and status mark, and the lesson rows of the outline and the course index.

`{% lesson_kind kind %}` and `{% lesson_status status locked %}` give exactly what including
frontend/learning/_kind.html / _status.html gives, but render each (template, language, value)
once per process and reuse the HTML: an outline of 30 lessons otherwise renders the same few
snippets 60 times per page through {% include %} and {% translate %}, the largest cost of the
page (decision 0074). `{% outline_row lesson next_lesson_id %}` and `{% course_index_row item %}`
do the same for a whole row (_outline_row.html, _course_index_row.html): a row is a function of
its lesson's title, link, kind, status and lock, which every trainee at the same point of the
same course shares (decision 0077). Each snippet depends on nothing but its arguments and the
language, and every argument is part of the key: an edited title or a new status is a new key,
never a stale row (the cache: frontend/snippets.py).
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from frontend.snippets import snippet

register = template.Library()

KIND_TEMPLATE = "frontend/learning/_kind.html"
STATUS_TEMPLATE = "frontend/learning/_status.html"
OUTLINE_ROW_TEMPLATE = "frontend/learning/_outline_row.html"
INDEX_ROW_TEMPLATE = "frontend/learning/_course_index_row.html"


@register.simple_tag
def lesson_kind(kind) -> SafeString:
    return snippet(KIND_TEMPLATE, kind=str(kind))


@register.simple_tag
def lesson_status(status, locked=False) -> SafeString:
    return snippet(STATUS_TEMPLATE, status=str(status), locked=bool(locked))


@register.simple_tag
def outline_row(lesson: dict, next_lesson_id) -> SafeString:
    """A lesson of the outline page (`frontend.views.learning.course_outline`'s lesson dicts)."""
    return snippet(
        OUTLINE_ROW_TEMPLATE, id=int(lesson["id"]), title=str(lesson["title"]), url=str(lesson["url"]),
        kind=str(lesson["kind"]), required=bool(lesson.get("required")), status=str(lesson["status"]),
        locked=bool(lesson.get("locked")), is_next=lesson["id"] == next_lesson_id,
        waits_for=tuple(str(item["title"]) for item in lesson.get("waits_for") or ()),
    )


@register.simple_tag
def course_index_row(item: dict) -> SafeString:
    """A lesson of the course index (`frontend.course_index.course_index`'s entries)."""
    return snippet(
        INDEX_ROW_TEMPLATE, title=str(item["title"]), url=str(item["url"]), status=str(item["status"]),
        locked=bool(item.get("locked")), required=bool(item.get("required")),
        current=bool(item.get("current")),
    )
