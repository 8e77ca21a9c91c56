"""No English on a Vietnamese page (issue 11, items 10 and 11).

1. Every page of every role (the crawl of site_pages.py), rendered in Vietnamese by the Django
   test client, including a form sent back with errors: no English word (tests/e2e/english.py:
   beyond proper nouns and ALLOWED), no untranslated msgid of our catalogues, no "---------",
   no ISO date.
2. In Chromium with a French browser (locale fr-FR, Accept-Language fr-FR,fr;q=0.9,en;q=0.8) and
   the Vietnamese language cookie (until the Vietnamese-default work lands, a French browser
   alone would get English): the lesson editor's Quill toolbar and link tooltip, whose words are
   CSS ::before/::after content, and the text scripts wrote.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.e2e import browsing, catalogue, english, site_pages
from tests.e2e.test_translations import compiled_messages, content_text  # noqa: F401 (fixture)

FRENCH_BROWSER = {"locale": "fr-FR",
                  "extra_http_headers": {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}}


def page_problems(label: str, html: str, content: str) -> list[str]:
    lang, text = catalogue.visible_text(html)
    problems = [] if lang == "vi" else [f"{label}: <html lang={lang!r}>"]
    problems += [f"{label}: untranslated {m!r}{catalogue.pending_hint(m)}"
                 for m in catalogue.found(catalogue.english_msgids(), text)]
    problems += [f"{label}: English {w}" for w in english.english_words(text, content=content)]
    return problems


def test_no_page_shows_english_in_vietnamese(db):
    seeded = site_pages.seed_site()
    inventories = site_pages.discover(seeded)
    content = content_text()
    problems: list[str] = []
    pages = [page for inventory in inventories.values() for page in inventory.pages]
    for page in pages:
        problems += page_problems(page.label, page.html, content)
    assert len(pages) >= 40, site_pages.describe(inventories)
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_english_check_has_teeth():
    page = ('<html lang="vi"><head><title>Sign in</title></head><body><h1>Hồ sơ</h1>'
            '<select><option value="">---------</option></select>'
            '<p>Trường này là bắt buộc. Enter a valid “slug”.</p><img alt="Cover image" src="x">'
            '<p>Ngày 2026-03-04</p><p lang="en">English</p><code>full_name,email</code>'
            '<p>H5P, PDF, E-mail: trainee@demo.local, /teach/courses/1/, bai-1.pdf</p>'
            '<p>Khóa học “Communication skills”</p></body></html>')
    problems = "\n".join(page_problems("sample", page, content="Communication skills"))
    for expected in ("'sign'", "'enter'", "'valid'", "'image'", "'---------'", "'2026-03-04'"):
        assert expected in problems, problems
    for left_alone in ("'english'", "'email'", "'full_name'", "'h5p'", "'teach'", "'communication'",
                       "'skills'", "'demo'", "'bai'"):
        assert left_alone not in problems, problems


# --- Chromium: the rich-text editor's CSS words and what scripts write --------------------------

QUILL_WORDS = """() => {
    const content = (el, pseudo) => el ? getComputedStyle(el, pseudo).content : null;
    const toolbar = document.querySelector('.ql-toolbar');
    const tooltip = document.querySelector('.ql-tooltip');
    return {
        label: content(toolbar.querySelector('.ql-header .ql-picker-label'), '::before'),
        items: [...toolbar.querySelectorAll('.ql-header .ql-picker-item')]
            .map(el => content(el, '::before')),
        visit: content(tooltip, '::before'),
        edit: content(tooltip.querySelector('a.ql-action'), '::after'),
        remove: content(tooltip.querySelector('a.ql-remove'), '::before'),
    };
}"""


def test_lesson_editor_speaks_vietnamese_in_a_french_browser(browser, live_server, transactional_db):
    seeded = site_pages.seed_site()
    inventory = site_pages.crawl("trainer", seeded["users"], max_pages=3, max_depth=0)
    context = browsing.new_context(browser, live_server, inventory, **FRENCH_BROWSER)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "vi",
                          "url": live_server.url}])
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        tab.goto(reverse("authoring-lesson", args=[seeded["text_lesson_id"]]))
        tab.wait_for_selector(".ql-toolbar .ql-picker-label")
        assert tab.evaluate("document.documentElement.lang") == "vi"
        words = tab.evaluate(QUILL_WORDS)
        with_link = _link_tooltip_words(tab)
        shown = browsing.shown_text(tab)
    finally:
        context.close()
    css_words = [words["label"], *words["items"], words["visit"], words["edit"], words["remove"],
                 *with_link]
    assert words["label"] not in ('"Normal"', "none", '""'), words  # the picker shows a name
    problems = [f"Quill CSS content {word}{catalogue.pending_hint(word.strip(chr(34)))}"
                for word in css_words if english.english_words(word)]
    problems += [f"page text {w}" for w in english.english_words(shown, content=content_text())]
    problems += [f"page text: untranslated {m!r}"
                 for m in catalogue.found(catalogue.english_msgids(), shown)]
    assert problems == [], "\n".join(problems) + f"\n(CSS words: {css_words})"


def _link_tooltip_words(tab) -> list[str]:
    """Select a word and press the link button: the tooltip says 'Enter link:' and 'Save'."""
    tab.click(".ql-editor")
    tab.keyboard.press("Control+A")
    tab.click(".ql-toolbar button.ql-link")
    tab.wait_for_selector(".ql-tooltip.ql-editing")
    return tab.evaluate("""() => {
        const tip = document.querySelector('.ql-tooltip');
        return [getComputedStyle(tip, '::before').content,
                getComputedStyle(tip.querySelector('a.ql-action'), '::after').content,
                tip.querySelector('input').getAttribute('placeholder') || ''];
    }""")


@pytest.mark.parametrize("text", ['"Normal"', '"Heading 2"', '"Enter link:"', '"Save"'])
def test_quill_english_words_are_found(text):
    assert english.english_words(text), text
