from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from tests.e2e.conftest import screenshot, sign_in


def test_trainee_signs_in_and_sees_the_start_page(page, transactional_db):
    seed_accounts()
    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)

    heading = page.locator("h1")
    assert heading.inner_text() == "Xin chào, Nguyễn Thị Học"
    assert "Học viên" in page.locator(".roles").inner_text()
    assert page.locator("html").get_attribute("lang") == "vi"
    screenshot(page, "start")
    screenshot(page, "start", phone=True)
    # nothing overflows sideways at phone width
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_wrong_password_is_refused_in_vietnamese(page, transactional_db):
    seed_accounts()
    sign_in(page, "trainee@demo.local", "wrong-password")
    assert page.url.endswith("/accounts/login/")
    assert "không chính xác" in page.content() or "không đúng" in page.content()


def test_language_switch_to_english(page, transactional_db):
    seed_accounts()
    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)
    page.click("button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Hello, Nguyễn Thị Học"
