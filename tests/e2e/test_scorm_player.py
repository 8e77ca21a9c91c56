"""SCORM packages play in real Chromium: SCORM 1.2 and 2004 score into progress, a reload resumes
(suspend data and location restored), commits made while the connection is down are kept and sent,
multi-SCO packages play item by item from their table of contents, package pages that navigate or
frame other package pages still find the API, and a package's script cannot act as the viewer
(same-origin default and a second content origin). The packages are built in code
(tests/scorm/packages.py); the page does nothing special for them."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from backend.accounts.models import Role, User
from courses.scorm import services
from courses.scorm.models import ScormAttempt, ScormResult
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import user_with_role
from tests.scorm.factories import build_scorm_course
from tests.scorm.packages import (
    MULTI_TITLES,
    multi_sco_package,
    scorm12_files,
    scorm2004_package,
    to_zip,
)

PASSWORD = "Passw0rd!x"  # tests.factories.UserFactory


def sco(page):
    return page.frame_locator("#scorm-frame")


def click(page, selector: str) -> None:
    """Scrolled to first: the site scrolls smoothly, and a click aimed while it moves lands elsewhere."""
    page.locator(selector).scroll_into_view_if_needed()
    page.wait_for_timeout(600)
    page.click(selector)


def wait_for(predicate, page, tries: int = 60) -> None:
    for _ in range(tries):
        if predicate():
            return
        page.wait_for_timeout(200)
    assert predicate()


def progress_of(page, course_id: int, lesson_id: int) -> dict:
    progress = page.request.get(f"/api/v1/courses/{course_id}/progress/").json()
    return next(item for item in progress["lessons"] if item["id"] == lesson_id)


def test_scorm12_uploads_plays_resumes_after_a_reload_and_scores(page, transactional_db, tree):
    made = build_scorm_course(tree["ministry"], trainee=user_with_role(Role.TRAINEE, tree["mission"]),
                              second_required=True)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The trainer uploads the zip on the lesson page; the page then previews it (nothing recorded).
    sign_in(page, made.trainer.email, PASSWORD)
    page.goto(f"/learn/lessons/{made.lesson.pk}/scorm/")
    page.set_input_files("#scorm-file", files=[{"name": "an-toan.zip", "mimeType": "application/zip",
                                               "buffer": to_zip(scorm12_files(score=85))}])
    page.click("#scorm-upload-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#scorm-container")).to_have_attribute("data-ready", "1")
    expect(page.locator(".activity-notice")).to_be_visible()
    expect(sco(page).locator("#api")).to_have_text("found")
    page.context.clear_cookies()

    sign_in(page, made.trainee.email, PASSWORD)
    page.goto(f"/learn/lessons/{made.lesson.pk}/")
    page.click(f"a[href='/learn/lessons/{made.lesson.pk}/scorm/']")
    expect(page.locator("#scorm-container")).to_have_attribute("data-ready", "1")
    expect(sco(page).locator("#api")).to_have_text("found")
    expect(sco(page).locator("#resume")).to_have_text("location=;suspend=")
    sco(page).locator("#save").click()
    expect(sco(page).locator("#status")).to_have_text("saved")
    wait_for(lambda: ScormAttempt.objects.filter(user=made.trainee, suspend_data='{"page":2}').exists(), page)
    screenshot(page, "scorm-player")

    page.reload()
    expect(page.locator("#scorm-container")).to_have_attribute("data-ready", "1")
    expect(sco(page).locator("#resume")).to_have_text('location=page-2;suspend={"page":2}')
    sco(page).locator("#finish").click()
    expect(sco(page).locator("#status")).to_have_text("finished")
    expect(page.locator("#scorm-status")).to_contain_text("85%")

    lesson = progress_of(page, made.course.pk, made.lesson.pk)
    assert lesson["status"] == "completed" and lesson["score"] == 0.85, lesson
    # The terminating commit follows the SCO's last Commit: the attempt ends when it arrives.
    wait_for(lambda: ScormAttempt.objects.filter(user=made.trainee, finished_at__isnull=False).exists(), page)
    attempt = ScormAttempt.objects.get(user=made.trainee)
    assert attempt.success_status == "passed"
    assert attempt.cmi.get("cmi.interactions.0.id") == "q1" and attempt.total_time_seconds == 90
    screenshot(page, "scorm-player", phone=True)
    assert errors == []


def test_commits_made_offline_are_kept_and_sent_before_the_next_session(page, transactional_db, tree):
    made = build_scorm_course(tree["ministry"])
    services.package_upload(actor=made.trainer, lesson_id=made.lesson.pk,
                            file=io.BytesIO(scorm2004_package()))
    sign_in(page, made.trainee.email, PASSWORD)
    page.goto(f"/learn/lessons/{made.lesson.pk}/scorm/")
    expect(sco(page).locator("#api")).to_have_text("found")

    # The connection drops: commits fail, the page says so and keeps them.
    page.route("**/scorm/cmi/", lambda route: route.abort() if route.request.method == "PUT"
               else route.continue_())
    sco(page).locator("#save").click()
    expect(page.locator("#scorm-status")).to_have_class("scorm-status is-offline")
    assert not ScormAttempt.objects.filter(user=made.trainee, suspend_data='{"page":2}').exists()

    # Back online and reloaded: the kept commit goes first, then the session resumes from it.
    page.unroute("**/scorm/cmi/")
    page.reload()
    expect(sco(page).locator("#resume")).to_have_text('location=page-2;suspend={"page":2}')
    assert ScormAttempt.objects.get(user=made.trainee).location == "page-2"
    sco(page).locator("#finish").click()
    expect(page.locator("#scorm-status")).to_contain_text("80%")
    result = ScormResult.objects.get(user=made.trainee)
    assert result.completed and result.passed and result.score == 0.8
    wait_for(lambda: page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('ttdn-scorm:')).length") == 0, page)


def test_a_multi_sco_package_plays_item_by_item_from_its_contents(page, transactional_db, tree):
    made = build_scorm_course(tree["ministry"])
    services.package_upload(actor=made.trainer, lesson_id=made.lesson.pk,
                            file=io.BytesIO(multi_sco_package(scores=(90, 70, 50))))
    sign_in(page, made.trainee.email, PASSWORD)
    page.goto(f"/learn/lessons/{made.lesson.pk}/scorm/")
    toc = page.locator(".scorm-toc a[data-sco]")
    expect(toc).to_have_count(3)
    expect(toc.first).to_have_attribute("aria-current", "step")
    expect(sco(page).locator("h1")).to_have_text(MULTI_TITLES[0])
    sco(page).locator("#finish").click()
    expect(page.locator("#scorm-next")).to_be_visible()
    expect(page.locator("#scorm-status")).to_contain_text("%")
    expect(page.locator("[data-status-of='ITEM-1']")).not_to_be_empty()  # the layout has settled
    click(page, "#scorm-next a")
    expect(sco(page).locator("h1")).to_have_text(MULTI_TITLES[1])
    expect(toc.nth(1)).to_have_attribute("aria-current", "step")
    sco(page).locator("#finish").click()
    expect(page.locator("[data-status-of='ITEM-2']")).not_to_be_empty()
    # The two required SCOs are done: the lesson is complete without the appendix.
    wait_for(lambda: ScormResult.objects.filter(user=made.trainee, completed=True).exists(), page)
    lesson = progress_of(page, made.course.pk, made.lesson.pk)
    assert lesson["status"] == "completed", lesson
    click(page, ".scorm-toc a[data-sco='ITEM-3']")
    expect(sco(page).locator("h1")).to_have_text(MULTI_TITLES[2])
    screenshot(page, "scorm-multi-sco")


WRAPPER = {
    # A wrapper launch page framing the content page, which finds the API in its parent (the way
    # Rise 360 and similar exports are built): the frames share the content origin's pages.
    "index.html": b"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Trang mo dau</title></head>
<body><h1>Trang mo dau</h1>
<iframe id="inner" src="content/frame.html" title="noi dung"></iframe>
<script>
var api = window.API; api.LMSInitialize(""); api.LMSSetValue("cmi.core.lesson_location", "index");
api.LMSCommit("");
</script></body></html>""",
    "content/frame.html": b"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Khung</title>
