"""Course covers on pages and in the API: set from the course form and by REST, refused with a
form error / 400 naming `cover`, served only for current covers, shown on catalogue cards."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from backend.accounts.models import Role, User
from courses.models import Course
from tests.courses.covers_helpers import picture
from tests.courses.factories import build_course
from tests.factories import user_with_role


@pytest.fixture
def trainer(tree):
    user = user_with_role(Role.TRAINER, tree["ministry"])
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def _settings_post(course, **extra):
    data = {"title": course.title, "summary": course.summary, "language": course.language,
            "completion_rule": course.completion_rule, "completion_percent": str(course.completion_percent),
            "version": str(course.version), "enrolment_opens_at": "", "enrolment_closes_at": "", "due_at": "",
            "self_enrolment": "on"}
    data.update(extra)
    return data


def test_the_course_form_sets_a_cover_that_is_served_and_shown(client, tree, trainer):
    course = build_course(tree["ministry"], title="Khóa có ảnh")
    client.force_login(trainer)
    response = client.post(reverse("authoring-settings", args=[course.pk]),
                           _settings_post(course, cover=picture()))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.cover and course.cover_small
    token = course.cover.rsplit("/", 1)[-1].removesuffix(".webp")
    served = client.get(f"/covers/{token}.webp")
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert "public" in served["Cache-Control"]
    catalogue = client.get("/courses/").content.decode()
    assert f'/covers/{token}.webp' in catalogue


def test_the_course_form_refuses_a_non_image_and_saves_nothing(client, tree, trainer):
    course = build_course(tree["ministry"], title="Tên cũ")
    client.force_login(trainer)
    response = client.post(reverse("authoring-settings", args=[course.pk]), _settings_post(
        course, title="Tên mới", cover=SimpleUploadedFile("x.png", b"%PDF-1.4 not a picture")))
    assert response.status_code == 200
    assert "cover" in response.context["form"].errors
    course.refresh_from_db()
    assert course.title == "Tên cũ" and not course.cover  # no half-write


def test_creating_a_course_with_a_refused_cover_creates_nothing(client, tree, trainer):
    client.force_login(trainer)
    response = client.post(reverse("authoring-create"), {
        "title": "Khóa mới", "language": "vi", "organisation": str(tree["ministry"].pk),
        "completion_rule": "all_required", "completion_percent": "100",
        "cover": SimpleUploadedFile("x.jpg", b"GIF89a but broken")})
    assert response.status_code == 200 and "cover" in response.context["form"].errors
    assert not Course.objects.filter(title="Khóa mới").exists()


def test_no_cover_shows_a_generated_pattern_without_style_attributes(client, tree, trainer):
    build_course(tree["ministry"], title="Khóa không ảnh")
    client.force_login(trainer)
    page = client.get("/courses/").content.decode()
    assert '<svg class="cover"' in page and "style=" not in page


def test_unknown_or_replaced_covers_are_not_served(client, tree):
    assert client.get("/covers/" + "0" * 32 + ".webp").status_code == 404
    assert client.get("/covers/..%2Fsecret.webp").status_code == 404


def test_rest_sets_and_removes_a_cover_and_refuses_non_images(api, tree, trainer):
    course = build_course(tree["ministry"])
    api.force_authenticate(User.objects.get(pk=trainer.pk))
    url = f"/api/v1/courses/{course.pk}/cover/"
    bad = api.post(url, {"cover": SimpleUploadedFile("x.png", b"nope")}, format="multipart",
                   HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "cover" in bad.json()["fields"]
    ok = api.post(url, {"cover": picture()}, format="multipart")
    assert ok.status_code == 200 and ok.json()["cover_url"].startswith("/covers/")
    assert api.get(f"/api/v1/courses/{course.pk}/").json()["cover_small_url"].startswith("/covers/")
    removed = api.delete(url)
    assert removed.status_code == 200 and removed.json()["cover_url"] is None


def test_rest_cover_needs_the_course_trainer(api, tree):
    course = build_course(tree["ministry"])
    trainee = user_with_role(Role.TRAINEE, tree["ministry"])
    api.force_authenticate(User.objects.get(pk=trainee.pk))
    response = api.post(f"/api/v1/courses/{course.pk}/cover/", {"cover": picture()}, format="multipart")
    assert response.status_code in (403, 404)
