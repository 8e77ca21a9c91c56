"""The lesson page's sandboxed player and everything under H5P_CONTENT_URL: the grant (not the
session) authorises each request, access is re-checked at each request, libraries resolve only
within the content's own set, and every response carries the sandbox headers."""

from __future__ import annotations

import io
import re

import pytest

from backend.accounts.models import Role
from courses import enrolments
from courses.h5p import config, services
from courses.h5p.models import H5PContent
from tests.factories import user_with_role
from tests.h5p.builders import good_files, good_package, to_zip
from tests.h5p.factories import build_h5p_course
from tests.h5p.player import body, client_for, cookieless, frame_url, open_frame


@pytest.fixture
def h5p(tree):
    made = build_h5p_course(tree["ministry"])
    files = good_files()
    files["content/images/photo.png"] = b"\x89PNG\r\n\x1a\n" + b"0" * 2000
    files["content/notes.pdf"] = b"%PDF-1.4 fake"
    services.h5p_upload(actor=made.trainer, lesson_id=made.lesson.pk, upload=io.BytesIO(to_zip(files)))
    made.key = H5PContent.objects.get(lesson_id=made.lesson.pk).content_key
    return made


def policy(response) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.partition(" ")[2]
            for part in (p.strip() for p in response["Content-Security-Policy"].split(";"))}


def assert_sandboxed(response, *, files_base: str = "http://testserver/h5p-content/",
                     parent: str = "http://testserver") -> None:
    csp = policy(response)
    assert csp["default-src"] == "'none'"
    assert csp["sandbox"] == "allow-scripts"
    assert csp["frame-ancestors"] == parent
    for directive in ("script-src", "connect-src", "img-src", "media-src", "font-src", "style-src"):
        assert csp[directive].split(" ")[0] == files_base, directive
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_lesson_page_embeds_the_player_in_a_sandbox(h5p):
    r = client_for(h5p.trainee).get(f"/learn/lessons/{h5p.lesson.pk}/h5p/")
    html = r.content.decode()
    frame = re.search(r"<iframe id=\"h5p-frame\"[^>]*>", html).group(0)
    assert 'sandbox="allow-scripts"' in frame and "allow-same-origin" not in frame
    assert f'src="{r.context["frame_url"]}"' in frame and r.context["frame_url"].startswith("/h5p-content/")
    assert f'title="{h5p.lesson.title}"' in frame
    # The page itself loads no H5P code at all, and gives the frame no URL of the API.
    assert "h5p-standalone" not in html and "frontend/h5p-player.js" in html
    assert '"learner": true' in html and "h5p-upload-form" not in html


def test_the_frame_document_works_without_the_session_and_is_sandboxed(h5p):
    frame = open_frame(client_for(h5p.trainee), h5p.lesson.pk)
    response = cookieless(frame.url)
    assert_sandboxed(response)
    assert "X-Frame-Options" not in response  # framed by the lesson page (frame-ancestors says which)
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert f'src="{frame.url.replace("/h5p-content", "http://testserver/h5p-content", 1)}static/vendor/' \
           'h5p-standalone/main.bundle.js"' in html
    player = frame.config["player"]
    assert player["librariesPath"].startswith("http://testserver/h5p-content/")
    assert player["embedType"] == "div" and player["assetsRequestFetchOptions"] == {"credentials": "omit"}
    assert frame.config["learner"] is True and frame.config["parentOrigin"] == "http://testserver"
    assert "csrf" not in html.lower()


def test_staff_preview_gets_a_frame_that_records_nothing(h5p):
    frame = open_frame(client_for(h5p.trainer), h5p.lesson.pk)
    assert frame.config["learner"] is False and frame.config["saveFreq"] == 0
    assert "contentUserData" not in frame.config["player"]


def test_the_learners_saved_state_is_handed_to_the_frame(h5p):
    services.h5p_state_save(user=h5p.trainee, lesson_id=h5p.lesson.pk, data='{"answer": "yes"}')
    frame = open_frame(client_for(h5p.trainee), h5p.lesson.pk)
    assert frame.config["state"] == '{"answer": "yes"}'
    assert frame.config["player"]["contentUserData"] == [{"state": '{"answer": "yes"}'}]


