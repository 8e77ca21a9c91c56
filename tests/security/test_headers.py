"""Every kind of page the site serves carries the Content-Security-Policy, with a nonce of its own
that its scripts (and <style> blocks) carry too, plus Permissions-Policy and COOP: our templates,
allauth's pages (we override their layout and their scripts), Django admin (a scoped policy),
Swagger UI at /api/docs/, the error pages; the API and static files get the headers too."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import include, path

from backend.accounts.models import Role
from tests.factories import user_with_role


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("test-headers/boom/", _boom), path("", include("backend.urls"))]
handler403 = "frontend.views.errors.permission_denied"
handler404 = "frontend.views.errors.not_found"
handler500 = "frontend.views.errors.server_error"

_NONCE_ATTR = re.compile(r"<(script|style)\b[^>]*?\bnonce=\"([^\"]+)\"")
_TAG = re.compile(r"<(script|style)\b([^>]*)>")


@pytest.fixture(autouse=True)
def _production_errors(settings):
    settings.DEBUG = False  # django-csp leaves DEBUG's own 404/500 pages alone
    settings.ROOT_URLCONF = __name__


def policy(response) -> dict[str, list[str]]:
    return {name: values for name, *values in
            (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())}


def nonce(response) -> str:
    [value] = [v for v in policy(response)["script-src"] if v.startswith("'nonce-")]
    return value[len("'nonce-"):-1]


def signed_in(db) -> Client:
    client = Client()
    client.force_login(user_with_role(Role.TRAINEE))
    return client


def assert_strict(response) -> None:
    """The main policy: scripts by this response's nonce only, no inline styles, no framing."""
    p = policy(response)
    assert p["script-src"] == [f"'nonce-{nonce(response)}'"]
    assert "'unsafe-inline'" not in p["style-src"] and "'unsafe-eval'" not in str(p)
    assert p["object-src"] == ["'none'"] and p["base-uri"] == ["'none'"]
    assert p["frame-ancestors"] == ["'none'"] and p["frame-src"] == ["'self'"]
    assert p["form-action"] == ["'self'"]


def assert_page_scripts_carry_the_nonce(response) -> None:
    html = response.content.decode()
    tags = [(kind, attrs) for kind, attrs in _TAG.findall(html)
            if 'type="application/json"' not in attrs]
    carried = [value for _, value in _NONCE_ATTR.findall(html)]
    assert len(carried) == len(tags), [t for t in tags if "nonce=" not in t[1]]
    assert set(carried) <= {nonce(response)}


PAGES = {
    "our page (anonymous)": (None, "/"),
    "our page (signed in)": ("trainee", "/my/courses/"),
    "allauth login (our layout)": (None, "/accounts/login/"),
    "allauth e-mail page (its scripts)": ("trainee", "/accounts/email/"),
    "Swagger UI": (None, "/api/docs/"),
    "not found page": (None, "/khong-co-trang-nay/"),
}


@pytest.mark.parametrize("kind", PAGES)
def test_each_kind_of_page_has_a_strict_policy_with_its_own_nonce(kind, db):
    who, url = PAGES[kind]
    client = signed_in(db) if who else Client()
    first, second = client.get(url), client.get(url)
    assert first.status_code in (200, 404) and "text/html" in first["Content-Type"]
    assert_strict(first)
    assert nonce(first) != nonce(second)
    assert_page_scripts_carry_the_nonce(first)


def test_pages_with_scripts_hand_their_nonce_to_each_script(db):
    response = signed_in(db).get("/accounts/email/")
    assert response.content.decode().count(f'nonce="{nonce(response)}"') >= 2
    docs = Client().get("/api/docs/")
    assert docs.content.decode().count(f'nonce="{nonce(docs)}"') >= 4  # style, 2 bundles, init


def test_error_pages_have_the_policy(db):
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    crashed = client.get("/test-headers/boom/")
    refused = client.post("/accounts/login/", {"login": "x@example.vn", "password": "x"})
    assert (crashed.status_code, refused.status_code) == (500, 403)
    for response in (crashed, refused):
        assert_strict(response)


def test_django_admin_gets_its_scoped_policy(db):
    response = Client().get("/admin/login/")
    assert response.status_code == 200
    p = policy(response)
    # admin/js/*.js load without a nonce: 'self' for scripts here, the rest as strict as elsewhere
    assert p["script-src"][0] == "'self'" and "'unsafe-inline'" not in p["script-src"]
    assert "'unsafe-inline'" not in p["style-src"] and p["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("url", ["/", "/api/v1/me/", "/static/frontend/site.css", "/nowhere/"])
def test_every_response_has_permissions_policy_and_coop(url, db):
    response = Client().get(url)
    features = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    for off in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
        assert features[off] == "()", off
    assert features["fullscreen"] == "(self)"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response
