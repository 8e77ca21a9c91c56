"""The package file view: headers, content types, byte ranges, and who may read what."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from backend.accounts.models import Role
from courses.h5p import config, services
from courses.h5p.files import byte_range
from courses.h5p.models import H5PContent
from tests.factories import user_with_role
from tests.h5p.builders import good_files, to_zip
from tests.h5p.factories import build_h5p_course


@pytest.fixture
def h5p(tree):
    made = build_h5p_course(tree["ministry"])
    files = good_files()
    files["content/images/photo.png"] = b"\x89PNG\r\n\x1a\n" + b"0" * 2000
    files["content/notes.pdf"] = b"%PDF-1.4 fake"
    services.h5p_upload(actor=made.trainer, lesson_id=made.lesson.pk, upload=io.BytesIO(to_zip(files)))
    made.key = H5PContent.objects.get(lesson_id=made.lesson.pk).content_key
    return made


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_content_files_carry_safe_headers_and_exact_types(h5p):
    client = client_for(h5p.trainee)
    r = client.get(f"/h5p-content/content/{h5p.key}/content.json")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json; charset=utf-8"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in r["Content-Security-Policy"] and "sandbox" in r["Content-Security-Policy"]
    assert r["Content-Disposition"] == "inline"
    assert b"H\xc3\xa0 N\xe1\xbb\x99i" in body(r)  # "Hà Nội", bytes as stored
    r = client.get(f"/h5p-content/content/{h5p.key}/images/photo.png")
    assert r["Content-Type"] == "image/png"
    r = client.get(f"/h5p-content/content/{h5p.key}/notes.pdf")
    assert r["Content-Type"] == "application/pdf" and r["Content-Disposition"].startswith("attachment")
    assert client.get(f"/h5p-content/content/{h5p.key}/h5p.json").status_code == 200


def test_library_files_are_shared_with_signed_in_users_only(h5p, tree):
    outsider = user_with_role(Role.TRAINEE, tree["province"])
    r = client_for(outsider).get("/h5p-content/libraries/H5P.TtdnQuestion-1.0/question.js")
    assert r.status_code == 200
    assert r["Content-Type"] == "text/javascript; charset=utf-8"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"TtdnQuestion" in body(r)
    assert client_for(None).get("/h5p-content/libraries/H5P.TtdnQuestion-1.0/question.js").status_code in (
        302, 404)
    # The player's folder name has no patch; the stored folder does, and is not served by it.
    assert client_for(outsider).get("/h5p-content/libraries/H5P.TtdnQuestion-1.0.0/question.js"
                                    ).status_code == 404


def test_content_is_only_for_who_may_see_the_lesson(h5p, tree):
    url = f"/h5p-content/content/{h5p.key}/content.json"
    assert client_for(h5p.trainee).get(url).status_code == 200
    assert client_for(h5p.trainer).get(url).status_code == 200   # staff preview
    stranger = user_with_role(Role.TRAINEE, tree["ministry"])     # same unit, not enrolled
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404
    assert client_for(h5p.trainee).get("/h5p-content/content/l999-nothere/content.json").status_code == 404


@pytest.mark.parametrize("path", ["../../libraries/H5P.TtdnQuestion-1.0.0/question.js", ".hidden",
                                  "images/../../x.json", "missing.png"])
def test_nothing_outside_the_content_folder_is_served(h5p, path):
    assert client_for(h5p.trainee).get(f"/h5p-content/content/{h5p.key}/{path}").status_code == 404


def test_a_symlink_planted_in_the_store_is_not_followed(h5p):
    folder = config.h5p_root() / "content" / h5p.key
    (folder / "leak.json").symlink_to("/etc/hostname")
    assert client_for(h5p.trainee).get(f"/h5p-content/content/{h5p.key}/leak.json").status_code == 404


def test_byte_ranges_for_media(h5p):
    client = client_for(h5p.trainee)
    r = client.get(f"/h5p-content/content/{h5p.key}/images/photo.png", HTTP_RANGE="bytes=0-7")
    assert r.status_code == 206 and r["Content-Range"] == "bytes 0-7/2008"
    assert body(r) == b"\x89PNG\r\n\x1a\n"
    assert byte_range("bytes=-8", 2008) == (2000, 2007)
    assert byte_range("bytes=5000-", 2008) is None and byte_range("items=0-1", 10) is None


def test_player_page_for_learner_staff_and_stranger(h5p, tree):
    r = client_for(h5p.trainee).get(f"/learn/lessons/{h5p.lesson.pk}/h5p/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "vendor/h5p-standalone/main.bundle.js" in html and f"/h5p-content/content/{h5p.key}" in html
    assert '"learner": true' in html and "h5p-upload-form" not in html
    r = client_for(h5p.trainer).get(f"/learn/lessons/{h5p.lesson.pk}/h5p/")
    assert r.status_code == 200 and '"learner": false' in r.content.decode()
    assert "h5p-upload-form" in r.content.decode()
    stranger = user_with_role(Role.TRAINEE, tree["ministry"])
    assert client_for(stranger).get(f"/learn/lessons/{h5p.lesson.pk}/h5p/").status_code == 404


def test_the_player_assets_come_from_the_npm_package(client):
    from django.contrib.staticfiles import finders

    found = finders.find("vendor/h5p-standalone/main.bundle.js")
    assert found and "node_modules/h5p-standalone/dist" in found
