"""ContentSecurityPolicyMiddleware: a fresh nonce on every response, scoped policies, and a
response's own policy left alone."""

from django.http import HttpResponse
from django.test import RequestFactory

from backend.security.middleware import ContentSecurityPolicyMiddleware


def respond(path: str, response: HttpResponse | None = None) -> HttpResponse:
    middleware = ContentSecurityPolicyMiddleware(lambda request: response or HttpResponse("ok"))
    return middleware(RequestFactory().get(path))


def nonce_of(header: str) -> str:
    return header.split("'nonce-", 1)[1].split("'", 1)[0]


def test_every_response_gets_a_nonce_even_when_the_page_asked_for_none():
    first, second = respond("/")["Content-Security-Policy"], respond("/")["Content-Security-Policy"]
    assert "script-src 'nonce-" in first
    assert len(nonce_of(first)) >= 22 and nonce_of(first) != nonce_of(second)


def test_a_response_with_its_own_policy_keeps_it():
    own = HttpResponse("h5p file")
    own["Content-Security-Policy"] = "default-src 'none'; sandbox"
    assert respond("/h5p-content/content/k/x.js", own)["Content-Security-Policy"] == (
        "default-src 'none'; sandbox")


def test_a_scope_replaces_only_its_directives(settings):
    settings.CONTENT_SECURITY_POLICY_SCOPES = [(r"^/admin/", {"script-src": ["'self'"]})]
    admin = respond("/admin/login/")["Content-Security-Policy"]
    assert "script-src 'self';" in admin + ";" and "object-src 'none'" in admin
    assert "script-src 'nonce-" in respond("/administration/")["Content-Security-Policy"]
