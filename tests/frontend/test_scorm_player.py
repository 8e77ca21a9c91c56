"""The SCORM lesson page and everything under SCORM_CONTENT_URL: the page embeds the player in a
sandbox and runs no package code; the grant (not the session) authorises each request under the
prefix and access is re-checked at each one; package HTML navigated to gets the bounce document,
its source goes to the player's fetch; every response carries the sandbox headers."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from backend.accounts.models import Role
from courses import enrolments
from courses.scorm import services
from courses.scorm.models import ScormPackage
from tests.factories import user_with_role
from tests.h5p.player import body
from tests.scorm.factories import build_scorm_course
from tests.scorm.packages import multi_sco_package, scorm12_files, scorm12_package, to_zip

LAUNCH_CONFIG = re.compile(r'<script type="application/json" id="ttdn-scorm-launch">(.*?)</script>', re.S)
PAGE_CONFIG = re.compile(r'<script id="scorm-config" type="application/json">(.*?)</script>', re.S)


@pytest.fixture
def scorm(tree):
    made = build_scorm_course(tree["ministry"])
    services.package_upload(actor=made.trainer, lesson_id=made.lesson.pk,
                            file=io.BytesIO(scorm12_package()))
    made.package = ScormPackage.objects.get(lesson_id=made.lesson.pk)
    return made


def cookieless(url: str, **headers):
    """GET as the sandboxed frame does: no session, only the grant in the URL (query kept)."""
    parts = urlsplit(url)
    return Client().get(parts.path + (f"?{parts.query}" if parts.query else ""), **headers)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, lesson_id: int, query: str = ""):
    return client_for(user).get(f"/learn/lessons/{lesson_id}/scorm/{query}")


def frame_base(user, lesson_id: int) -> str:
    response = page(user, lesson_id)
    assert response.status_code == 200, response.status_code
    return json.loads(PAGE_CONFIG.search(response.content.decode()).group(1))["frameBase"]


def launch(url: str):
    """The frame's own load of a launch file (a navigation)."""
    return cookieless(url, HTTP_SEC_FETCH_DEST="iframe")


def launch_config(response) -> dict:
    return json.loads(LAUNCH_CONFIG.search(response.content.decode()).group(1))


def policy(response) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.partition(" ")[2]
            for part in (p.strip() for p in response["Content-Security-Policy"].split(";"))}


def assert_sandboxed(response, *, base: str = "http://testserver/scorm-content/", framed: bool = True,
                     sandbox: str = "allow-scripts") -> None:
    csp = policy(response)
    assert csp["default-src"] == "'none'"
    assert csp["sandbox"] == sandbox
    assert csp.get("frame-ancestors") == ("http://testserver" if framed else None)
    assert csp["form-action"] == "'none'" and csp["object-src"] == "'none'"
    for directive in ("script-src", "connect-src", "img-src", "media-src", "font-src", "style-src",
                      "frame-src", "base-uri"):
        assert csp[directive].split(" ")[0] == base, directive
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_lesson_page_embeds_the_player_in_a_sandbox_and_runs_no_package_code(scorm):
    r = page(scorm.trainee, scorm.lesson.pk)
    html = r.content.decode()
    frame = re.search(r'<iframe id="scorm-frame"[^>]*>', html).group(0)
    assert 'sandbox="allow-scripts"' in frame and "allow-same-origin" not in frame
    config = json.loads(PAGE_CONFIG.search(html).group(1))
    assert config["frameBase"].startswith("/scorm-content/") and config["frameOrigin"] == "null"
    assert config["learner"] is True and config["start"] == "ITEM-1"
    assert config["cmiUrl"] == f"/api/v1/lessons/{scorm.lesson.pk}/scorm/cmi/"
    assert [(s["identifier"], s["href"]) for s in config["scos"]] == [("ITEM-1", "index.html")]
    assert "scorm-again" not in html
    assert "frame-src 'self'" in r["Content-Security-Policy"]  # the prefix is on this origin by default


