"""A trainee plays an H5P activity in real Chromium: the score reaches their progress through
xAPI, and a reload resumes where they were. The package is built by the project's own builder
and uploaded through the API as the trainer; the page does nothing special for it."""

from __future__ import annotations

import io
import json
import zipfile

from playwright.sync_api import expect

from backend.accounts.models import Role
from courses.h5p import services
from courses.h5p.fixture_library import build_question_package
from courses.h5p.models import H5PAttempt, H5PState
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import user_with_role
from tests.h5p.builders import to_zip
from tests.h5p.factories import build_h5p_course

PASSWORD = "Passw0rd!x"  # tests.factories.UserFactory


def test_trainee_answers_sees_the_score_and_resumes(page, transactional_db, tree):
    h5p = build_h5p_course(tree["ministry"], trainee=user_with_role(Role.TRAINEE, tree["mission"]),
                           second_required=True)
    package = build_question_package("Hà Nội là thủ đô của Việt Nam?", title="Thủ đô",
                                     l10n={"yes": "Đúng", "no": "Sai", "right": "Chính xác!",
                                           "wrong": "Chưa đúng."})

    # The trainer uploads through the API (session + CSRF as the upload form does).
    sign_in(page, h5p.trainer.email, PASSWORD)
    page.goto(f"/learn/lessons/{h5p.lesson.pk}/h5p/")
    page.set_input_files("#h5p-file", files=[{"name": "thu-do.h5p", "mimeType": "application/zip",
                                             "buffer": package}])
    page.click("#h5p-upload-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#h5p-container")).to_have_attribute("data-ready", "1")
    expect(page.locator(".h5p-notice")).to_be_visible()  # staff preview: nothing recorded
    page.context.clear_cookies()

    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, h5p.trainee.email, PASSWORD)
    page.goto(f"/learn/lessons/{h5p.lesson.pk}/h5p/")
    expect(page.locator("#h5p-container")).to_have_attribute("data-ready", "1")
    assert page.locator("#h5p-container iframe").count() == 1  # the builder's packages allow iframe
    frame = page.frame_locator("#h5p-container iframe")
    expect(frame.locator(".ttdn-text")).to_have_text("Hà Nội là thủ đô của Việt Nam?")
    frame.locator("button.ttdn-answer-yes").click()
    expect(frame.locator(".ttdn-feedback")).to_have_text("Chính xác!")
    expect(page.locator("#h5p-status")).to_contain_text("100%")
    screenshot(page, "h5p-player")

    progress = page.request.get(f"/api/v1/courses/{h5p.course.pk}/progress/").json()
    lesson = next(item for item in progress["lessons"] if item["id"] == h5p.lesson.pk)
    assert lesson["status"] == "completed" and lesson["score"] == 1.0 and lesson["attempts"] == 1
    assert H5PAttempt.objects.filter(user=h5p.trainee).count() == 1

    # The state is saved shortly after the answer; a reload shows the answer again, unreported.
    for _ in range(50):
        if H5PState.objects.filter(user=h5p.trainee, lesson_id=h5p.lesson.pk).exists():
            break
        page.wait_for_timeout(200)
    page.reload()
    expect(page.locator("#h5p-container")).to_have_attribute("data-ready", "1")
    frame = page.frame_locator("#h5p-container iframe")
    expect(frame.locator("button.ttdn-answer-yes")).to_have_attribute("aria-pressed", "true")
    expect(frame.locator("button.ttdn-answer-yes")).to_be_disabled()
    expect(page.locator("#h5p-status")).to_contain_text("100%")
    assert H5PAttempt.objects.filter(user=h5p.trainee).count() == 1
    screenshot(page, "h5p-player", phone=True)
    assert errors == []


def test_div_embedded_content_reports_too(page, transactional_db, tree):
    """Packages that only allow the div embed run in the page itself; xAPI still arrives."""
    h5p = build_h5p_course(tree["ministry"])
    files = dict(zipped(build_question_package("Huế là cố đô?")))
    meta = json.loads(files["h5p.json"])
    meta["embedTypes"] = ["div"]
    files["h5p.json"] = json.dumps(meta).encode()
    services.h5p_upload(actor=h5p.trainer, lesson_id=h5p.lesson.pk, upload=io.BytesIO(to_zip(files)))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, h5p.trainee.email, PASSWORD)
    page.goto(f"/learn/lessons/{h5p.lesson.pk}/h5p/")
    expect(page.locator("#h5p-container")).to_have_attribute("data-ready", "1")
    assert page.locator("#h5p-container iframe").count() == 0
    page.locator("#h5p-container button.ttdn-answer-no").click()
    expect(page.locator("#h5p-status")).to_contain_text("0%")
    assert H5PAttempt.objects.get(user=h5p.trainee).score == 0.0
    assert errors == []


def zipped(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            yield name, archive.read(name)
