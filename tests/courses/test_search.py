"""The catalogue finds a course by a phrase inside one of its lessons' text, accents and case
ignored: trainees search what was published, staff search the draft."""

import pytest

from backend.accounts.models import Role
from courses import services
from courses.models import Lesson
from courses.selectors import courses_visible_to
from tests.courses.factories import build_course
from tests.factories import user_with_role

PHRASE = "<p>Nghị quyết về <strong>công tác thông tin đối ngoại</strong> trong tình hình mới</p>"


@pytest.fixture
def course(tree):
    course = build_course(tree["central"], modules=1, lessons=1, title="Khoá học A", publish=False)
    lesson = Lesson.objects.get(course=course)
    services.lesson_update(actor=None, lesson_id=lesson.pk, body=PHRASE)
    services.course_publish(actor=None, course_id=course.pk)
    build_course(tree["central"], modules=1, lessons=1, title="Khoá học B")
    return course


def found(user, query) -> list[int]:
    return list(courses_visible_to(user, search=query).values_list("pk", flat=True))


@pytest.mark.parametrize("query", ["cong tac thong tin", "CÔNG TÁC thông tin đối ngoại",
                                   "tac thong tin doi"])
def test_a_phrase_inside_a_lesson_finds_its_course(trainee, course, query):
    assert found(trainee, query) == [course.pk]


def test_tags_are_not_text(trainee, course):
    assert found(trainee, "strong") == []


def test_trainees_search_the_published_text_staff_the_draft(tree, trainee, course):
    trainer = user_with_role(Role.TRAINER, tree["central"])
    lesson = Lesson.objects.get(course=course)
    services.lesson_update(actor=None, lesson_id=lesson.pk, body="<p>Báo chí quốc tế</p>")
    assert found(trainee, "thong tin doi ngoai") == [course.pk]     # still the published text
    assert found(trainee, "bao chi quoc te") == []
    assert found(trainer, "bao chi quoc te") == [course.pk]          # the draft
    assert found(trainer, "thong tin doi ngoai") == []
    services.course_publish(actor=None, course_id=course.pk)
    assert found(trainee, "bao chi quoc te") == [course.pk]
    assert found(trainee, "thong tin doi ngoai") == []


def test_a_deleted_lesson_no_longer_finds_the_course(tree, trainee, course):
    trainer = user_with_role(Role.TRAINER, tree["central"])
    services.lesson_create(actor=None, module_id=Lesson.objects.get(course=course).module_id,
                           kind="text", title="Bài thay thế", body="<p>Khác</p>")
    services.lesson_delete(actor=None, lesson_id=Lesson.objects.get(course=course, title="Bài 1.1").pk)
    assert found(trainer, "thong tin doi ngoai") == []
    services.course_publish(actor=None, course_id=course.pk)
    assert found(trainee, "thong tin doi ngoai") == []


def test_the_api_and_the_page_use_the_same_search(api, client, trainee, course):
    api.force_authenticate(trainee)
    listed = api.get("/api/v1/courses/", {"search": "thong tin doi ngoai"}).json()["results"]
    assert [c["id"] for c in listed] == [course.pk]
    client.force_login(trainee)
    page = client.get("/courses/", {"q": "thong tin doi ngoai"}).content.decode()
    assert f'href="/courses/{course.pk}/"' in page and "Khoá học B" not in page


def test_outlines_do_not_load_the_search_keys(course):
    lesson = Lesson.objects.get(course=course)
    assert {"search_key", "published_search_key"} <= lesson.get_deferred_fields()
