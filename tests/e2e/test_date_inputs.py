"""Dates in a French-language browser: the site's date fields say dd/mm/yyyy (not the browser's
mm/dd/yyyy or jj/mm/aaaa), and what a person types that way is saved as typed (decision 0064)."""

import datetime as dt
import time

from django.utils import timezone

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from courses.models import Course
from tests.e2e.conftest import sign_in


def _french_tab(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR",
                                  viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return context, tab


def test_a_french_browser_types_dd_mm_yyyy_and_the_date_is_saved(browser, live_server, transactional_db,
                                                                   settings):
    settings.MFA_REQUIRED_ROLES = []  # as in demo mode
    seed_accounts()
    context, tab = _french_tab(browser, live_server)
    try:
        sign_in(tab, "trainer@demo.local", DEMO_PASSWORD)
        tab.goto("/teach/courses/new/")
        due = tab.locator("#id_due_at")
        assert due.get_attribute("type") == "text"
        assert due.get_attribute("placeholder") == "HH:MM dd/mm/yyyy"
        tab.fill("#id_title", "Khóa học có hạn")
        year = timezone.localdate().year + 1  # a due date in the future, whenever this runs
        due.fill(f"17:00 25/12/{year}")
        tab.click("form.au-form button[type=submit]")
        tab.wait_for_load_state("networkidle")
        course = Course.objects.get(title="Khóa học có hạn")
        local = timezone.localtime(course.due_at)
        assert (local.date(), local.time()) == (dt.date(year, 12, 25), dt.time(17, 0))
        tab.goto(f"/teach/courses/{course.pk}/settings/")
        assert tab.locator("#id_due_at").input_value() == f"17:00 25/12/{year}"

        tab.context.clear_cookies()
        sign_in(tab, "admin@demo.local", DEMO_PASSWORD)
        tab.goto("/manage/audit/")
        since = tab.locator("main [name=date_from]")
        assert since.get_attribute("type") == "text"
        assert since.get_attribute("placeholder") == "dd/mm/yyyy"
        assert since.get_attribute("inputmode") == "numeric"
        since.fill("01/12/2026")
        tab.click("main form.filters button[type=submit]")
        tab.wait_for_load_state("networkidle")
        assert "date_from=01%2F12%2F2026" in tab.url
        assert tab.locator("main [name=date_from]").input_value() == "01/12/2026"
        assert not tab.locator("main .errorlist").count()
    finally:
        tab.goto("about:blank")
        context.close()
        time.sleep(0.3)
