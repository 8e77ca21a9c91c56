"""Sign-in, password reset, invitations and rate limits through allauth, as users meet them."""

import re

import pytest
from django.core.cache import cache

from backend.accounts.demo import ACCOUNTS, DEMO_PASSWORD, seed_accounts
from backend.accounts.models import User
from backend.accounts.tasks import send_invitations
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_every_demo_account_signs_in_through_the_headless_api(api, db):
    seed_accounts()
    seed_accounts()  # idempotent
    for email, full_name, _unit, role in ACCOUNTS:
        response = api.post("/_allauth/app/v1/auth/login",
                            {"email": email, "password": DEMO_PASSWORD}, format="json")
        assert response.status_code == 200, (email, response.content)
        token = response.json()["meta"]["session_token"]
        me = api.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).json()
        assert (me["email"], me["full_name"], me["roles"]) == (email, full_name, [role])


def test_every_demo_account_signs_in_through_the_page(client, db, settings):
    settings.MFA_REQUIRED_ROLES = []  # as in demo mode
    seed_accounts()
    for email, *_rest in ACCOUNTS:
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get("/").context["user"].email == email
        client.post("/accounts/logout/")


def test_repeated_failed_logins_are_rate_limited(api, db):
    user = UserFactory()

    def login(password):
        return api.post("/_allauth/app/v1/auth/login", {"email": user.email, "password": password},
                        format="json")

    first = [login("wrong").json() for _ in range(5)]
    assert all(r["status"] == 400 for r in first)
    blocked = login("Passw0rd!x")  # even the right password waits now
    assert blocked.status_code == 400
    assert [e["code"] for e in blocked.json()["errors"]] == ["too_many_login_attempts"]


def test_invited_user_sets_a_password_from_the_link_and_signs_in(client, db, mailoutbox):
    user = UserFactory(password=None, email="moi@mofa.gov.vn")
    send_invitations([user.pk])
    link = re.search(r"http\S+/accounts/password/reset/key/\S+", mailoutbox[0].body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else link
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
                           {"password1": "Mật-khẩu-mới-2026", "password2": "Mật-khẩu-mới-2026"})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).check_password("Mật-khẩu-mới-2026")
    assert client.post("/accounts/login/", {"login": "moi@mofa.gov.vn",
                                            "password": "Mật-khẩu-mới-2026"}).status_code == 302


def test_password_reset_request_sends_a_vietnamese_mail(client, db, mailoutbox):
    UserFactory(email="quen@mofa.gov.vn")
    response = client.post("/accounts/password/reset/", {"email": "quen@mofa.gov.vn"},
                           HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 302
    assert mailoutbox[0].to == ["quen@mofa.gov.vn"]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/reset/", "/"])
def test_sign_in_pages_are_our_translated_pages(client, db, path):
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="vi">' in page
    assert "Bồi dưỡng công tác thông tin đối ngoại" in page  # our layout's footer
    assert "Đăng nhập" in page
