"""Chromium: a verifier drops a file on /verify/file/ (from the verification page's link) and
reads the answer; an administrator reinstates a revoked certificate through the dialog.

The files here are not certificates (a note, a JSON object that is no credential), so the
answers hold on every branch: "not a PDF or JSON" at the field, "not ours" (or "not signed by
us" once the credential checker is merged) as a verdict. Real certificate files are checked in
tests/certificates/test_file_checks_real.py."""

import json

import pytest
from django.core.cache import cache

from backend.accounts.demo import DEMO_PASSWORD
from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke
from certificates.verdicts import Outcome
from tests.e2e import site_pages
from tests.e2e.catalogue import vietnamese
from tests.e2e.conftest import screenshot, sign_in

NOT_PDF_OR_JSON = ("This file is neither a PDF nor a JSON file. Choose the certificate's PDF or "
                   "its Open Badges credential (a .json file).")

DROP = """([name, text, type]) => {
  const data = new DataTransfer();
  data.items.add(new File([text], name, {type}));
  const zone = document.getElementById("dropzone");
  for (const kind of ["dragenter", "dragover", "drop"]) {
    zone.dispatchEvent(new DragEvent(kind, {dataTransfer: data, bubbles: true, cancelable: true}));
  }
}"""


@pytest.fixture
def quiet(transactional_db):
    cache.clear()
    yield
    cache.clear()


def test_a_verifier_drops_files_that_are_not_certificates(page, quiet):
    page.goto("/verify/")
    page.click("#verify-file-link")
    page.wait_for_url("**/verify/file/")
    assert page.locator("#drop-hint").is_visible()  # the script runs: the drop area is offered

    # Dropped on the area (not on the input): the script hands it to the form.
    page.evaluate(DROP, ["ghi-chu.txt", "Biên bản họp chi bộ", "text/plain"])
    assert page.locator("#file-name").inner_text() == "ghi-chu.txt"
    page.click("#verify-file-submit")
    page.wait_for_load_state("networkidle")
    error = page.locator("#file-error")
    assert error.inner_text().strip() == vietnamese(NOT_PDF_OR_JSON)
    assert page.locator("#file").get_attribute("aria-invalid") == "true"

    # Chosen with the file input, as without JavaScript: a JSON object that is no credential.
    page.set_input_files("#file", files=[{"name": "du-lieu.json", "mimeType": "application/json",
                                          "buffer": json.dumps({"ho_ten": "Nguyễn Văn A"}).encode()}])
    page.click("#verify-file-submit")
    page.wait_for_selector("#file-verdict")
    outcome = page.locator("[data-outcome]").get_attribute("data-outcome")
    assert outcome in (Outcome.UNKNOWN, Outcome.TAMPERED)
    assert page.locator("[data-outcome]").inner_text() == vietnamese(str(Outcome(outcome).label))
    assert page.locator("#file-verdict svg.icon").count() == 1  # an icon with the words
    assert "verdict-" + outcome in page.locator("#file-verdict").get_attribute("class")
    assert page.locator("dl.facts").is_visible()
    assert page.locator("#file-verdict a[href^='/verify/']").count() == 0  # no code: no link
    screenshot(page, "verify-file-not-ours")
    screenshot(page, "verify-file-not-ours", phone=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_administrator_reinstates_a_revoked_certificate_in_a_dialog(page, quiet):
    seeded = site_pages.seed_site()
    trainee = seeded["users"]["trainee@demo.local"]
    admin = seeded["users"]["admin@demo.local"]
    certificate, _new = certificate_issue(user_id=trainee.pk, course_id=seeded["course"].pk,
                                          manual=True)
    certificate_revoke(actor=admin, certificate_id=certificate.pk, reason="Sai họ tên")
    sign_in(page, "admin@demo.local", DEMO_PASSWORD)
    page.goto(f"/courses/{seeded['course'].pk}/certificates/")
    page.fill(f"#reinstate-reason-{certificate.pk}", "Thu hồi nhầm người")
    page.locator("form.reinstate button").click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    assert certificate.serial in dialog.inner_text()
    dialog.locator("button[value=ok]").click()
    page.wait_for_load_state("networkidle")
    row = Certificate.objects.get(pk=certificate.pk)
    assert row.revoked_at is None and row.reinstated_reason == "Thu hồi nhầm người"
    assert page.locator("[data-history=reinstated]").count() == 1
    screenshot(page, "certificate-reinstated")

    page.goto(f"/verify/{certificate.code}/")
    assert page.locator("[data-status=valid]").inner_text() == vietnamese("Valid")
    assert "Thu hồi nhầm người" in page.locator("[data-reinstated] + p").inner_text()
