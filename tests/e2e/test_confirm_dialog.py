"""Destructive actions ask first, in real Chromium: revoking a certificate opens a <dialog>;
"Cancel" sends nothing, confirming revokes. (Without JavaScript the server asks on a page:
tests/certificates/test_pages.py.)"""

from backend.accounts.demo import DEMO_PASSWORD
from certificates.models import Certificate
from certificates.services import certificate_issue
from tests.e2e import site_pages
from tests.e2e.conftest import screenshot, sign_in


def test_revoking_asks_in_a_dialog(page, transactional_db):
    seeded = site_pages.seed_site()
    trainee = seeded["users"]["trainee@demo.local"]
    certificate, _new = certificate_issue(user_id=trainee.pk, course_id=seeded["course"].pk,
                                          manual=True)
    sign_in(page, "admin@demo.local", DEMO_PASSWORD)
    page.goto(f"/courses/{seeded['course'].pk}/certificates/")
    page.fill(f"#reason-{certificate.pk}", "Sai họ tên")
    page.locator("form.revoke button").click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    assert certificate.serial in dialog.inner_text()
    screenshot(page, "confirm-dialog")
    dialog.locator("button[value=cancel]").click()
    page.wait_for_selector("dialog", state="detached")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    page.locator("form.revoke button").click()
    with page.expect_navigation():  # the form is sent once the dialog says yes
        page.locator("dialog[open] button[value=ok]").click()
    page.wait_for_load_state("networkidle")
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.revoked_at is not None and certificate.revoked_reason == "Sai họ tên"