def test_content_files_carry_safe_headers_and_exact_types(h5p):
    frame = open_frame(client_for(h5p.trainee), h5p.lesson.pk)
    r = cookieless(frame.content_url("content.json"))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json; charset=utf-8"
    assert r["Content-Disposition"].startswith("inline;")
    assert_sandboxed(r)
    assert r["X-Frame-Options"] == "DENY"  # only the frame document may be framed
    assert b"H\xc3\xa0 N\xe1\xbb\x99i" in body(r)  # "Hà Nội", bytes as stored
    assert cookieless(frame.content_url("images/photo.png"))["Content-Type"] == "image/png"
    r = cookieless(frame.content_url("notes.pdf"))
    assert r["Content-Type"] == "application/pdf" and r["Content-Disposition"].startswith("attachment")
    assert cookieless(frame.content_url("h5p.json")).status_code == 200


def test_library_and_player_files_are_code_served_with_the_grant(h5p):
    frame = open_frame(client_for(h5p.trainee), h5p.lesson.pk)
    r = cookieless(frame.library_url("H5P.TtdnQuestion-1.0", "question.js"))
    assert r.status_code == 200 and r["Content-Type"] == "text/javascript; charset=utf-8"
    assert b"TtdnQuestion" in body(r)
    assert_sandboxed(r)
    r = cookieless(frame.static_url("vendor/h5p-standalone/main.bundle.js"))
    assert r.status_code == 200 and r["Content-Type"] == "text/javascript; charset=utf-8"
    assert cookieless(frame.static_url("vendor/h5p-standalone/styles/h5p.css")).status_code == 200
    assert cookieless(frame.static_url("frontend/h5p-frame.js")).status_code == 200
    # Only the player's own files: not the site's other scripts, not a way out of the folder.
    for path in ("frontend/h5p-player.js", "vendor/h5p-standalone/../../frontend/h5p-player.js",
                 "admin/js/core.js"):
        assert cookieless(frame.static_url(path)).status_code == 404, path


def test_only_the_contents_own_libraries_resolve(h5p, tree):
    other = build_h5p_course(tree["province"])
    renamed = {name.replace("TtdnQuestion", "TtdnOther"): data.replace(b"TtdnQuestion", b"TtdnOther")
               for name, data in good_files().items()}
    services.h5p_upload(actor=other.trainer, lesson_id=other.lesson.pk, upload=io.BytesIO(to_zip(renamed)))
    frame = open_frame(client_for(h5p.trainee), h5p.lesson.pk)
    # Stored on the site (by another unit), but not one of this content's libraries.
    assert cookieless(frame.library_url("H5P.TtdnOther-1.0", "library.json")).status_code == 404
    # The stored folder's own name is not a player folder name either.
    for folder in (H5PContent.objects.get(lesson_id=h5p.lesson.pk).main_library.store_folder,
                   "H5P.TtdnQuestion-1.0.0", "..", "H5P.TtdnQuestion-1.0/../.."):
        assert cookieless(frame.library_url(folder, "library.json")).status_code == 404


def test_the_grant_not_the_session_authorises(h5p):
    url = frame_url(client_for(h5p.trainee), h5p.lesson.pk)
    signed_in = client_for(h5p.trainee)
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for path in (f"/h5p-content/{forged}/", f"/h5p-content/{forged}/content/content.json",
                 f"/h5p-content/{forged}/libraries/H5P.TtdnQuestion-1.0/question.js",
                 f"/h5p-content/{forged}/static/vendor/h5p-standalone/main.bundle.js",
                 f"/h5p-content/content/{h5p.key}/content.json",  # the old session-based URLs
                 "/h5p-content/libraries/H5P.TtdnQuestion-1.0/question.js"):
        r = signed_in.get(path)
        assert r.status_code == 404, path
        assert "sandbox" in r["Content-Security-Policy"] and r["Content-Type"].startswith("text/plain")


