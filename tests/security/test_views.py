"""/.well-known/security.txt tells a finder where to report, as RFC 9116 lays it out."""

from datetime import UTC, datetime, timedelta

from django.test import Client


def fields(response) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in response.content.decode().splitlines())


def test_security_txt_names_the_contact_and_a_near_expiry(settings, db):
    settings.SECURITY_CONTACT = "mailto:security@elearning.example.vn"
    response = Client().get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    found = fields(response)
    assert found["Contact"] == "mailto:security@elearning.example.vn"
    expires = datetime.fromisoformat(found["Expires"].replace("Z", "+00:00"))
    assert timedelta(days=30) < expires - datetime.now(UTC) < timedelta(days=365)
    assert found["Canonical"].endswith("/.well-known/security.txt")


def test_the_default_contact_is_security_at_the_sites_domain(settings):
    # settings.py derives it from SITE_URL (http://127.0.0.1:8000 in tests)
    assert settings.SECURITY_CONTACT == "mailto:security@127.0.0.1"