<link rel="stylesheet" href="frame.css"></head><body><p id="inner-api">...</p>
<script>
function find(win) {
  for (var n = 0; win.API == null && win.parent != win && n < 10; n++) { win = win.parent; }
  return win.API;
}
var api = find(window);
localStorage.setItem("seen", "1");
var where = api ? api.LMSGetValue("cmi.core.lesson_location") : "";
document.getElementById("inner-api").textContent = api ? "inner " + where + " " + localStorage.getItem("seen")
  : "missing";
api.LMSSetValue("cmi.core.lesson_status", "completed"); api.LMSCommit(""); api.LMSFinish("");
</script></body></html>""",
    "content/frame.css": b"p { color: #036; }",
}


def test_a_wrapper_page_scripting_its_content_frame_plays_on_a_separate_content_origin(
        page, transactional_db, tree, live_server, settings):
    settings.SCORM_CONTENT_URL = f"http://127.0.0.1:{urlsplit(live_server.url).port}/scorm-content/"
    made = build_scorm_course(tree["ministry"])
    files = scorm12_files()
    files.update(WRAPPER)
    services.package_upload(actor=made.trainer, lesson_id=made.lesson.pk, file=io.BytesIO(to_zip(files)))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, made.trainee.email, PASSWORD)
    page.goto(f"/learn/lessons/{made.lesson.pk}/scorm/")
    expect(sco(page).locator("h1")).to_have_text("Trang mo dau")
    expect(sco(page).frame_locator("#inner").locator("#inner-api")).to_have_text("inner index 1")
    wait_for(lambda: ScormResult.objects.filter(user=made.trainee, completed=True).exists(), page)
    assert errors == []


PROBE = b"""<p id="probe">...</p><script>
(function () {
  var report = [];
  try { report.push('cookie=' + (document.cookie.indexOf('sessionid') >= 0 ? 'READ' : 'none')); }
  catch (e) { report.push('cookie=blocked'); }
  try { report.push('top=' + (top.document.title ? 'READ' : 'empty')); }
  catch (e) { report.push('top=blocked'); }
  var csrf = '';
  try { csrf = (document.cookie.match(/csrftoken=([^;]+)/) || ['', ''])[1]; } catch (e) {}
  var targets = ['/api/v1/me/'];
  var origins = location.ancestorOrigins || [];
  for (var i = 0; i < origins.length; i++) {
    if (origins[i] !== 'null') { targets.push(origins[i] + '/api/v1/me/'); }
  }
  var left = targets.length;
  targets.forEach(function (url, i) {
    fetch(url, { method: 'PATCH', credentials: 'include',
                 body: JSON.stringify({ full_name: 'Pwned by SCORM' }),
                 headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf } })
      .then(function (r) { report.push('patch' + i + '=' + r.status); },
            function () { report.push('patch' + i + '=blocked'); })
      .then(function () {
        if (--left === 0) { document.getElementById('probe').textContent = report.sort().join(' '); }
      });
  });
})();
</script></body>"""


@pytest.fixture(params=["same-origin", "two-origins"])
def content_origin(request, live_server, settings):
    """The default (SCORM_CONTENT_URL a path on the site), or a second origin for the same server."""
    if request.param == "two-origins":
        port = urlsplit(live_server.url).port
        settings.SCORM_CONTENT_URL = f"http://127.0.0.1:{port}/scorm-content/"
    return request.param


def test_package_code_cannot_act_as_the_viewer_yet_the_lesson_plays(page, transactional_db, tree,
                                                                      content_origin):
    made = build_scorm_course(tree["ministry"])
    files = scorm12_files()
    files["index.html"] = files["index.html"].replace(b"</body>", PROBE)
    services.package_upload(actor=made.trainer, lesson_id=made.lesson.pk, file=io.BytesIO(to_zip(files)))
    administrator = user_with_role(Role.ADMINISTRATOR, None, full_name="Quản Trị Viên")

    sign_in(page, administrator.email, PASSWORD)
    page.goto(f"/learn/lessons/{made.lesson.pk}/scorm/")
    expect(sco(page).locator("#api")).to_have_text("found")
    probe = sco(page).locator("#probe")
    expect(probe).not_to_have_text("...")
    player = next(f for f in page.frames if "/scorm-content/" in f.url)
    site = urlsplit(page.url)
    assert urlsplit(player.url).netloc == (
        site.netloc if content_origin == "same-origin" else f"127.0.0.1:{site.port}")
    patches = "patch0=blocked patch1=blocked"
    assert probe.inner_text() == f"cookie=none {patches} top=blocked", probe.inner_text()
    administrator.refresh_from_db()
    assert administrator.full_name == "Quản Trị Viên"
    assert page.request.get("/api/v1/me/").json()["full_name"] == "Quản Trị Viên"
    page.context.clear_cookies()

    sign_in(page, made.trainee.email, PASSWORD)
    page.goto(f"/learn/lessons/{made.lesson.pk}/scorm/")
    sco(page).locator("#finish").click()
    expect(page.locator("#scorm-status")).to_contain_text("80%")
    assert User.objects.get(pk=made.trainee.pk).full_name == made.trainee.full_name
