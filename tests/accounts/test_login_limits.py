"""Failed sign-ins are throttled per IP and per account without letting a stranger lock the owner
out: someone else's failures never block the right password from another address, the account-wide
ceiling is lifted by TOTP or by a password reset, and guessing stays bounded (docs/administration.md)."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache

from backend.accounts.models import Role
from tests.factories import UserFactory, user_with_role

PASSWORD = "Passw0rd!x"  # the factories' password
ATTACKER = "198.51.100.7"
VICTIM = "203.0.113.5"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def api_login(api, email, password, ip):
    return api.post("/_allauth/app/v1/auth/login", {"email": email, "password": password},
                    format="json", REMOTE_ADDR=ip)


def page_login(client, email, password, ip):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def error_codes(response) -> list[str]:
    return [e["code"] for e in response.json().get("errors", [])]


def attack(api, email, times, ip=ATTACKER):
    return [api_login(api, email, "wrong-guess", ip) for _ in range(times)]


@pytest.fixture
def staff_with_totp(db):
    user = user_with_role(Role.TRAINER)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


# --- (1) someone else's failures do not lock the owner out -------------------------------------

def test_trainee_signs_in_through_the_app_api_after_an_attack_from_another_ip(api, db):
    victim = UserFactory()
    attack(api, victim.email, 20)
    response = api_login(api, victim.email, PASSWORD, VICTIM)
    assert response.status_code == 200, response.content
    assert response.json()["meta"]["session_token"]


def test_trainee_signs_in_through_the_page_after_an_attack_from_another_ip(api, client, db):
    victim = UserFactory()
    for _ in range(20):
        page_login(client, victim.email, "wrong-guess", ATTACKER)
    response = page_login(client, victim.email, PASSWORD, VICTIM)
    assert response.status_code == 302, response.content
    assert client.get("/").context["user"] == victim


def test_staff_sign_in_with_password_and_totp_through_the_app_api_after_an_attack(
        api, staff_with_totp):
    user, secret = staff_with_totp
    attack(api, user.email, 20)
    first = api_login(api, user.email, PASSWORD, VICTIM)
    assert first.status_code == 401  # the password is right; TOTP is asked next
    assert [f["id"] for f in first.json()["data"]["flows"] if f.get("is_pending")] == ["mfa_authenticate"]
    token = first.json()["meta"]["session_token"]
    done = api.post("/_allauth/app/v1/auth/2fa/authenticate", {"code": totp_now(secret)},
                    format="json", HTTP_X_SESSION_TOKEN=token, REMOTE_ADDR=VICTIM)
    assert done.status_code == 200, done.content
    assert api.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=done.json()["meta"]["session_token"]
                   ).json()["email"] == user.email


def test_staff_sign_in_with_password_and_totp_through_the_page_after_an_attack(
        api, client, staff_with_totp):
    user, secret = staff_with_totp
    attack(api, user.email, 20)
    response = page_login(client, user.email, PASSWORD, VICTIM)
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)},
                           REMOTE_ADDR=VICTIM)
    assert response.status_code == 302, response.content
    assert client.get("/").context["user"] == user


# --- (2) the attacker stays throttled and guessing stays bounded -----------------------------------

def test_the_attackers_own_address_stays_throttled(api, db):
    victim, other = UserFactory(), UserFactory()
    responses = attack(api, victim.email, 20)
    assert [r.status_code for r in responses] == [400] * 20
    assert error_codes(responses[-1]) == ["too_many_login_attempts"]
    # Even the right password waits on that address (a guess that happens to be right is no signal).
    assert error_codes(api_login(api, victim.email, PASSWORD, ATTACKER)) == ["too_many_login_attempts"]
    # And the address cannot move on to other accounts faster than 10 failures a minute.
    assert error_codes(api_login(api, other.email, "wrong-guess", ATTACKER)) == ["too_many_login_attempts"]


def guess_from_many_addresses(api, email, addresses: int, per_address: int = 5):
    for n in range(addresses):
        attack(api, email, per_address, ip=f"192.0.2.{n + 1}")


def test_guessing_one_account_from_many_addresses_is_bounded(api, db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "20/h/key"}
    victim = UserFactory()
    guess_from_many_addresses(api, victim.email, addresses=4)  # 20 failures: the ceiling
    fresh = "192.0.2.200"
    assert error_codes(api_login(api, victim.email, "another-guess", fresh)) == ["too_many_login_attempts"]
    # Without a second factor, the right password gets the same answer: no way to tell a right
    # guess from a wrong one while the account is at its ceiling.
    assert error_codes(api_login(api, victim.email, PASSWORD, VICTIM)) == ["too_many_login_attempts"]


def test_at_the_ceiling_a_right_password_still_reaches_totp_and_totp_is_limited(
        api, staff_with_totp, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "20/h/key"}
    user, secret = staff_with_totp
    guess_from_many_addresses(api, user.email, addresses=4)
    assert error_codes(api_login(api, user.email, "another-guess", "192.0.2.200")) == [
        "too_many_login_attempts"]
    first = api_login(api, user.email, PASSWORD, VICTIM)
    assert first.status_code == 401  # on to TOTP, which has its own limit per user
    token = first.json()["meta"]["session_token"]
    for _ in range(5):
        api.post("/_allauth/app/v1/auth/2fa/authenticate", {"code": "000000"}, format="json",
                 HTTP_X_SESSION_TOKEN=token, REMOTE_ADDR=VICTIM)
    blocked = api.post("/_allauth/app/v1/auth/2fa/authenticate", {"code": totp_now(secret)},
                       format="json", HTTP_X_SESSION_TOKEN=token, REMOTE_ADDR=VICTIM)
    assert blocked.status_code == 400
    assert error_codes(blocked) == ["too_many_login_attempts"]


def test_a_password_reset_lifts_the_account_ceiling(api, client, db, settings, mailoutbox):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "20/h/key"}
    victim = UserFactory(email="nan-nhan@mofa.gov.vn")
    guess_from_many_addresses(api, victim.email, addresses=4)
    assert page_login(client, victim.email, PASSWORD, VICTIM).status_code == 200  # refused

    client.post("/accounts/password/reset/", {"email": victim.email}, REMOTE_ADDR=VICTIM)
    link = re.search(r"http\S+/accounts/password/reset/key/\S+", mailoutbox[-1].body).group(0)
    form = client.get(link.split("8000", 1)[-1], follow=True, REMOTE_ADDR=VICTIM)
    done = client.post(form.redirect_chain[-1][0], {"password1": "Mật-khẩu-mới-2026",
                                                    "password2": "Mật-khẩu-mới-2026"},
                       REMOTE_ADDR=VICTIM)
    assert done.status_code == 302
    response = page_login(client, victim.email, "Mật-khẩu-mới-2026", VICTIM)
    assert response.status_code == 302, response.content
