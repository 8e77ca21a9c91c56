"""frontend.snippets: the snippet cache's keys, bound and DEBUG switch, counted by the renders it
asks of the template engine."""

import pytest
from django.template import loader
from django.utils import translation
from django.utils.safestring import SafeString

from frontend import snippets

NAME = "frontend/learning/_status.html"


@pytest.fixture
def renders(settings, monkeypatch):
    """The list of values the template was rendered with, under production settings."""
    settings.DEBUG = False
    snippets._snippets.clear()
    seen: list[dict] = []

    def get_template(name):
        template = loader.get_template(name)

        class Counting:
            def render(self, values):
                seen.append(dict(values))
                return template.render(values)
        return Counting()

    monkeypatch.setattr(snippets, "get_template", get_template)
    return seen


def test_a_hit_gives_the_first_renders_html_without_rendering(renders):
    with translation.override("vi"):
        first = snippets.snippet(NAME, status="completed", locked=False)
        again = snippets.snippet(NAME, status="completed", locked=False)
    assert len(renders) == 1 and again == first and isinstance(again, SafeString)
    assert "Đã hoàn thành" in again  # Vietnamese text survives the bytes it is kept as


def test_every_value_and_the_language_are_part_of_the_key(renders):
    with translation.override("vi"):
        snippets.snippet(NAME, status="completed", locked=False)
        locked = snippets.snippet(NAME, status="completed", locked=True)
        started = snippets.snippet(NAME, status="in_progress", locked=False)
    with translation.override("en"):
        english = snippets.snippet(NAME, status="completed", locked=False)
    assert len(renders) == 4 and len({locked, started, english}) == 3
    assert "Completed" in english


def test_the_cache_keeps_the_newest_entries_only(renders, monkeypatch):
    monkeypatch.setattr(snippets, "_MAX_ENTRIES", 3)
    statuses = ["not_started", "in_progress", "completed", "failed", "awaiting_grading"]
    with translation.override("vi"):
        for status in statuses:
            snippets.snippet(NAME, status=status, locked=False)
        assert len(renders) == 5 and len(snippets._snippets) == 3
        for status in statuses[2:]:  # the newest three: from the cache
            snippets.snippet(NAME, status=status, locked=False)
        assert len(renders) == 5
        snippets.snippet(NAME, status=statuses[0], locked=False)  # the oldest was dropped
        assert len(renders) == 6 and len(snippets._snippets) == 3


def test_nothing_is_kept_under_debug(renders, settings):
    settings.DEBUG = True
    for _round in range(2):
        snippets.snippet(NAME, status="completed", locked=False)
    assert len(renders) == 2 and not snippets._snippets
