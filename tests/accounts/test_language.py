"""Vietnamese by default whatever the browser says; the switch; the saved language (decision 0050)."""

import pytest
from django.conf import settings

from backend.accounts.language import first_accept_language, resolve
from backend.accounts.models import User
from tests.factories import UserFactory

FRENCH = "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"
JAPANESE = "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7"
AMERICAN = "en-US,en;q=0.9"
COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response) -> str:
    body = response.content.decode()
    start = body.index("<html lang=\"") + len("<html lang=\"")
    return body[start : body.index('"', start)]


@pytest.mark.parametrize(("header", "expected"), [
    (AMERICAN, "en"), ("en", "en"), ("vi-VN,vi;q=0.9,en;q=0.5", "vi"),
    (FRENCH, None), (JAPANESE, None), ("", None), (None, None), ("*", None),
    ("fr;q=0.5, en;q=0.9", "en"),   # the highest q wins, wherever it stands
    ("de, en", None),                 # a tie keeps the header's order: German first
    ("en;q=0", None), ("en;q=abc", None),
])
def test_only_the_first_accept_language_counts(header, expected):
    assert first_accept_language(header) == expected


def test_resolution_order():
    assert resolve(saved="en", chosen="vi", accept_language=AMERICAN, api=False) == "en"
    assert resolve(saved=None, chosen="en", accept_language=None, api=False) == "en"
    assert resolve(saved=None, chosen=None, accept_language=AMERICAN, api=False) == "vi"
    assert resolve(saved=None, chosen=None, accept_language=AMERICAN, api=True) == "en"
    assert resolve(saved=None, chosen=None, accept_language=FRENCH, api=True) == "vi"
    assert resolve(saved=None, chosen="fr", accept_language=None, api=False) == "vi"  # unknown cookie


@pytest.mark.django_db
@pytest.mark.parametrize("header", [FRENCH, JAPANESE, AMERICAN, "en"])
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/password/reset/",
                                  "/verify/", "/khong-co-trang-nay/"])
def test_pages_are_vietnamese_whatever_the_browser_says(client, header, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=header)
    assert html_lang(response) == "vi"
    assert response["Content-Language"] == "vi"


@pytest.mark.django_db
def test_the_switch_gives_english_then_vietnamese_again(client):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"},
                           HTTP_ACCEPT_LANGUAGE=FRENCH)
    assert switched.status_code == 302 and switched["Location"] == "/accounts/login/"
    assert html_lang(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=FRENCH)) == "en"
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert html_lang(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=AMERICAN)) == "vi"


@pytest.mark.django_db
def test_the_switch_is_on_every_kind_of_page(client):
    user = UserFactory()
    pages = ["/accounts/login/", "/verify/", "/khong-co-trang-nay/"]
    for path in pages:
        assert 'action="/i18n/setlang/"' in client.get(path).content.decode(), path
    client.force_login(user)
    for path in ["/", "/profile/", "/accounts/password/change/", "/accounts/2fa/"]:
        assert 'action="/i18n/setlang/"' in client.get(path).content.decode(), path


@pytest.mark.django_db
def test_a_signed_in_persons_saved_language_wins_over_cookie_and_browser(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.cookies[COOKIE] = "vi"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="vi")) == "en"


@pytest.mark.django_db
def test_the_switch_saves_a_signed_in_persons_language(client):
    user = UserFactory(language="vi")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert User.objects.get(pk=user.pk).language == "en"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE=FRENCH)) == "en"


@pytest.mark.django_db
def test_a_choice_made_on_the_sign_in_page_is_kept_after_signing_in(client):
    user = UserFactory(language="vi")
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.post("/accounts/login/", {"login": user.email, "password": "Passw0rd!x"})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).language == "en"
    assert html_lang(client.get("/")) == "en"


@pytest.mark.django_db
def test_an_unknown_language_is_not_saved(client):
    user = UserFactory(language="vi")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert User.objects.get(pk=user.pk).language == "vi"
    assert html_lang(client.get("/")) == "vi"


@pytest.mark.django_db
def test_api_honours_only_a_first_accept_language_we_speak(api):
    def message(header):
        response = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE=header)
        assert "Accept-Language" in response["Vary"]
        return response.json()["message"]

    vietnamese = "Chưa cung cấp thông tin xác thực. Vui lòng đăng nhập."
    assert message(AMERICAN) == "Authentication credentials were not provided."
    assert message("vi") == vietnamese
    assert message(FRENCH) == vietnamese
    assert message(JAPANESE) == vietnamese


@pytest.mark.django_db
def test_api_in_a_browser_session_speaks_the_language_of_the_pages(client):
    """A page's script shows the API's messages: they follow the person, not the browser."""
    user = UserFactory(language="vi")
    client.force_login(user)
    response = client.post("/api/v1/users/", {}, content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE=AMERICAN)
    assert response.status_code == 403
    assert response.json()["message"] != "You do not have permission to perform this action."
