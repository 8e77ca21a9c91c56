"""A trainee plays an H5P activity in real Chromium: the score reaches their progress through
xAPI, and a reload resumes where they were. The package is built by the project's own builder
and uploaded through the API as the trainer; the page does nothing special for it.

And the package's code cannot act as the viewer: it runs in the sandboxed frame (opaque origin),
in the same-origin default and with H5P_CONTENT_URL on a second origin (127.0.0.1 beside the
live server's localhost: one server, two origins)."""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from backend.accounts.models import Role, User
from courses.h5p import services
from courses.h5p.fixture_library import FOLDER, build_question_package
from courses.h5p.models import H5PAttempt, H5PState, H5PStatement
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import user_with_role
from tests.h5p.builders import good_files, to_zip
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
    expect(page.locator(".activity-notice")).to_be_visible()  # staff preview: nothing recorded
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
    # Nothing the frame said before this page listened is lost ("attempted" comes at start).
    assert {"attempted", "answered"} <= set(H5PStatement.objects.filter(user=h5p.trainee).values_list(
        "verb", flat=True))

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


def test_div_only_content_plays_in_the_sandbox_too(page, transactional_db, tree):
    """Packages that only allow the div embed run in the sandboxed frame's own document."""
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
    page.frame_locator("#h5p-container iframe").locator("button.ttdn-answer-no").click()
    expect(page.locator("#h5p-status")).to_contain_text("0%")
    assert H5PAttempt.objects.get(user=h5p.trainee).score == 0.0
    assert errors == []


# Appended to the content type's own script: what a hostile trainer's library would try.
PROBE_JS = b"""
(function () {
  var report = [];
  try { report.push('cookie=' + (document.cookie ? 'READ' : 'empty')); }
  catch (e) { report.push('cookie=blocked'); }
  try { report.push('parent=' + (parent.document.title ? 'READ' : 'empty')); }
  catch (e) { report.push('parent=blocked'); }
  var csrf = '';
  try { csrf = (document.cookie.match(/csrftoken=([^;]+)/) || ['', ''])[1]; }
  catch (e) { /* an opaque origin has no cookie */ }
  var targets = ['/api/v1/me/'];
  if (location.ancestorOrigins && location.ancestorOrigins.length) {
    targets.push(location.ancestorOrigins[0] + '/api/v1/me/');
  }
  var left = targets.length;
  targets.forEach(function (url, i) {
    fetch(url, { method: 'PATCH', credentials: 'include', body: JSON.stringify({ full_name: 'Pwned by H5P' }),
                 headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf } })
      .then(function (r) { report.push('patch' + i + '=' + r.status); },
            function () { report.push('patch' + i + '=blocked'); })
      .then(function () {
        if (--left === 0) {
          document.title = 'ttdn-probe ' + report.sort().join(' ');
          window.parent.postMessage({ probe: report }, '*');
        }
      });
  });
})();
"""


def probing_package() -> bytes:
    files = good_files("Hà Nội là thủ đô của Việt Nam?")
    files[f"{FOLDER}/question.js"] += PROBE_JS
    return to_zip(files)


@pytest.fixture(params=["same-origin", "two-origins"])
def content_origin(request, live_server, settings):
    """The default (H5P_CONTENT_URL a path on the site), or a second origin for the same server."""
    if request.param == "two-origins":
        port = urlsplit(live_server.url).port
        settings.H5P_CONTENT_URL = f"http://127.0.0.1:{port}/h5p-content/"
    return request.param


def test_package_code_cannot_act_as_the_viewer_yet_the_lesson_plays(page, transactional_db, tree,
                                                                      content_origin):
    h5p = build_h5p_course(tree["ministry"])
    services.h5p_upload(actor=h5p.trainer, lesson_id=h5p.lesson.pk, upload=io.BytesIO(probing_package()))
    administrator = user_with_role(Role.ADMINISTRATOR, None, full_name="Quản Trị Viên")

    # An administrator opens the lesson (staff preview): the package's script runs...
    sign_in(page, administrator.email, PASSWORD)
    probes: list = []
    page.expose_function("ttdnProbe", lambda data: probes.append(data))
    page.add_init_script("window.addEventListener('message', e => e.data && e.data.probe"
                         " && window.ttdnProbe(e.data.probe));")
    page.goto(f"/learn/lessons/{h5p.lesson.pk}/h5p/")
    expect(page.locator("#h5p-container")).to_have_attribute("data-ready", "1")
    frame = page.frame_locator("#h5p-container iframe")
    expect(frame.locator(".ttdn-text")).to_have_text("Hà Nội là thủ đô của Việt Nam?")
    player = next(f for f in page.frames if "/h5p-content/" in f.url)
    for _ in range(50):
        if player.title().startswith("ttdn-probe"):
            break
        page.wait_for_timeout(100)
    title = player.title()
    assert title.startswith("ttdn-probe"), title  # ...it ran...
    site = urlsplit(page.url)
    assert urlsplit(player.url).netloc == (
        site.netloc if content_origin == "same-origin" else f"127.0.0.1:{site.port}")
    # ...and could read no cookie, not the page, and PATCH nothing as the administrator.
    assert title.split(" ", 1)[1] == "cookie=blocked parent=blocked patch0=blocked patch1=blocked", title
    assert probes and sorted(probes[0]) == sorted(title.split(" ")[1:])
    administrator.refresh_from_db()
    assert administrator.full_name == "Quản Trị Viên"
    assert page.request.get("/api/v1/me/").json()["full_name"] == "Quản Trị Viên"
    page.context.clear_cookies()

    # The lesson still plays for a learner, and the score reaches the server through the page.
    sign_in(page, h5p.trainee.email, PASSWORD)
    page.goto(f"/learn/lessons/{h5p.lesson.pk}/h5p/")
    expect(page.locator("#h5p-container")).to_have_attribute("data-ready", "1")
    page.frame_locator("#h5p-container iframe").locator("button.ttdn-answer-yes").click()
    expect(page.locator("#h5p-status")).to_contain_text("100%")
    attempt = H5PAttempt.objects.get(user=h5p.trainee)
    assert attempt.score == 1.0
    assert User.objects.get(pk=h5p.trainee.pk).full_name == h5p.trainee.full_name


def zipped(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            yield name, archive.read(name)