def test_the_launch_document_carries_the_runtime_and_the_session_before_the_package(scorm):
    base = frame_base(scorm.trainee, scorm.lesson.pk)
    response = launch(f"{base}sco/0/index.html")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert_sandboxed(response)
    html = response.content.decode()
    head = html.index("<head>") + len("<head>")
    assert html.index('<meta charset="utf-8">') == head  # the page's charset stays first
    ours = html.index('id="ttdn-scorm-launch"')
    assert ours < html.index("scanForAPI")  # before any of the package's scripts
    for script in ("static/frontend/scorm-shim.js", "static/vendor/scorm-again/scorm12.min.js",
                   "static/frontend/scorm-frame.js"):
        assert f'src="http://testserver{base}{script}"' in html
    config = launch_config(response)
    assert config["parentOrigin"] == "http://testserver" and config["version"] == "1.2"
    assert config["sco"] == "ITEM-1" and config["attempt"] == 1 and config["seq"] == 0
    assert config["cmi"]["cmi.core.student_id"] == str(scorm.trainee.pk)
    assert config["cmi"]["cmi.core.lesson_mode"] == "normal" and config["preview"] is False
    runtime = cookieless(f"{base}static/vendor/scorm-again/scorm12.min.js")
    assert runtime.status_code == 200 and b"Scorm12API" in body(runtime)
    assert_sandboxed(runtime, framed=False)


def test_package_files_and_fetches_of_the_launch_page_are_sent_as_stored(scorm):
    base = frame_base(scorm.trainee, scorm.lesson.pk)
    fetched = cookieless(f"{base}sco/0/index.html", HTTP_SEC_FETCH_DEST="empty")
    assert fetched.status_code == 200 and b"ttdn-scorm-launch" not in body(fetched)
    assert_sandboxed(fetched, framed=False)
    css = cookieless(f"{base}sco/0/style.css", HTTP_SEC_FETCH_DEST="style")
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert cookieless(f"{base}sco/1/index.html").status_code == 404  # one SCO: index 0 only


def test_other_package_pages_loaded_in_frames_get_the_storage_shim_only(scorm):
    services.package_upload(actor=scorm.trainer, lesson_id=scorm.lesson.pk, file=io.BytesIO(
        to_zip({**scorm12_files(), "extra/page.html": b"<html><head></head><body>x</body></html>"})))
    base = frame_base(scorm.trainee, scorm.lesson.pk)
    framed = launch(f"{base}sco/0/extra/page.html")
    html = framed.content.decode()
    assert "static/frontend/scorm-shim.js" in html and "ttdn-scorm-launch" not in html
    assert_sandboxed(framed, framed=False)


def test_stored_data_cannot_break_out_of_the_launch_config(scorm):
    from courses.scorm.models import ScormAttempt

    ScormAttempt.objects.create(user=scorm.trainee, lesson_id=scorm.lesson.pk, sco="ITEM-1",
                                package_key=scorm.package.package_key, seq=3,
                                cmi={"cmi.suspend_data": "</script><script>alert(1)</script>"},
                                suspend_data="</script><script>alert(1)</script>", exit="suspend")
    base = frame_base(scorm.trainee, scorm.lesson.pk)
    response = launch(f"{base}sco/0/index.html")
    assert b"<script>alert(1)" not in response.content
    config = launch_config(response)
    assert config["cmi"]["cmi.suspend_data"] == "</script><script>alert(1)</script>"
    assert config["entry"] == "resume" and config["seq"] == 3


def test_nothing_outside_the_package_or_the_runtime_is_served(scorm):
    url = frame_base(scorm.trainee, scorm.lesson.pk)
    for path in ("sco/0/../imsmanifest.xml", "sco/0/.hidden", "sco/0/missing.html", "sco/9/index.html",
                 "static/frontend/h5p-player.js", "static/admin/js/core.js", "static/../settings.py"):
        response = cookieless(f"{url}{path}", HTTP_SEC_FETCH_DEST="empty")
        assert response.status_code == 404, path
    assert cookieless("/scorm-content/whatever").status_code == 404
    forged = url.replace("/scorm-content/", "/scorm-content/x")
    assert launch(f"{forged}sco/0/index.html").status_code == 404


def test_access_is_rechecked_at_every_request(scorm):
    url = frame_base(scorm.trainee, scorm.lesson.pk)
    assert launch(f"{url}sco/0/index.html").status_code == 200
    enrolments.enrolment_withdraw(actor=None, course_id=scorm.course.pk, user_id=scorm.trainee.pk)
    assert launch(f"{url}sco/0/index.html").status_code == 404
    assert cookieless(f"{url}sco/0/style.css").status_code == 404


