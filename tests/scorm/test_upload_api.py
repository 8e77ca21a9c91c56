"""/api/v1/lessons/{id}/scorm/: upload, every rejection through the endpoint (status, code, field,
nothing on disk or in the database), re-upload keeping learners' attempts, settings, removal,
permissions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.accounts.models import Role, User
from backend.audit.models import AuditEntry
from courses.models import Lesson
from courses.scorm.models import ScormAttempt, ScormPackage, ScormResult
from courses.scorm.storage import scorm_root
from tests.factories import user_with_role
from tests.scorm.factories import build_scorm_course
from tests.scorm.packages import (
    MALICIOUS,
    TOO_MANY_FILES,
    expected_code,
    expected_path,
    multi_sco_package,
    scorm12_files,
    scorm12_package,
    scorm2004_package,
    to_zip,
)


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def url(lesson_id: int) -> str:
    return f"/api/v1/lessons/{lesson_id}/scorm/"


def upload(api, lesson_id: int, data: bytes, **extra):
    return api.post(url(lesson_id), {"file": SimpleUploadedFile("course.zip", data, "application/zip"),
                                     **extra}, format="multipart")


def stored_files() -> list[str]:
    root = scorm_root()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def scorm(tree):
    return build_scorm_course(tree["ministry"])


def test_trainer_uploads_a_scorm_12_package_and_anyone_who_may_play_it_reads_it(api, scorm):
    r = upload(as_user(api, scorm.trainer), scorm.lesson.pk, scorm12_package())
    assert r.status_code == 201, r.json()
    body = r.json()
    package = ScormPackage.objects.get(lesson_id=scorm.lesson.pk)
    assert body["id"] == package.pk and body["lesson_id"] == scorm.lesson.pk
    assert body["version"] == "1.2" and body["title"] == "An toàn thông tin cơ bản"
    assert body["items"] == [{"identifier": "ITEM-1", "title": "An toàn thông tin cơ bản", "depth": 0,
                              "is_sco": True, "href": "index.html", "mastery_score": 80.0,
                              "scaled_passing_score": None, "completion_threshold": None, "required": True}]
    assert body["completion_rule"] == "all" and body["grading_method"] == "highest"
    assert body["warnings"] == [] and body["uploads"] == 1 and body["file_count"] == 3
    assert body["size_bytes"] == sum(len(v) for v in scorm12_files().values())
    assert body["player_url"] == f"/learn/lessons/{scorm.lesson.pk}/scorm/"
    assert package.created_by_id == scorm.trainer.pk and package.course_id == scorm.course.pk
    assert Lesson.objects.get(pk=scorm.lesson.pk).activity_id == package.pk
    assert stored_files() == sorted(f"{package.package_key}/{name}" for name in scorm12_files())
    entry = AuditEntry.objects.get(verb="scorm.uploaded")
    assert entry.details["package_key"] == package.package_key
    r = as_user(api, scorm.trainee).get(url(scorm.lesson.pk))
    assert r.status_code == 200 and r.json() == {**body, "uploaded_at": r.json()["uploaded_at"]}


def test_a_2004_package_reports_its_passing_score_and_threshold(api, scorm):
    r = upload(as_user(api, scorm.trainer), scorm.lesson.pk,
               scorm2004_package(edition=3, scaled_passing_score=0.65, completion_threshold=0.75))
    assert r.status_code == 201, r.json()
    item = r.json()["items"][0]
    assert r.json()["version"] == "2004-3"
    assert (item["href"], item["scaled_passing_score"], item["completion_threshold"]) == \
        ("sco/index.html", 0.65, 0.75)


def test_a_package_with_a_not_required_sco_takes_the_required_rule(api, scorm):
    r = upload(as_user(api, scorm.trainer), scorm.lesson.pk, multi_sco_package())
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["completion_rule"] == "required"
    assert [(i["identifier"], i["depth"], i["is_sco"], i["required"]) for i in body["items"]] == [
        ("MODULE-1", 0, False, True), ("ITEM-1", 1, True, True), ("ITEM-2", 1, True, True),
        ("ITEM-3", 0, True, False)]


@pytest.mark.parametrize("case", sorted(MALICIOUS))
def test_every_refused_package_gives_its_code_names_the_culprit_and_writes_nothing(api, scorm, case):
    r = upload(as_user(api, scorm.trainer), scorm.lesson.pk, MALICIOUS[case]())
    assert r.status_code == 400, r.content
    body = r.json()
    if case == "not_zip_empty_file":  # the form field refuses an empty file before the service
        assert body["code"] == "invalid" and body["fields"]["file"], body
    else:
        assert body["code"] == expected_code(case), body
        assert body["message"] and body["fields"] == {"file": body["message"]}
    if expected_path(case):
        assert expected_path(case) in body["message"], body["message"]
    assert not ScormPackage.objects.exists()
    assert not AuditEntry.objects.filter(verb__startswith="scorm.").exists()
    assert stored_files() == []
    assert Lesson.objects.get(pk=scorm.lesson.pk).activity_id is None


def test_too_many_files_and_too_large_follow_the_settings(api, scorm, settings):
    settings.SCORM_MAX_FILES = 10
    r = upload(as_user(api, scorm.trainer), scorm.lesson.pk, TOO_MANY_FILES(20))
    assert r.status_code == 400 and r.json()["code"] == "too_many_files"
    assert "10" in r.json()["message"]
    settings.SCORM_MAX_FILES = 20000
    settings.SCORM_MAX_UPLOAD_MB = 1
    big = to_zip({**scorm12_files(), "video.mp4": bytes(range(256)) * 8192}, compression=0)
    r = upload(api, scorm.lesson.pk, big)
    assert r.status_code == 400 and r.json()["code"] == "too_large"
    assert stored_files() == [] and not ScormPackage.objects.exists()


@pytest.mark.parametrize(("language", "words"), [("vi", "imsmanifest.xml"), ("en", "must be at the top")])
def test_a_refusal_speaks_the_callers_language(api, scorm, language, words):
    r = as_user(api, scorm.trainer).post(
        url(scorm.lesson.pk),
        {"file": SimpleUploadedFile("c.zip", MALICIOUS["missing_manifest_in_folder"](), "application/zip")},
        format="multipart", HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 400 and r.json()["code"] == "missing_manifest"
    assert words in r.json()["message"] and "course/" in r.json()["message"]


def test_a_reupload_switches_folders_and_keeps_learners_attempts(api, scorm,
                                                                 django_capture_on_commit_callbacks):
    as_user(api, scorm.trainer)
    assert upload(api, scorm.lesson.pk, scorm12_package()).status_code == 201
    first = ScormPackage.objects.get()
    ScormAttempt.objects.create(user=scorm.trainee, lesson_id=scorm.lesson.pk, package_key=first.package_key,
                                sco="ITEM-1", score=0.9, completion_status="completed")
    ScormResult.objects.create(user=scorm.trainee, lesson_id=scorm.lesson.pk, attempts=1, score=0.9,
                               completed=True)
    with django_capture_on_commit_callbacks(execute=True):
        r = upload(api, scorm.lesson.pk, scorm2004_package(edition=4), grading_method="last")
    assert r.status_code == 201, r.json()
    second = ScormPackage.objects.get()
    assert second.pk == first.pk and second.package_key != first.package_key
    assert (second.version, second.uploads, second.grading_method) == ("2004-4", 2, "last")
    assert all(name.startswith(second.package_key + "/") for name in stored_files())  # old folder gone
    assert ScormAttempt.objects.filter(lesson_id=scorm.lesson.pk).count() == 1
    assert ScormResult.objects.get(user=scorm.trainee).score == 0.9
    # A refused re-upload changes nothing at all.
    before = stored_files()
    r = upload(api, scorm.lesson.pk, MALICIOUS["external_href"]())
    assert r.status_code == 400 and stored_files() == before
    assert ScormPackage.objects.get().package_key == second.package_key


def test_settings_change_and_removal(api, scorm, django_capture_on_commit_callbacks):
    as_user(api, scorm.trainer)
    assert upload(api, scorm.lesson.pk, multi_sco_package()).status_code == 201
    r = api.patch(url(scorm.lesson.pk), {"completion_rule": "all", "grading_method": "average"},
                  format="json")
    assert r.status_code == 200, r.json()
    assert (r.json()["completion_rule"], r.json()["grading_method"]) == ("all", "average")
    assert AuditEntry.objects.get(verb="scorm.settings_changed").details["completion_rule"] == "all"
    r = api.patch(url(scorm.lesson.pk), {"grading_method": "best"}, format="json")
    assert r.status_code == 400 and "grading_method" in r.json()["fields"]
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(url(scorm.lesson.pk)).status_code == 204
    assert not ScormPackage.objects.exists() and stored_files() == []
    assert Lesson.objects.get(pk=scorm.lesson.pk).activity_id is None
    assert AuditEntry.objects.filter(verb="scorm.removed").count() == 1
    r = api.get(url(scorm.lesson.pk))
    assert r.status_code == 409 and r.json()["code"] == "no_package"
    assert api.delete(url(scorm.lesson.pk)).status_code == 409


def test_only_a_trainer_of_the_course_writes_and_only_to_scorm_lessons(api, tree, scorm):
    trainee = as_user(api, scorm.trainee)
    assert upload(trainee, scorm.lesson.pk, scorm12_package()).status_code == 403
    assert trainee.patch(url(scorm.lesson.pk), {"grading_method": "last"}, format="json").status_code == 403
    assert trainee.delete(url(scorm.lesson.pk)).status_code == 403
    outsider = user_with_role(Role.TRAINER, tree["province"])
    assert upload(as_user(api, outsider), scorm.lesson.pk, scorm12_package()).status_code == 404
    text = Lesson.objects.create(course=scorm.course, module=scorm.lesson.module, kind="text", title="Bài")
    r = upload(as_user(api, scorm.trainer), text.pk, scorm12_package())
    assert r.status_code == 409 and r.json()["code"] == "not_scorm_lesson"
    r = as_user(api, scorm.trainer).post(url(scorm.lesson.pk), {}, format="multipart")
    assert r.status_code == 400 and "file" in r.json()["fields"]
    r = upload(api, scorm.lesson.pk, scorm12_package(), completion_rule="sometimes")
    assert r.status_code == 400 and "completion_rule" in r.json()["fields"]
    assert stored_files() == [] and not ScormPackage.objects.exists()


def test_reading_needs_enrolment_or_staff(api, tree, scorm):
    assert upload(as_user(api, scorm.trainer), scorm.lesson.pk, scorm12_package()).status_code == 201
    stranger = user_with_role(Role.TRAINEE, tree["ministry"])
    assert as_user(api, stranger).get(url(scorm.lesson.pk)).status_code == 404
    other_trainer = user_with_role(Role.TRAINER, tree["province"])
    assert as_user(api, other_trainer).get(url(scorm.lesson.pk)).status_code == 404
    api.force_authenticate(None)
    assert api.get(url(scorm.lesson.pk)).status_code in (401, 403)
