"""Errors are shown in the page, in the user's language, never as a traceback; the API answers
JSON. DEBUG is off (as in production). The failing views live in this test module's url list
(ROOT_URLCONF points here for these tests), never in the product's urls."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path

from tests.e2e.catalogue import visible_text


def _boom(request):
    raise RuntimeError("secret-internal-detail")


def _denied(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("secret-internal-detail")


def _form(request):
    from django.http import HttpResponse

    return HttpResponse("sent")


urlpatterns = [
    path("test-errors/boom/", _boom),
    path("test-errors/denied/", _denied),
    path("test-errors/suspicious/", _suspicious),
    path("test-errors/form/", _form),
    path("api/v1/test-errors/boom/", _boom),
    path("api/v1/test-errors/denied/", _denied),
    path("", include("backend.urls")),
]
handler400 = "frontend.views.errors.bad_request"
handler403 = "frontend.views.errors.permission_denied"
handler404 = "frontend.views.errors.not_found"
handler500 = "frontend.views.errors.server_error"


@pytest.fixture(autouse=True)
def _production_errors(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def get(url, language, *, method="get", **kwargs):
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.cookies["django_language"] = language
    return getattr(client, method)(url, **kwargs)


def page_text(response) -> tuple[str | None, str]:
    body = response.content.decode()
    assert "Traceback" not in body and "secret-internal-detail" not in body
    assert response["Content-Type"].startswith("text/html")
    return visible_text(body)


# (url, method, status, English heading, Vietnamese heading)
CASES = [
    ("/khong-co-trang-nay/", "get", 404, "Page not found", "Không tìm thấy trang"),
    ("/test-errors/boom/", "get", 500, "Something went wrong", "Đã xảy ra lỗi"),
    ("/test-errors/denied/", "get", 403, "Access denied", "Không có quyền truy cập"),
    ("/test-errors/suspicious/", "get", 400, "Something went wrong", "Đã xảy ra lỗi"),
    ("/test-errors/form/", "post", 403, "Access denied", "Không có quyền truy cập"),  # no CSRF token
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "method", "status", "english", "vietnamese"), CASES)
def test_error_page_in_the_users_language(url, method, status, english, vietnamese):
    response = get(url, "vi", method=method)
    assert response.status_code == status
    lang, text = page_text(response)
    assert lang == "vi" and vietnamese in text and english not in text
    assert "Bồi dưỡng" in text  # inside the site's layout, with its way back home

    response = get(url, "en", method=method)
    assert response.status_code == status
    lang, text = page_text(response)
    assert lang == "en" and english in text and vietnamese not in text


@pytest.mark.django_db
def test_error_pages_say_what_happened_in_english():
    """The paragraphs added with the 403/400/CSRF pages (their Vietnamese is in
    locale/pending/quality.json until the integrator merges it into the catalogue)."""
    assert "permission to see this page" in page_text(get("/test-errors/denied/", "en"))[1]
    assert "could not be understood" in page_text(get("/test-errors/suspicious/", "en"))[1]
    assert "page that is too old" in page_text(get("/test-errors/form/", "en", method="post"))[1]
    assert "The error has been recorded" in page_text(get("/test-errors/boom/", "en"))[1]
    assert "Lỗi đã được ghi lại" in page_text(get("/test-errors/boom/", "vi"))[1]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "status", "code"), [
    ("/api/v1/khong-co/", 404, "not_found"),
    ("/api/v1/test-errors/boom/", 500, "server_error"),
    ("/api/v1/test-errors/denied/", 403, "permission_denied"),
])
def test_api_errors_are_json(url, status, code):
    for language in ("vi", "en"):
        response = get(url, language)
        assert response.status_code == status
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["code"] == code and body["message"] and body["fields"] == {}
        assert "secret-internal-detail" not in response.content.decode()