def test_a_reupload_retires_the_old_urls(scorm):
    url = frame_base(scorm.trainee, scorm.lesson.pk)
    services.package_upload(actor=scorm.trainer, lesson_id=scorm.lesson.pk,
                            file=io.BytesIO(scorm12_package(title="Phiên bản mới")))
    assert launch(f"{url}sco/0/index.html").status_code == 404
    assert launch(f"{frame_base(scorm.trainee, scorm.lesson.pk)}sco/0/index.html").status_code == 200


def test_staff_preview_and_strangers(scorm, tree):
    preview = page(scorm.trainer, scorm.lesson.pk)
    assert preview.status_code == 200
    config = json.loads(PAGE_CONFIG.search(preview.content.decode()).group(1))
    assert config["learner"] is False
    assert 'id="scorm-upload-form"' in preview.content.decode()
    assert 'id="scorm-upload-form"' not in page(scorm.trainee, scorm.lesson.pk).content.decode()
    stranger = user_with_role(Role.TRAINEE, tree["province"])
    assert page(stranger, scorm.lesson.pk).status_code == 404
    assert Client().get(f"/learn/lessons/{scorm.lesson.pk}/scorm/").status_code == 302


def test_a_multi_sco_package_lists_its_items_and_starts_at_the_first_unfinished(tree):
    made = build_scorm_course(tree["ministry"])
    services.package_upload(actor=made.trainer, lesson_id=made.lesson.pk,
                            file=io.BytesIO(multi_sco_package()))
    r = page(made.trainee, made.lesson.pk)
    html = r.content.decode()
    links = re.findall(r'<a href="\?sco=[^"]*" data-sco="([^"]+)"', html)
    package = ScormPackage.objects.get(lesson_id=made.lesson.pk)
    assert links == [i["identifier"] for i in package.items if i["is_sco"]] and len(links) >= 2
    chosen = page(made.trainee, made.lesson.pk, f"?sco={links[1]}")
    assert json.loads(PAGE_CONFIG.search(chosen.content.decode()).group(1))["start"] == links[1]


def test_the_lesson_page_without_a_package_says_so_and_offers_the_upload_to_trainers(tree):
    made = build_scorm_course(tree["ministry"])
    trainer_page = page(made.trainer, made.lesson.pk).content.decode()
    assert 'id="scorm-upload-form"' in trainer_page and 'id="scorm-frame"' not in trainer_page
    learner_page = page(made.trainee, made.lesson.pk)
    assert learner_page.status_code == 200
    assert 'id="scorm-upload-form"' not in learner_page.content.decode()


def test_the_generic_lesson_page_leads_to_the_player(scorm):
    html = client_for(scorm.trainee).get(f"/learn/lessons/{scorm.lesson.pk}/").content.decode()
    assert f'href="/learn/lessons/{scorm.lesson.pk}/scorm/"' in html


def test_query_counts_under_the_prefix_are_fixed(scorm, django_assert_num_queries):
    """A package loads many files: each re-checks access (user; lesson, course and enrolment in
    one read; the package); the player's own scripts none."""
    path = frame_base(scorm.trainee, scorm.lesson.pk)
    with django_assert_num_queries(3):
        assert cookieless(f"{path}sco/0/style.css").status_code == 200
    with django_assert_num_queries(0):
        assert cookieless(f"{path}static/frontend/scorm-shim.js").status_code == 200


@pytest.mark.parametrize("url", ["http://content.example.vn/scorm-content/"])
def test_a_separate_content_origin_keeps_the_package_on_that_origin(scorm, settings, url):
    settings.SCORM_CONTENT_URL = url
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "content.example.vn"]
    html = page(scorm.trainee, scorm.lesson.pk).content.decode()
    frame = re.search(r'<iframe id="scorm-frame"[^>]*>', html).group(0)
    assert 'sandbox="allow-scripts allow-same-origin"' in frame
    config = json.loads(PAGE_CONFIG.search(html).group(1))
    assert config["frameBase"].startswith(url) and config["frameOrigin"] == "http://content.example.vn"
    response = Client(HTTP_HOST="content.example.vn").get(
        urlsplit(config["frameBase"]).path + "sco/0/index.html", HTTP_SEC_FETCH_DEST="iframe")
    assert_sandboxed(response, base=url, sandbox="allow-scripts allow-same-origin")
