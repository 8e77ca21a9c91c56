"""The design system's template tags: {% icon %} inlines a Lucide SVG from node_modules."""

import pytest
from django.template import Context, Template

from frontend.templatetags import ui


def render(source: str) -> str:
    return Template("{% load ui %}" + source).render(Context({}))


def test_icon_inlines_the_svg_as_decoration_in_current_colour():
    html = render('{% icon "award" %}')
    assert html.startswith('<svg class="icon icon-award"')
    assert 'aria-hidden="true"' in html and 'focusable="false"' in html
    assert 'stroke="currentColor"' in html and 'width="20" height="20"' in html
    assert "<path" in html or "<circle" in html
    assert "<!--" not in html and "lucide-static" not in html  # the licence comment stays out of pages


def test_icon_takes_a_size_and_a_class():
    html = render('{% icon "menu" 32 "big" %}')
    assert 'width="32" height="32"' in html and 'class="icon icon-menu big"' in html


def test_icon_reads_each_file_once():
    ui.icon_body.cache_clear()
    render('{% icon "info" %}{% icon "info" %}{% icon "info" %}')
    assert ui.icon_body.cache_info().misses == 1 and ui.icon_body.cache_info().hits == 2


@pytest.mark.parametrize("name", ["no-such-icon", "../package", "Award", "a/b"])
def test_unknown_or_unsafe_names_fail_loudly(name):
    with pytest.raises(ValueError):
        ui.icon_body(name)


@pytest.mark.parametrize("level, name", [("success", "circle-check"), ("error", "circle-alert"),
                                         ("warning", "triangle-alert"), ("info", "info"),
                                         ("extra error", "circle-alert"), ("", "info")])
def test_alert_icon_follows_the_message_level(level, name):
    assert f"icon-{name}" in ui.alert_icon(level)


def test_labelled_pairs_each_cell_with_its_column_heading():
    assert ui.labelled(["Chuyên đề 1", 3, "100 %"], ["Module", "Learners", "Done"]) == [
        ("Module", "Chuyên đề 1"), ("Learners", 3), ("Done", "100 %")]
    assert ui.labelled(["a", "b"], ["Only one"]) == [("Only one", "a"), ("", "b")]
