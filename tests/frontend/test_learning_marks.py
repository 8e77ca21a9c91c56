"""`{% lesson_kind %}` / `{% lesson_status %}` (frontend/templatetags/learning_marks.py) give
exactly what including _kind.html / _status.html gives, in each language, from the cache as on
the first render; and a lesson link without reverse() is reverse()'s link (decision 0074)."""

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from courses.api import LessonKind, ProgressStatus
from frontend import snippets
from frontend.course_index import lesson_url

STATUSES = [*ProgressStatus.values, "awaiting_grading"]


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_marks_are_the_snippets_included(language, settings):
    settings.DEBUG = False
    snippets._snippets.clear()
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
    assert snippets._snippets  # cached under production settings


def test_the_language_is_part_of_the_cache_key(settings):
    settings.DEBUG = False
    snippets._snippets.clear()
    with translation.override("vi"):
        vi = _render("{% load learning_marks %}{% lesson_status 'completed' False %}")
    with translation.override("en"):
        en = _render("{% load learning_marks %}{% lesson_status 'completed' False %}")
    assert "Completed" in en and "Completed" not in vi


def test_nothing_is_cached_under_debug(settings):
    settings.DEBUG = True
    snippets._snippets.clear()
    _render("{% load learning_marks %}{% lesson_kind 'text' %}")
    assert not snippets._snippets


def test_lesson_url_is_reverse():
    for pk in (1, 42, 987654320):
        assert lesson_url(pk) == reverse("lesson", args=[pk])


def _lesson(**changes) -> dict:
    return {"id": 7, "title": "Bài 1: Thông tin đối ngoại <b>", "url": lesson_url(7), "kind": LessonKind.TEXT,
            "required": True, "status": ProgressStatus.NOT_STARTED, "locked": False, "waits_for": [],
            **changes}


ROW_CASES = [
    _lesson(),
    _lesson(status=ProgressStatus.COMPLETED, kind=LessonKind.QUIZ),
    _lesson(required=False, status="awaiting_grading"),
    _lesson(locked=True, waits_for=[{"title": "Bài A"}, {"title": "Bài B & C"}]),
]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_rows_are_their_templates_rendered_with_their_values(language, settings):
    settings.DEBUG = False
    snippets._snippets.clear()
    with translation.override(language):
        for _round in range(2):  # the first render fills the cache, the second reads it
            for lesson in ROW_CASES:
                for next_id in (7, None):
                    row = _render("{% load learning_marks %}{% outline_row lesson n %}",
                                  lesson=lesson, n=next_id)
                    values = {**lesson, "is_next": next_id == 7,
                              "waits_for": [w["title"] for w in lesson["waits_for"]]}
                    assert row == _render('{% include "frontend/learning/_outline_row.html" %}', **values)
                    assert ('is-next' in row) == (next_id == 7)
                for current in (False, True):
                    item = {**lesson, "current": current}
                    row = _render("{% load learning_marks %}{% course_index_row item %}", item=item)
                    assert row == _render('{% include "frontend/learning/_course_index_row.html" %}', **item)
    assert snippets._snippets


def test_a_row_shows_what_it_was_given_not_what_was_cached(settings):
    settings.DEBUG = False
    snippets._snippets.clear()
    source = "{% load learning_marks %}{% outline_row lesson None %}"
    with translation.override("vi"):
        first = _render(source, lesson=_lesson())
        renamed = _render(source, lesson=_lesson(title="Bài 1 (sửa)"))
        done = _render(source, lesson=_lesson(status=ProgressStatus.COMPLETED))
        locked = _render(source, lesson=_lesson(locked=True, waits_for=[{"title": "Bài 0"}]))
    assert "Thông tin đối ngoại &lt;b&gt;" in first and "<b>" not in first  # escaped, as before
    assert "Bài 1 (sửa)" in renamed and "Thông tin" not in renamed
    assert done != first and "is-locked" in locked and "Bài 0" in locked and 'href' not in locked

