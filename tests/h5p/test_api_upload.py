"""POST /api/v1/lessons/{id}/h5p/: upload, every rejection through the endpoint, library reuse
and patch upgrades, re-upload keeping learners' results."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.accounts.models import Role, User
from courses.h5p import config
from courses.h5p.models import H5PContent, H5PLibrary, H5PState
from courses.models import Lesson, LessonProgress
from tests.factories import user_with_role
from tests.h5p.builders import MALICIOUS, dumps, expected_code, good_files, good_package, to_zip
from tests.h5p.factories import build_h5p_course
from tests.h5p.statements import statement


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def upload(api, lesson_id: int, data: bytes, **extra):
    return api.post(f"/api/v1/lessons/{lesson_id}/h5p/",
                    {"file": SimpleUploadedFile("activity.h5p", data, "application/zip"), **extra},
                    format="multipart")


def stored_files() -> list[str]:
    root = config.h5p_root()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def h5p(tree):
    return build_h5p_course(tree["ministry"])


def test_trainer_uploads_a_package_and_sees_what_it_holds(api, h5p):
    r = upload(as_user(api, h5p.trainer), h5p.lesson.pk, good_package())
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["title"] == "Câu hỏi thử"
    assert body["main_library"] == "H5P.TtdnQuestion 1.0.0"
    library = H5PLibrary.objects.get()
    assert body["libraries"] == [{"machine_name": "H5P.TtdnQuestion", "version": "1.0.0",
                                  "title": "TTDN yes/no question", "files_hash": library.files_hash,
                                  "added": True}]
    assert body["grading_method"] == "highest"
    assert body["player_url"] == f"/learn/lessons/{h5p.lesson.pk}/h5p/"
    content = H5PContent.objects.get(lesson_id=h5p.lesson.pk)
    assert content.created_by_id == h5p.trainer.pk and content.course_id == h5p.course.pk
    assert Lesson.objects.get(pk=h5p.lesson.pk).activity_id == content.pk
    files = stored_files()
    assert f"content/{content.content_key}/content.json" in files
    assert f"content/{content.content_key}/h5p.json" in files
    assert f"libraries/{library.store_folder}/question.js" in files
    # Anyone who may play it reads the same description.
    r = as_user(api, h5p.trainee).get(f"/api/v1/lessons/{h5p.lesson.pk}/h5p/")
    assert r.status_code == 200 and r.json()["title"] == "Câu hỏi thử"


def test_semantics_and_media_findings_are_warnings_not_rejections(api, h5p):
    files = good_files()
    files["content/content.json"] = dumps({"question": "Có ảnh?", "correct": "yes",
                                           "image": {"path": "images/missing.png", "mime": "image/png"}})
    files[".DS_Store"] = b"junk"
    r = upload(as_user(api, h5p.trainer), h5p.lesson.pk, to_zip(files))
    assert r.status_code == 201, r.json()
    codes = {w["code"] for w in r.json()["warnings"]}
    assert {"missing_media", "ignored_file"} <= codes
    assert all(w["message"] for w in r.json()["warnings"])


@pytest.mark.parametrize("case", sorted(MALICIOUS))
def test_every_refused_package_gives_its_code_and_writes_nothing(api, h5p, case):
    r = upload(as_user(api, h5p.trainer), h5p.lesson.pk, MALICIOUS[case]())
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["code"] == expected_code(case), body
    assert body["message"] and body["fields"]["file"]
    assert not H5PContent.objects.exists() and not H5PLibrary.objects.exists()
    assert stored_files() == []
    assert Lesson.objects.get(pk=h5p.lesson.pk).activity_id is None


@pytest.mark.parametrize(("language", "words"), [("vi", "không phải là JSON hợp lệ"),
                                                 ("en", "is not valid JSON")])
def test_a_broken_language_file_is_refused_in_the_callers_language(api, h5p, language, words):
    r = as_user(api, h5p.trainer).post(
        f"/api/v1/lessons/{h5p.lesson.pk}/h5p/",
        {"file": SimpleUploadedFile("activity.h5p", MALICIOUS["invalid_library_language_json"](),
                                    "application/zip")},
        format="multipart", HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid_library"
    assert "H5P.TtdnQuestion-1.0/language/vi.json" in body["message"] and words in body["message"]
    assert body["fields"]["file"] == [body["message"]]


def test_only_a_trainer_of_the_course_uploads_and_only_to_h5p_lessons(api, tree, h5p):
    assert upload(as_user(api, h5p.trainee), h5p.lesson.pk, good_package()).status_code == 403
    outsider = user_with_role(Role.TRAINER, tree["province"])
    assert upload(as_user(api, outsider), h5p.lesson.pk, good_package()).status_code == 404
    text = Lesson.objects.create(course=h5p.course, module=h5p.lesson.module, kind="text", title="Bài")
    r = upload(as_user(api, h5p.trainer), text.pk, good_package())
    assert r.status_code == 409 and r.json()["code"] == "not_h5p_lesson"
    r = as_user(api, h5p.trainer).post(f"/api/v1/lessons/{h5p.lesson.pk}/h5p/", {}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()["fields"]
    assert stored_files() == []


def test_a_library_copy_is_stored_once_and_a_patch_upgrade_beside_it(api, tree, h5p):
    other = build_h5p_course(tree["ministry"])
    as_user(api, h5p.trainer)
    assert upload(api, h5p.lesson.pk, good_package()).status_code == 201
    as_user(api, other.trainer)
    r = upload(api, other.lesson.pk, good_package())
    assert r.status_code == 201
    assert r.json()["libraries"][0]["added"] is False  # the same bytes: reused
    assert H5PLibrary.objects.count() == 1
    r = upload(api, other.lesson.pk, good_package(patch=1))
    assert r.status_code == 201
    assert r.json()["main_library"] == "H5P.TtdnQuestion 1.0.1" and r.json()["libraries"][0]["added"]
    assert sorted(lib.version for lib in H5PLibrary.objects.all()) == ["1.0.0", "1.0.1"]
    libs = sorted(p for p in stored_files() if p.startswith("libraries/") and p.endswith("library.json"))
    assert libs == sorted(f"libraries/{lib.store_folder}/library.json" for lib in H5PLibrary.objects.all())
    # The first lesson still plays exactly the copy it was uploaded with (never the newer patch).
    first = H5PContent.objects.get(lesson_id=h5p.lesson.pk)
    assert [lib.version for lib in first.libraries.all()] == ["1.0.0"]
    assert first.main_library.version == "1.0.0"


def test_reupload_replaces_content_but_keeps_results(api, h5p, django_capture_on_commit_callbacks):
    as_user(api, h5p.trainer)
    assert upload(api, h5p.lesson.pk, good_package()).status_code == 201
    first_key = H5PContent.objects.get(lesson_id=h5p.lesson.pk).content_key
    as_user(api, h5p.trainee)
    r = api.post(f"/api/v1/lessons/{h5p.lesson.pk}/xapi/",
                 statement(h5p.lesson.pk, raw=1, success=True, completion=True), format="json")
    assert r.status_code == 200 and r.json()["score"] == 1.0
    api.put(f"/api/v1/lessons/{h5p.lesson.pk}/h5p/state/", {"state": json.dumps({"answer": "yes"})},
            format="json")
    as_user(api, h5p.trainer)
    with django_capture_on_commit_callbacks(execute=True):
        r = upload(api, h5p.lesson.pk, good_package(question="Câu hỏi mới?"))
    assert r.status_code == 201 and r.json()["uploads"] == 2
    content = H5PContent.objects.get(lesson_id=h5p.lesson.pk)
    assert content.content_key != first_key
    assert not any(p.startswith(f"content/{first_key}/") for p in stored_files())
    assert json.loads((config.h5p_root() / "content" / content.content_key / "content.json").read_text(
        encoding="utf-8"))["question"] == "Câu hỏi mới?"
    progress = LessonProgress.objects.get(lesson=h5p.lesson, enrolment__user=h5p.trainee)
    assert progress.status == "completed" and progress.score == 1.0 and progress.attempts == 1
    # The old state does not fit the new content: it is kept but not handed to the player.
    assert H5PState.objects.filter(user=h5p.trainee).exists()
    r = as_user(api, h5p.trainee).get(f"/api/v1/lessons/{h5p.lesson.pk}/h5p/state/")
    assert r.json() == {"state": None}
