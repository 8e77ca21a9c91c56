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
from tests.scorm.packages import multi_sco_package, scorm12_package

FRAME_CONFIG = re.compile(r'<script id="scorm-frame-config" type="application/json">(.*?)</script>', re.S)
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


def frame_url(user, lesson_id: int) -> str:
    response = page(user, lesson_id)
    assert response.status_code == 200, response.status_code
    return response.context["frame_url"]


def frame_config(url: str) -> dict:
    response = cookieless(url)
    assert response.status_code == 200, response.status_code
    return json.loads(FRAME_CONFIG.search(response.content.decode()).group(1))


def policy(response) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.partition(" ")[2]
            for part in (p.strip() for p in response["Content-Security-Policy"].split(";"))}


def assert_sandboxed(response, *, base: str = "http://testserver/scorm-content/") -> None:
    csp = policy(response)
    assert csp["default-src"] == "'none'"
    assert csp["sandbox"] == "allow-scripts"
    assert csp["frame-ancestors"] == "http://testserver"
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
    assert r.context["frame_url"].startswith("/scorm-content/")
    config = json.loads(PAGE_CONFIG.search(html).group(1))
    assert config["learner"] is True and config["start"] == "ITEM-1"
    assert config["cmiUrl"] == f"/api/v1/lessons/{scorm.lesson.pk}/scorm/cmi/"
    assert [s["identifier"] for s in config["scos"]] == ["ITEM-1"]
    assert "scorm-again" not in html and "index.html" not in frame
    csp = r["Content-Security-Policy"]
    assert "frame-src 'self'" in csp  # the content prefix is on this origin by default


def test_the_player_document_is_sandboxed_and_loads_the_runtime_of_the_package_version(scorm):
    url = frame_url(scorm.trainee, scorm.lesson.pk)
    response = cookieless(url)
    assert_sandboxed(response)
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f"{url}static/vendor/scorm-again/scorm12.min.js" in html.replace("http://testserver", "")
    config = frame_config(url)
    assert config["parentOrigin"] == "http://testserver" and config["version"] == "1.2"
    assert config["filesBase"] == f"http://testserver{url}files/"
    runtime = cookieless(f"{url}static/vendor/scorm-again/scorm12.min.js")
    assert runtime.status_code == 200 and b"Scorm12API" in body(runtime)
    assert_sandboxed(runtime)


def test_package_files_are_served_with_the_grant_and_navigations_get_the_bounce(scorm):
    url = frame_url(scorm.trainee, scorm.lesson.pk)
    source = cookieless(f"{url}files/index.html?ttdn-source=1")
    assert source.status_code == 200 and b"scanForAPI" in body(source)
    assert source["Content-Type"].startswith("text/html")
    assert_sandboxed(source)
    fetched = cookieless(f"{url}files/index.html", HTTP_SEC_FETCH_DEST="empty")
    assert b"scanForAPI" in body(fetched)  # a package's own fetch of HTML gets the file
    for dest in ("iframe", "frame", "document"):
        bounced = cookieless(f"{url}files/index.html?page=2", HTTP_SEC_FETCH_DEST=dest)
        assert bounced.status_code == 200
        assert b"ttdnScormBounce" in bounced.content and b"scanForAPI" not in bounced.content
        assert policy(bounced)["script-src"] == "'unsafe-inline'"
        assert "frame-ancestors" not in bounced["Content-Security-Policy"]
    no_metadata = cookieless(f"{url}files/index.html")
    assert b"ttdnScormBounce" in no_metadata.content  # only the player says it is fetching source


def test_nothing_outside_the_package_or_the_runtime_is_served(scorm):
    url = frame_url(scorm.trainee, scorm.lesson.pk)
    for path in ("files/../imsmanifest.xml", "files/.hidden", "files/missing.html",
                 "static/frontend/h5p-player.js", "static/admin/js/core.js", "static/../settings.py"):
        response = cookieless(f"{url}{path}", HTTP_SEC_FETCH_DEST="empty")
        assert response.status_code == 404, path
    assert cookieless("/scorm-content/whatever").status_code == 404
    forged = url.replace("/scorm-content/", "/scorm-content/x")
    assert cookieless(forged).status_code == 404
    assert cookieless(f"{forged}files/index.html?ttdn-source=1").status_code == 404


def test_access_is_rechecked_at_every_request(scorm):
    url = frame_url(scorm.trainee, scorm.lesson.pk)
    assert cookieless(url).status_code == 200
    enrolments.enrolment_withdraw(actor=None, course_id=scorm.course.pk, user_id=scorm.trainee.pk)
    assert cookieless(url).status_code == 404
    assert cookieless(f"{url}files/index.html?ttdn-source=1").status_code == 404


def test_a_reupload_retires_the_old_urls(scorm):
    url = frame_url(scorm.trainee, scorm.lesson.pk)
    services.package_upload(actor=scorm.trainer, lesson_id=scorm.lesson.pk,
                            file=io.BytesIO(scorm12_package(title="Phiên bản mới")))
    assert cookieless(url).status_code == 404
    assert cookieless(frame_url(scorm.trainee, scorm.lesson.pk)).status_code == 200


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
    url = frame_url(scorm.trainee, scorm.lesson.pk)
    path = urlsplit(url).path
    with django_assert_num_queries(3):
        assert cookieless(f"{path}files/index.html?ttdn-source=1").status_code == 200
    with django_assert_num_queries(0):
        assert cookieless(f"{path}static/frontend/scorm-shim.js").status_code == 200
