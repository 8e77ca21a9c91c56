"""Course covers: resize to the published widths, refuse what is not a picture, serve only
current covers, and a deterministic pattern when there is none."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backend.accounts.models import Role
from courses import services
from courses.covers import SIZES, cover_pattern, resize_cover
from tests.courses.covers_helpers import picture
from tests.courses.factories import build_course
from tests.factories import user_with_role


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_a_picture_is_resized_to_each_width_as_webp(fmt):
    out = resize_cover(picture(fmt))
    for name, size in SIZES.items():
        image = Image.open(io.BytesIO(out[name]))
        assert image.format == "WEBP" and image.size == size


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png"),
    SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg+xml"),
    SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%\xe2\xe3\n", content_type="application/pdf"),
])
def test_anything_else_is_refused_naming_the_field(upload):
    with pytest.raises(ValidationError) as exc:
        resize_cover(upload)
    assert list(exc.value.message_dict) == ["cover"]


def test_a_truncated_picture_is_refused():
    whole = picture("PNG").read()
    with pytest.raises(ValidationError):
        resize_cover(SimpleUploadedFile("x.png", whole[: len(whole) // 2]))


def test_too_large_a_file_is_refused(settings):
    settings.COURSES_COVER_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        resize_cover(picture())
    assert "cover" in exc.value.message_dict


def test_the_pattern_is_deterministic_and_differs_between_courses():
    assert cover_pattern(7, "Thông tin") == cover_pattern(7, "Thông tin")
    assert cover_pattern(7, "Thông tin") != cover_pattern(8, "Thông tin")
    assert cover_pattern(7, "  đối ngoại").initial == "Đ"


def test_setting_a_cover_stores_random_names_and_replaces_old_files(
        tree, django_capture_on_commit_callbacks):
    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    course = build_course(tree["ministry"])
    with django_capture_on_commit_callbacks(execute=True):
        first = services.course_set_cover(actor=trainer, course_id=course.pk, upload=picture())
    assert first.cover.startswith("courses/covers/") and first.cover.endswith(".webp")
    assert first.cover != first.cover_small and default_storage.exists(first.cover)
    old = first.cover
    with django_capture_on_commit_callbacks(execute=True):
        second = services.course_set_cover(actor=trainer, course_id=course.pk, upload=picture("JPEG"))
    assert second.cover != old and not default_storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        cleared = services.course_remove_cover(actor=trainer, course_id=course.pk)
    assert cleared.cover == "" and not default_storage.exists(second.cover)


def test_only_the_course_trainer_sets_a_cover(tree):
    outsider = user_with_role(Role.TRAINER, tree["province"])
    course = build_course(tree["ministry"])
    from backend.errors import DomainError

    with pytest.raises(DomainError):
        services.course_set_cover(actor=outsider, course_id=course.pk, upload=picture())
