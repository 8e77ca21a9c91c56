"""The site header in a real browser: the phone menu opens without any script, the wide menu is
always shown, and the focus ring stands out (>= 3:1) against the header and the page."""

from __future__ import annotations

import re

import pytest

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from tests.e2e.browsing import DESKTOP, PHONE
from tests.e2e.conftest import screenshot, sign_in


def luminance(css_colour: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css_colour)[:3])
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def tab(browser, live_server, transactional_db):
    seed_accounts()
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", java_script_enabled=False,
                                  viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)
    yield page
    context.close()


def test_phone_menu_opens_without_javascript_and_marks_the_current_page(tab):
    tab.goto("/courses/")
    catalogue = tab.locator(".site-nav a[href='/courses/']")
    assert not catalogue.is_visible()
    tab.click(".site-menu > summary")
    assert catalogue.is_visible() and catalogue.get_attribute("aria-current") == "page"
    assert tab.locator(".site-nav button[name=language]").is_visible()
    box = catalogue.bounding_box()
    assert box["height"] >= 44  # a thumb-sized target on phones
    assert tab.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(tab, "header-menu-open", phone=True)


def test_wide_menu_is_always_shown(tab):
    tab.set_viewport_size(DESKTOP)
    tab.goto("/")
    assert not tab.locator(".site-menu > summary").is_visible()
    assert tab.locator(".site-nav a[href='/courses/']").is_visible()
    assert tab.locator(".site-nav button[name=language]").is_visible()
    screenshot(tab, "header-wide")


@pytest.mark.parametrize("selector, background_of", [
    (".brand", ".site-header"), (".site-nav a[href='/courses/']", ".site-header"), ("#main a", "body")])
def test_focus_ring_contrasts_with_what_it_is_drawn_on(tab, selector, background_of):
    tab.set_viewport_size(DESKTOP)
    tab.goto("/")
    target = tab.locator(selector).first
    target.focus()
    tab.keyboard.press("Shift+Tab")
    tab.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    ring = target.evaluate("e => getComputedStyle(e).outlineColor")
    width = target.evaluate("e => parseFloat(getComputedStyle(e).outlineWidth)")
    background = tab.locator(background_of).first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert width >= 2
    assert contrast(ring, background) >= 3, (ring, background)
