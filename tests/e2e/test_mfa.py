"""Staff must set up TOTP before they can work; the set-up page is ours and in Vietnamese."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from tests.e2e.conftest import screenshot, sign_in


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_trainer_is_sent_to_totp_setup_and_gets_in_after_activating(page, transactional_db, settings):
    settings.MFA_REQUIRED_ROLES = ["trainer", "administrator"]
    users = seed_accounts()
    sign_in(page, "trainer@demo.local", DEMO_PASSWORD)

    # allauth asks for the password again before any change to security settings
    assert "/accounts/reauthenticate/" in page.url
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/2fa/totp/activate" in page.url
    assert page.locator("html").get_attribute("lang") == "vi"
    screenshot(page, "mfa-setup")
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", totp_now(secret))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")

    assert Authenticator.objects.filter(user=users["trainer@demo.local"],
                                        type=Authenticator.Type.TOTP).exists()
    page.goto("/")
    assert page.locator("h1").inner_text() == "Xin chào, Lê Văn Giảng"
