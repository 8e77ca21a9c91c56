"""In Chromium: the holder downloads her signed Open Badges credential from "My certificates"
(the button reads Vietnamese, fits a 360 px phone, and the file is the signed JSON)."""

from __future__ import annotations

import json
from pathlib import Path

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from certificates.services import certificate_issue
from tests.certificates.factories import certificate_course, complete, make_template
from tests.e2e.catalogue import vietnamese
from tests.e2e.conftest import screenshot, sign_in


def test_holder_downloads_the_signed_credential(page):
    seed_accounts()
    from django.contrib.auth import get_user_model

    trainee = get_user_model().objects.get(email="trainee@demo.local")
    make_template(trainee.organisation)
    course = certificate_course(trainee.organisation, title="Kỹ năng phát ngôn và cung cấp thông tin")
    complete(course, trainee)
    certificate = certificate_issue(user_id=trainee.pk, course_id=course.pk)[0]
    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)
    page.goto("/certificates/")
    button = page.get_by_role("link", name=vietnamese("Download the digital credential (Open Badges)"))
    assert button.is_visible()
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename.endswith(".json")
    credential = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["credentialSubject"]["licenseNumber"] == certificate.serial
    page.set_viewport_size({"width": 360, "height": 740})
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360  # no sideways scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "certificates-credential-download", phone=True)
