"""Every list page of a new site, at 360 px: the design system's empty state (an icon, why the list
is empty, the next step) and nothing wider than the phone (tables stack, docs/design.md)."""

from __future__ import annotations

from tests.e2e import browsing, site_pages
from tests.e2e.conftest import screenshot


def _check(browser, live_server, pages: dict[str, list[str]]) -> list[str]:
    problems = []
    for role, urls in pages.items():
        context = browsing.new_context(browser, live_server, site_pages.signed_in(role),
                                       viewport=browsing.PHONE)
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        try:
            for url in urls:
                response = tab.goto(url, wait_until="load")
                if response.status != 200:
                    problems.append(f"{role} {url}: answered {response.status}")
                    continue
                empty = tab.locator("main .empty")
                if not empty.count() or not empty.first.is_visible():
                    problems.append(f"{role} {url}: no empty state")
                elif not empty.first.locator("svg.icon").count() or not empty.first.inner_text().strip():
                    problems.append(f"{role} {url}: the empty state lacks its icon or its sentence")
                overflow = browsing.phone_overflow(tab)
                if overflow:
                    problems.append(f"{role} {url}: wider than 360 px: {overflow}")
                    screenshot(tab, f"empty-{role}-{url.strip('/').replace('/', '-')}", phone=True)
        finally:
            context.close()
    return problems


def test_every_list_page_shows_its_empty_state_and_fits_a_phone(browser, live_server, transactional_db):
    lists = site_pages.empty_list_pages()
    problems = _check(browser, live_server, lists)
    objects = site_pages.empty_object_lists()
    problems += _check(browser, live_server, objects)
    assert sum(map(len, lists.values())) + sum(map(len, objects.values())) >= 17
    assert problems == [], "\n".join(problems)
