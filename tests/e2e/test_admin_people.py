"""An administrator in Chromium manages people: deactivating an account signs that person out
of the browser session they have open; cohort members are found by typing part of a name
without accents (the page's script), then added."""

from playwright.sync_api import expect

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from backend.accounts.models import Cohort, User
from tests.e2e.conftest import sign_in


def test_deactivating_an_account_signs_out_its_open_session(page, browser, live_server):
    users = seed_accounts()
    trainee = users["trainee@demo.local"]
    theirs = browser.new_context(base_url=live_server.url, locale="vi-VN")
    their_page = theirs.new_page()
    try:
        sign_in(their_page, "trainee@demo.local", DEMO_PASSWORD)
        their_page.goto("/profile/")
        assert "/profile/" in their_page.url

        sign_in(page, "admin@demo.local", DEMO_PASSWORD)
        page.click("nav a[href='/manage/']")
        page.click(".admin-nav a[href='/manage/users/']")
        page.fill("input[name=q]", "nguyen thi hoc")
        page.click("form.filters button[type=submit]")
        page.click(f"a[href='/manage/users/{trainee.pk}/']")
        page.click(f"a[href='/manage/users/{trainee.pk}/deactivate/']")
        assert User.objects.get(pk=trainee.pk).is_active  # the confirmation page asks first
        page.fill("textarea[name=reason]", "Kết thúc nhiệm kỳ")
        page.click("#deactivate-form button[type=submit]")
        expect(page.locator(".badge-off")).to_be_visible()
        assert not User.objects.get(pk=trainee.pk).is_active

        their_page.goto("/profile/")
        assert "/accounts/login/" in their_page.url  # signed out
    finally:
        theirs.close()


def test_cohort_members_found_by_typing_a_name_without_accents(page):
    users = seed_accounts()
    cohort = Cohort.objects.get(code="demo-k1-2026")
    sign_in(page, "admin@demo.local", DEMO_PASSWORD)
    page.click("nav a[href='/manage/']")
    page.click(".admin-nav a[href='/manage/cohorts/']")
    page.click(f"a[href='/manage/cohorts/{cohort.pk}/']")
    page.locator("#find").press_sequentially("le van gi", delay=30)  # no page reload: the script
    result = page.locator("#pick-results li", has_text="Lê Văn Giảng")
    expect(result).to_be_visible()
    expect(page.locator("#pick-status")).not_to_be_empty()  # said aloud by screen readers
    assert page.url.endswith(f"/manage/cohorts/{cohort.pk}/")
    result.locator("input[type=checkbox]").check()
    page.click("#pick-submit")
    page.wait_for_load_state("networkidle")
    assert cohort.members.filter(pk=users["trainer@demo.local"].pk).exists()
