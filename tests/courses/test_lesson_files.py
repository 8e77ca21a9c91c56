"""Lesson attachments and videos are private: served by GET /api/v1/lessons/{id}/file/ to whoever
may read the lesson (the lesson page's rule), under random storage names; /media/ serves nothing."""

import importlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches

from backend.accounts.models import Role, User
from courses import services
from courses.models import Lesson
from tests.courses.factories import build_course, enrol
from tests.factories import UserFactory, user_with_role

PDF = b"%PDF-1.4 ket luan 57"
VIDEO = bytes(range(256)) * 8


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk) if user else None)
    return api


def attach(lesson_id: int, name: str, data: bytes) -> Lesson:
    return services.lesson_attach_file(actor=None, lesson_id=lesson_id,
                                       upload=SimpleUploadedFile(name, data))


@pytest.fixture
def lessons(tree):
    course = build_course(tree["ministry"], modules=1, lessons=0, publish=False)
    module = course.modules.get()
    document = services.lesson_create(actor=None, module_id=module.pk, kind="file", title="Tài liệu")
    video = services.lesson_create(actor=None, module_id=module.pk, kind="video", title="Bài giảng")
    locked = services.lesson_create(actor=None, module_id=module.pk, kind="file", title="Sau",
                                    prerequisites=[document.pk])
    attach(document.pk, "Kết luận 57.pdf", PDF)
    attach(video.pk, "bai-giang.mp4", VIDEO)
    attach(locked.pk, "sau.pdf", PDF)
    services.course_publish(actor=None, course_id=course.pk)
    return {"course": course, "document": Lesson.objects.get(pk=document.pk),
            "video": Lesson.objects.get(pk=video.pk), "locked": Lesson.objects.get(pk=locked.pk)}


@pytest.fixture
def learner(tree, lessons):
    user = user_with_role(Role.TRAINEE, tree["mission"])
    enrol(lessons["course"], user)
    return user


def url(lesson, draft=False) -> str:
    return f"/api/v1/lessons/{lesson.pk}/file/" + ("?draft=true" if draft else "")


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_storage_names_are_random_and_forget_the_uploaded_name(lessons):
    assert re.fullmatch(r"courses/files/[0-9a-f]{32}\.pdf", lessons["document"].file.name)
    assert re.fullmatch(r"courses/videos/[0-9a-f]{32}\.mp4", lessons["video"].video_file.name)
    assert lessons["document"].file_name == "Kết luận 57.pdf"


def test_an_enrolled_learner_downloads_the_attachment_with_safe_headers(api, lessons, learner):
    response = as_user(api, learner).get(url(lessons["document"]))
    assert response.status_code == 200 and content(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Ket luan 57.pdf\"; filename*=UTF-8''K%E1%BA%BFt%20lu%E1%BA%ADn%2057.pdf")
    assert response["Cache-Control"].startswith("private")


def test_the_video_plays_inline_and_seeks(api, lessons, learner):
    as_user(api, learner)
    whole = api.get(url(lessons["video"]))
    assert whole["Content-Type"] == "video/mp4" and whole["Content-Disposition"].startswith("inline;")
    part = api.get(url(lessons["video"]), HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and content(part) == VIDEO[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(VIDEO)}"


def test_the_lesson_payload_points_at_the_checked_url(api, lessons, learner):
    body = as_user(api, learner).get(f"/api/v1/lessons/{lessons['document'].pk}/").json()
    assert body["file_url"] == url(lessons["document"])
    assert "/media/" not in str(body)


def test_anonymous_callers_get_nothing_and_pages_send_them_to_sign_in(api, client, lessons):
    response = api.get(url(lessons["document"]))
    assert response.status_code in (401, 403) and b"PDF" not in response.content
    page = client.get(f"/learn/lessons/{lessons['document'].pk}/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_other_units_and_the_not_enrolled_get_404(api, tree, lessons):
    outsider = user_with_role(Role.TRAINEE, tree["province"])  # cannot see the ministry's course
    same_unit = user_with_role(Role.TRAINEE, tree["mission"])  # sees it, is not enrolled
    other_trainer = user_with_role(Role.TRAINER, tree["province"])
    for user in (outsider, same_unit, other_trainer):
        response = as_user(api, user).get(url(lessons["document"]))
        assert response.status_code == 404, user
        assert response.json()["code"] == "not_found"


def test_a_locked_lesson_keeps_its_file_until_the_prerequisites_are_met(api, lessons, learner):
    response = as_user(api, learner).get(url(lessons["locked"]))
    assert (response.status_code, response.json()["code"]) == (409, "lesson_locked")


def test_staff_read_the_published_file_and_authors_the_draft(api, tree, lessons, learner):
    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    administrator = user_with_role(Role.ADMINISTRATOR, tree["ministry"])
    attach(lessons["document"].pk, "ban-moi.pdf", b"%PDF-1.4 draft")  # not published yet
    assert content(as_user(api, administrator).get(url(lessons["document"]))) == PDF
    draft = as_user(api, trainer).get(url(lessons["document"], draft=True))
    assert content(draft) == b"%PDF-1.4 draft" and "ban-moi.pdf" in draft["Content-Disposition"]
    # A learner asking for the draft still gets what was published.
    assert content(as_user(api, learner).get(url(lessons["document"], draft=True))) == PDF


def test_with_nginx_the_view_answers_with_an_internal_redirect_and_no_body(api, lessons, learner,
                                                                           settings):
    settings.PRIVATE_MEDIA_ACCEL = "nginx"
    response = as_user(api, learner).get(url(lessons["document"]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-media/" + lessons["document"].file.name
    assert response["Content-Disposition"].startswith("attachment;")
    denied = as_user(api, UserFactory()).get(url(lessons["document"]))
    assert denied.status_code == 404 and "X-Accel-Redirect" not in denied


@pytest.fixture
def debug_urls(settings):
    """The embedded default runs with DEBUG on: build the URLconf as `make run` does."""
    import backend.urls

    settings.DEBUG = True
    importlib.reload(backend.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(backend.urls)
    clear_url_caches()


def test_media_urls_serve_nothing_even_in_the_embedded_default(client, lessons, debug_urls):
    for name in (lessons["document"].file.name, lessons["video"].video_file.name):
        assert default_storage.exists(name)
        response = client.get(f"/media/{name}")
        assert response.status_code == 404 and PDF not in response.content


def test_files_stored_under_old_names_are_moved_to_random_ones(lessons, learner, api,
                                                               django_capture_on_commit_callbacks):
    rename = importlib.import_module(
        "courses.migrations.0003_rename_lesson_files_to_private_names").rename
    old = default_storage.save("courses/files/2026/11/ket-luan-57.pdf", ContentFile(PDF))
    lesson = lessons["document"]
    Lesson.objects.filter(pk=lesson.pk).update(file=old, published={**lesson.published, "file": old})

    from django.apps import apps

    with django_capture_on_commit_callbacks(execute=True):
        rename(apps, None)
    lesson.refresh_from_db()
    assert re.fullmatch(r"courses/files/[0-9a-f]{32}\.pdf", lesson.file.name)
    assert lesson.published["file"] == lesson.file.name
    assert not default_storage.exists(old)
    assert content(as_user(api, learner).get(url(lesson))) == PDF
