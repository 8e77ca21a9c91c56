"""The demo's H5P activity: seeded once, in Vietnamese, playable."""

from django.core.management import call_command

from courses.h5p import config
from courses.h5p.models import H5PContent
from courses.models import Course, Lesson


def test_demo_seeds_one_vietnamese_h5p_activity_once(db, settings):
    settings.DEMO_MODE = True
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)
    course = Course.objects.get()
    content = H5PContent.objects.get()
    lesson = Lesson.objects.get(kind="h5p")
    assert content.lesson_id == lesson.pk and content.course_id == course.pk
    assert lesson.published is not None and lesson.activity_id == content.pk
    published = [item["id"] for module in course.published["modules"] for item in module["lessons"]]
    assert lesson.pk in published
    assert content.language == "vi" and "57-KL/TW" in content.title
    assert content.created_by.email == "trainer@demo.local"
    text = (config.h5p_root() / "content" / content.content_key / "content.json").read_text(encoding="utf-8")
    assert "Bộ Chính trị" in text and "Đúng" in text
