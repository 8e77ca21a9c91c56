"""Chromium at 360 px: the holder renews an expiring certificate from "Giấy chứng nhận của tôi",
is led to the course, completes it again, and the old serial then verifies as superseded with a
link to the new certificate."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from certificates.models import Certificate, RenewalRule
from tests.certificates.factories import certificate_course, complete, make_template
from tests.e2e.catalogue import vietnamese
from tests.e2e.conftest import screenshot, sign_in

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def expiring(transactional_db, settings):
    settings.MFA_REQUIRED_ROLES = []
    cache.clear()
    users = seed_accounts()
    unit = users["admin@demo.local"].organisation
    course = certificate_course(unit, title="Kỹ năng phát ngôn đối ngoại")
    make_template(unit, course=course, validity_months=24, renewal_rule=RenewalRule.RETAKE,
                  renewal_window_days=30)
    trainee = users["trainee@demo.local"]
    complete(course, trainee)  # issued by the automatic path (no test transaction here)
    certificate = Certificate.objects.get(user=trainee)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.localdate() + dt.timedelta(days=12))
    return trainee, course, certificate


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_holder_renews_and_the_old_serial_verifies_as_superseded(page, expiring):
    trainee, course, old = expiring
    page.set_viewport_size(PHONE)
    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)
    page.goto("/certificates/")
    card = page.locator(f"#certificate-{old.pk}")
    button = card.locator(f"button[data-renew='{old.pk}']")
    assert button.is_visible() and button.inner_text().strip() == vietnamese("Renew the certificate")
    _no_horizontal_scroll(page)
    screenshot(page, "recertification-renew", phone=True)
    button.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/courses/{course.pk}/learn/")

    complete(course, trainee)  # the learner does the course again (new round)
    new = Certificate.objects.get(renews=old)
    page.goto(f"/verify/{old.code}/")
    verdict = page.locator(".verdict")
    assert "verdict-superseded" in verdict.get_attribute("class")
    assert new.serial in verdict.inner_text()
    assert page.locator("[data-status=revoked]").count() == 0
    _no_horizontal_scroll(page)
    screenshot(page, "recertification-superseded", phone=True)
    verdict.locator("a.button").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/verify/{new.code}/")
    assert page.locator("[data-status=valid]").is_visible()
