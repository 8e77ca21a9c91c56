"""Chromium: the public verification page (valid, then revoked) and the bulk issue progress bar."""

import pytest
from django.core.cache import cache

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from certificates.models import Certificate
from certificates.services import certificate_revoke
from tests.certificates.factories import certificate_course, complete, make_template
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import UserFactory


def vietnamese(msgid: str) -> str:
    """The catalogue's Vietnamese ("Còn hiệu lực", "Đã thu hồi" once locale/pending is merged)."""
    from django.utils import translation

    with translation.override("vi"):
        return translation.gettext(msgid)


@pytest.fixture
def demo(transactional_db, settings):
    settings.MFA_REQUIRED_ROLES = []
    cache.clear()
    users = seed_accounts()
    unit = users["admin@demo.local"].organisation
    make_template(unit)
    return users, certificate_course(unit, title="Kỹ năng phát ngôn đối ngoại")


def test_verification_page_shows_valid_then_revoked(page, demo):
    users, course = demo
    trainee = users["trainee@demo.local"]
    complete(course, trainee)  # issued by the automatic path (no test transaction here)
    certificate = Certificate.objects.get(user=trainee)

    page.goto(f"/verify/{certificate.code}/")
    verdict = page.locator(".verdict")
    assert "verdict-valid" in verdict.get_attribute("class")
    assert page.locator("[data-status=valid]").inner_text() == vietnamese("Valid")
    colour = verdict.evaluate("el => getComputedStyle(el).borderLeftColor")
    assert colour == "rgb(20, 99, 47)"  # --success (docs/design.md)
    assert "Nguyễn Thị Học" in page.content() and "trainee@demo.local" not in page.content()
    screenshot(page, "verify-valid")

    certificate_revoke(actor=users["admin@demo.local"], certificate_id=certificate.pk,
                       reason="Cấp nhầm khóa học")
    page.goto(f"/verify/{certificate.code.replace('-', '').lower()}/")
    assert "verdict-revoked" in page.locator(".verdict").get_attribute("class")
    assert page.locator("[data-status=revoked]").inner_text() == vietnamese("Revoked")
    assert "Cấp nhầm khóa học" in page.content()
    screenshot(page, "verify-revoked", phone=True)

    page.goto("/verify/AAAA-BBBB-CCCC-DDDD/")
    assert page.locator(".verdict-unknown").is_visible()


def test_bulk_issue_progress_bar_reaches_full(page, demo, settings):
    settings.CERTIFICATES_BULK_CHUNK = 3
    users, course = demo
    for _ in range(7):
        complete(course, UserFactory(organisation=course.organisation))
    complete(course, users["trainee@demo.local"])
    Certificate.objects.exclude(user=users["trainee@demo.local"]).delete()  # as if never issued

    sign_in(page, "admin@demo.local", DEMO_PASSWORD)
    page.goto(f"/courses/{course.pk}/certificates/")
    page.click("#bulk-issue")
    page.wait_for_function("() => document.getElementById('bulk-bar').value === 100")
    assert page.locator("#bulk-bar").get_attribute("data-status") == "done"
    # Said apart: 7 new, 1 held before ("7 giấy chứng nhận mới; 1 đã cấp trước đó; ...").
    summary = page.locator("#bulk-text").inner_text()
    assert summary.startswith("7 ") and "; 1 " in summary, summary
    screenshot(page, "bulk-issue-done")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("table.certificate-table tbody tr:nth-child(8)")
    assert Certificate.objects.filter(course=course).count() == 8
