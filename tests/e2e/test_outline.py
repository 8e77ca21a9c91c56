"""The demo trainee's way through the demo course in real Chromium: find it by an accent-free
search, enrol, open the outline, work through the lessons in order, watch progress advance.

The UI runs in Vietnamese; the page's own strings are located by structure (urls, aria
attributes), not by text, so the test does not depend on the pending translations."""

import re

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from courses.demo import seed_course
from courses.models import Lesson
from tests.e2e.conftest import screenshot, sign_in


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def percent_shown(page) -> int:
    return int(page.locator("[role=progressbar]").first.get_attribute("aria-valuenow"))


def continue_href(page) -> str:
    return page.locator("a.continue").get_attribute("href")


def test_trainee_finds_enrols_and_learns_in_order(page, transactional_db):
    users = seed_accounts()
    course = seed_course(users)
    lessons = list(Lesson.objects.filter(course=course).order_by("module__position", "position"))
    assert len(lessons) >= 3

    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)
    page.goto("/courses/")
    page.fill("#q", "thong tin doi ngoai")  # no diacritics
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "q=thong+tin+doi+ngoai" in page.url
    link = page.locator(f"a[href='/courses/{course.pk}/']")
    assert link.inner_text() == course.published["title"]
    screenshot(page, "catalogue-search")
    link.click()

    page.click(f"form[action='/courses/{course.pk}/enrol/'] button")
    page.wait_for_url(f"**/courses/{course.pk}/learn/")
    assert percent_shown(page) == 0
    locked = page.locator("li.lesson.is-locked")
    assert locked.count() == len(lessons) - 1  # each lesson waits for the one before
    assert locked.first.locator(".status-locked").count() == 1
    assert locked.first.locator("a").count() == 0  # a locked lesson is not a link
    assert continue_href(page) == f"/learn/lessons/{lessons[0].pk}/"
    screenshot(page, "outline")
    screenshot(page, "outline", phone=True)
    assert no_horizontal_overflow(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    # A locked lesson opened directly: a clear page naming what to do first.
    response = page.goto(f"/learn/lessons/{lessons[1].pk}/")
    assert response.status == 409
    assert page.locator(f"ul.unmet a[href='/learn/lessons/{lessons[0].pk}/']").count() == 1

    last_percent = 0
    for index, lesson in enumerate(lessons[:3]):
        page.goto(f"/courses/{course.pk}/learn/")
        assert continue_href(page) == f"/learn/lessons/{lesson.pk}/"
        page.click("a.continue")
        page.wait_for_url(f"**/learn/lessons/{lesson.pk}/")
        assert page.locator("h1").inner_text() == lesson.published["title"]
        if index == 0:
            screenshot(page, "lesson")
            screenshot(page, "lesson", phone=True)
            assert no_horizontal_overflow(page)
            page.set_viewport_size({"width": 1280, "height": 800})
        page.click("form.complete button")
        page.wait_for_url(f"**/learn/lessons/{lesson.pk}/")
        assert page.locator("form.complete").count() == 0  # done: the button is gone
        percent = percent_shown(page)
        assert percent > last_percent
        last_percent = percent
        # The next lesson is now open and linked from the lesson page.
        assert page.locator(f"a[rel=next][href='/learn/lessons/{lessons[index + 1].pk}/']").count() == 1

    page.goto(f"/courses/{course.pk}/learn/")
    assert percent_shown(page) == last_percent
    assert continue_href(page) == f"/learn/lessons/{lessons[3].pk}/"
    assert page.locator("li.lesson.is-locked").count() == len(lessons) - 4
    assert page.locator(".status-completed").count() == 3

    page.goto("/my/courses/")
    bar = page.locator("[role=progressbar]").first
    assert int(bar.get_attribute("aria-valuenow")) == last_percent
    assert re.fullmatch(r"\d+%", page.locator(".progress-text").first.inner_text())
    assert page.locator(f"a.button[href='/learn/lessons/{lessons[3].pk}/']").count() == 1
    screenshot(page, "my-courses")
    screenshot(page, "my-courses", phone=True)
    assert no_horizontal_overflow(page)


def test_catalogue_fits_a_phone(page, transactional_db):
    users = seed_accounts()
    seed_course(users)
    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/courses/")
    assert no_horizontal_overflow(page)
    # Keyboard users see where they are: the search box shows a focus outline.
    page.focus("#q")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    screenshot(page, "catalogue", phone=True)
