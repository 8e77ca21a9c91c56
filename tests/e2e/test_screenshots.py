"""Screenshots of the key pages of each role, at desktop (1280 px) and phone (360 px) width, saved
as test artefacts in test-artifacts/screenshots/<role>-<url name>[-phone].png (not committed).
`make screenshots` runs only this file; docs/tour.md tells what each page is for.

Pages come from the crawl (site_pages.py), picked by url name: a name that does not exist on
this site yet (a page of an unmerged branch) is simply not shot."""

from __future__ import annotations

import pytest

from tests.e2e import browsing, site_pages
from tests.e2e.conftest import ARTIFACTS

SHOTS = ARTIFACTS / "screenshots"
KEY_PAGES = {
    "anonymous": ["home", "account_login", "account_reset_password", "verify-form", "verify-file",
                  "404"],
    "trainee": ["home", "catalogue", "course-detail", "course-outline", "lesson", "h5p-player",
                "scorm-player", "quiz-start", "quiz-attempt", "quiz-review", "my-courses", "my-certificates",
                "profile", "notifications", "notification-preferences"],
    "trainer": ["authoring-home", "authoring-structure", "authoring-lesson", "authoring-preview",
                "authoring-analytics", "quiz-grading", "quiz-overrides", "course-certificates"],
    "administrator": ["admin-home", "admin-users", "admin-user", "admin-import", "admin-units",
                      "admin-cohort", "admin-enrolments", "admin-enrolment-due", "admin-report",
                      "admin-audit", "admin-user-accommodation", "admin-notification-defaults"],
}


@pytest.mark.parametrize("role", site_pages.ROLES)
def test_screenshots_of_key_pages(role, browser, live_server, transactional_db):
    seeded = site_pages.seed_site()
    inventory = site_pages.crawl(role, seeded["users"], key_pages=seeded["key_pages"].get(role, []))
    by_name = {}
    for entry in inventory.pages:
        if entry.form is None:
            by_name.setdefault(entry.name, entry)
    wanted = [by_name[name] for name in KEY_PAGES[role] if name in by_name]
    assert wanted, site_pages.describe({role: inventory})

    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browsing.new_context(browser, live_server, inventory)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    saved = []
    try:
        for entry in wanted:
            browsing.visit(tab, entry, wait_until="networkidle")
            stem = f"{role}-{entry.name}".replace("_", "-")
            tab.screenshot(path=str(SHOTS / f"{stem}.png"), full_page=True)
            tab.set_viewport_size(browsing.PHONE)
            browsing.settle(tab, 300)
            tab.screenshot(path=str(SHOTS / f"{stem}-phone.png"), full_page=True)
            tab.set_viewport_size(browsing.DESKTOP)
            saved.append(stem)
    finally:
        context.close()
    print(f"\n{role}: {len(saved)} pages shot into {SHOTS}: {', '.join(saved)}")