def test_an_unenrolled_learner_loses_access_at_once(h5p):
    frame = open_frame(client_for(h5p.trainee), h5p.lesson.pk)
    assert cookieless(frame.content_url("content.json")).status_code == 200
    enrolments.enrolment_withdraw(actor=None, course_id=h5p.course.pk, user_id=h5p.trainee.pk)
    assert cookieless(frame.content_url("content.json")).status_code == 404
    assert cookieless(frame.url).status_code == 404


def test_a_grant_of_an_older_upload_stops_working_after_a_reupload(h5p, django_capture_on_commit_callbacks):
    frame = open_frame(client_for(h5p.trainee), h5p.lesson.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.h5p_upload(actor=h5p.trainer, lesson_id=h5p.lesson.pk,
                            upload=io.BytesIO(good_package(question="Câu mới?")))
    assert cookieless(frame.url).status_code == 404
    assert cookieless(frame.content_url("content.json")).status_code == 404
    assert cookieless(frame.library_url("H5P.TtdnQuestion-1.0", "question.js")).status_code == 404


def test_a_stranger_gets_no_grant(h5p, tree):
    stranger = user_with_role(Role.TRAINEE, tree["ministry"])  # same unit, not enrolled
    assert client_for(stranger).get(f"/learn/lessons/{h5p.lesson.pk}/h5p/").status_code == 404


@pytest.mark.parametrize("path", ["../../libraries/x/question.js", ".hidden", "images/../../x.json",
                                  "missing.png"])
def test_nothing_outside_the_content_folder_is_served(h5p, path):
    frame = open_frame(client_for(h5p.trainee), h5p.lesson.pk)
    assert cookieless(frame.content_url(path)).status_code == 404


def test_a_symlink_planted_in_the_store_is_not_followed(h5p):
    (config.h5p_root() / "content" / h5p.key / "leak.json").symlink_to("/etc/hostname")
    frame = open_frame(client_for(h5p.trainee), h5p.lesson.pk)
    assert cookieless(frame.content_url("leak.json")).status_code == 404


def test_byte_ranges_for_media(h5p):
    frame = open_frame(client_for(h5p.trainee), h5p.lesson.pk)
    r = cookieless(frame.content_url("images/photo.png"), HTTP_RANGE="bytes=0-7")
    assert r.status_code == 206 and r["Content-Range"] == "bytes 0-7/2008"
    assert body(r) == b"\x89PNG\r\n\x1a\n"
    assert_sandboxed(r)


def test_a_separate_content_origin_is_a_setting(h5p, settings):
    settings.H5P_CONTENT_URL = "http://127.0.0.1:8001/h5p-content/"
    assert config.content_origin() == "http://127.0.0.1:8001"
    url = frame_url(client_for(h5p.trainee), h5p.lesson.pk)
    assert url.startswith("http://127.0.0.1:8001/h5p-content/")
    response = cookieless(url, HTTP_HOST="127.0.0.1:8001")
    assert response.status_code == 200
    assert_sandboxed(response, files_base="http://127.0.0.1:8001/h5p-content/", parent="http://testserver")
    assert "http://127.0.0.1:8001/h5p-content/" in response.content.decode()


def test_the_same_origin_default_names_no_other_origin(settings):
    assert settings.H5P_CONTENT_URL == "/h5p-content/" and config.content_origin() is None


def test_the_player_assets_come_from_the_npm_package():
    from django.contrib.staticfiles import finders

    found = finders.find("vendor/h5p-standalone/main.bundle.js")
    assert found and "node_modules/h5p-standalone/dist" in found


def test_query_counts_under_the_prefix_are_fixed(h5p, django_assert_num_queries):
    """A page loads many files: content re-checks access (user; lesson, course and enrolment in
    one read; content), a library is one lookup in the content's set, the player's own files none."""
    frame = open_frame(client_for(h5p.trainee), h5p.lesson.pk)
    with django_assert_num_queries(3):
        assert cookieless(frame.content_url("content.json")).status_code == 200
    with django_assert_num_queries(1):
        assert cookieless(frame.library_url("H5P.TtdnQuestion-1.0", "question.js")).status_code == 200
    with django_assert_num_queries(0):
        assert cookieless(frame.static_url("vendor/h5p-standalone/main.bundle.js")).status_code == 200
