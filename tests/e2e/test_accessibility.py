"""Every page of every role (found by the crawl of site_pages.py), in real Chromium, in one visit:
- axe-core finds no serious or critical violation;
- at 360 px the page does not scroll sideways;
- every request goes to our own server (no CDN, no outside font or script);
- the text scripts wrote (and the rest) shows no English msgid on the Vietnamese page.
A failure lists page, rule id, targets and axe's help, so it can be fixed without re-running."""

from __future__ import annotations

import pytest

from tests.e2e import browsing, catalogue, site_pages


@pytest.fixture(scope="module", autouse=True)
def _axe_installed():
    if not browsing.AXE.exists():
        pytest.skip("axe-core is missing: cd frontend && npm ci --ignore-scripts")


@pytest.mark.parametrize("role", site_pages.ROLES)
def test_every_page_is_accessible_fits_a_phone_and_stays_on_our_server(role, browser, live_server,
                                                                      transactional_db):
    seeded = site_pages.seed_site()
    inventory = site_pages.crawl(role, seeded["users"], key_pages=seeded["key_pages"].get(role, []))
    assert inventory.server_errors == [], f"server errors while crawling: {inventory.server_errors}"
    assert len(inventory.pages) >= 5, site_pages.describe({role: inventory})

    context = browsing.new_context(browser, live_server, inventory)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    problems: list[str] = []
    try:
        for entry in inventory.pages:
            requested.clear()
            response = browsing.visit(tab, entry)
            if response is None or response.status >= 500:
                problems.append(f"{entry.label}: answered {response and response.status}")
                continue
            for v in browsing.axe_violations(tab):
                problems.append(f"{entry.label}: axe {v['impact']} {v['id']} on "
                                f"{', '.join(v['targets'])} -- {v['help']}")
            overflow = browsing.phone_overflow(tab)
            if overflow:
                problems.append(f"{entry.label}: wider than 360 px: {'; '.join(overflow)}")
            outside = sorted({u for u in requested if not browsing.is_local(u, live_server.url)})
            if outside:
                problems.append(f"{entry.label}: requests another origin: {outside}")
            if tab.evaluate("document.documentElement.lang") == "vi":
                for msgid in catalogue.found(catalogue.english_msgids(), browsing.shown_text(tab)):
                    problems.append(f"{entry.label}: untranslated in the browser {msgid!r}"
                                    f"{catalogue.pending_hint(msgid)}")
    finally:
        context.close()
    print(f"\n{role}: {len(inventory.pages)} pages checked\n" + site_pages.describe({role: inventory}))
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_checks_have_teeth(browser):
    """A page with known faults: the same checks find them (axe is really injected and run)."""
    context = browser.new_context(viewport=browsing.DESKTOP)
    tab = context.new_page()
    try:
        tab.set_content('<html lang="vi"><body><main><img src="x.png">'
                        '<p style="color:#eee;background:#fff">Chữ mờ</p>'
                        '<div style="width:600px">rộng</div><p>Page not found</p></main></body></html>')
        found = {v["id"] for v in browsing.axe_violations(tab)}
        assert {"image-alt", "color-contrast"} <= found
        assert browsing.phone_overflow(tab)[0].startswith("scrollWidth 6")  # 600 px + margins
        assert "Page not found" in catalogue.found(catalogue.english_msgids(), browsing.shown_text(tab))
        assert not browsing.is_local("https://cdn.example.org/x.js", "http://localhost:8081")
    finally:
        context.close()
