"""A French-language browser (embassy staff in Paris) sees Vietnamese until they choose otherwise."""

import pytest

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from backend.accounts.models import User
from tests.e2e.conftest import sign_in

FRENCH = "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"


@pytest.fixture
def french_page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR",
                                  viewport={"width": 1280, "height": 800})
    # locale= alone makes Chromium send just "fr-FR" (and extra headers do not override it); a
    # French Chrome lists English as a fallback, which is what made Django answer in English.
    context.route("**/*", lambda route: route.continue_(
        headers={**route.request.headers, "accept-language": FRENCH}))
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    tab.goto("about:blank")
    context.close()


def test_french_browser_gets_vietnamese_then_english_after_switching(french_page):
    page = french_page
    seed_accounts()
    response = page.goto("/accounts/login/")
    assert response.request.all_headers()["accept-language"] == FRENCH
    assert page.evaluate("navigator.language") == "fr-FR"
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Đăng nhập" in page.locator("main").inner_text()

    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == "Xin chào, Nguyễn Thị Học"

    page.click("button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Hello, Nguyễn Thị Học"
    assert User.objects.get(email="trainee@demo.local").language == "en"  # saved to the profile
    page.goto("/profile/")
    assert page.locator("html").get_attribute("lang") == "en"
