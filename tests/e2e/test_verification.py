"""Chromium: the bulk issue progress bar and its counts said apart. (The public verification page,
valid then revoked, is the verifier's journey in test_journeys.py.)"""

import pytest
from django.core.cache import cache

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from certificates.models import Certificate
from tests.certificates.factories import certificate_course, complete, make_template
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import UserFactory


@pytest.fixture
def demo(transactional_db, settings):
    settings.MFA_REQUIRED_ROLES = []
    cache.clear()
    users = seed_accounts()
    unit = users["admin@demo.local"].organisation
    make_template(unit)
    return users, certificate_course(unit, title="Kỹ năng phát ngôn đối ngoại")


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
