"""`{% lesson_kind %}` / `{% lesson_status %}` (frontend/templatetags/learning_marks.py) give
exactly what including _kind.html / _status.html gives, in each language, from the cache as on
the first render; and a lesson link without reverse() is reverse()'s link (decision 0074)."""

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from courses.api import LessonKind, ProgressStatus
from frontend.course_index import lesson_url
from frontend.templatetags import learning_marks

STATUSES = [*ProgressStatus.values, "awaiting_grading"]


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_marks_are_the_snippets_included(language, settings):
    settings.DEBUG = False
    learning_marks._snippets.clear()
    with translation.override(language):
        for _round in range(2):  # the first render fills the cache, the second reads it
            for kind in [*LessonKind.values, "unknown"]:
                assert _render("{% load learning_marks %}{% lesson_kind kind %}", kind=kind) == _render(
                    '{% include "frontend/learning/_kind.html" with kind=kind %}', kind=kind)
            for status in STATUSES:
                for locked in (False, True):
                    assert _render("{% load learning_marks %}{% lesson_status s l %}", s=status,
                                   l=locked) == _render(
                        '{% include "frontend/learning/_status.html" with status=s locked=l %}',
                        s=status, l=locked)
    assert learning_marks._snippets  # cached under production settings


def test_the_language_is_part_of_the_cache_key(settings):
    settings.DEBUG = False
    learning_marks._snippets.clear()
    with translation.override("vi"):
        vi = _render("{% load learning_marks %}{% lesson_status 'completed' False %}")
    with translation.override("en"):
        en = _render("{% load learning_marks %}{% lesson_status 'completed' False %}")
    assert "Completed" in en and "Completed" not in vi


def test_nothing_is_cached_under_debug(settings):
    settings.DEBUG = True
    learning_marks._snippets.clear()
    _render("{% load learning_marks %}{% lesson_kind 'text' %}")
    assert not learning_marks._snippets


def test_lesson_url_is_reverse():
    for pk in (1, 42, 987654320):
        assert lesson_url(pk) == reverse("lesson", args=[pk])
