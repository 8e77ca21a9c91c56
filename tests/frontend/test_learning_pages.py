"""Trainee learning pages through Django's test client (English UI, so no catalogue is needed):
catalogue search and filters, self-enrolment, my courses, outline, lesson kinds, completion."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from backend.accounts.models import Role
from courses import services
from courses.models import Enrolment, LessonProgress
from tests.courses.factories import build_course, enrol, lessons_in_order
from tests.factories import user_with_role


@pytest.fixture
def learner(tree, client):
    user = user_with_role(Role.TRAINEE, tree["mission"])
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    return user


def aria_now(html: str) -> list[int]:
    return [int(v) for v in re.findall(r'aria-valuenow="(\d+)"', html)]


def test_catalogue_searches_without_diacritics_and_filters(client, tree, learner):
    wanted = build_course(tree["central"], title="Thông tin đối ngoại trong tình hình mới")
    build_course(tree["central"], title="Kỹ năng phát ngôn", self_enrolment=False)
    build_course(tree["central"], title="Bản nháp chưa xuất bản", publish=False)
    build_course(tree["province"], title="Khóa của tỉnh khác")  # not open to the mission

    page = client.get("/courses/", {"q": "thong tin doi ngoai"}).content.decode()
    assert f'href="/courses/{wanted.pk}/"' in page
    assert "Kỹ năng phát ngôn" not in page
    listed = client.get("/courses/").content.decode()
    assert "Kỹ năng phát ngôn" in listed and "Bản nháp" not in listed and "tỉnh khác" not in listed
    assert "2 courses found" in listed
    open_only = client.get("/courses/", {"open": "1"}).content.decode()
    assert "Kỹ năng phát ngôn" not in open_only and "Thông tin đối ngoại" in open_only
    assert "Kỹ năng" not in client.get("/courses/", {"language": "en"}).content.decode()


def test_catalogue_paginates(client, tree, learner):
    for n in range(13):
        build_course(tree["central"], modules=1, lessons=1, title=f"Khóa {n:02d}")
    first = client.get("/courses/").content.decode()
    assert first.count('<li>\n    <h2>') == 12 and 'rel="next"' in first
    second = client.get("/courses/", {"page": 2}).content.decode()
    assert second.count('<li>\n    <h2>') == 1 and "Page 2 of 2" in second


def test_enrol_from_the_course_page_needs_post_and_csrf(tree, learner):
    from django.test import Client

    course = build_course(tree["central"], due_at=timezone.now() + dt.timedelta(days=30))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    page = strict.get(f"/courses/{course.pk}/").content.decode()
    assert "Enrol in this course" in page and "Due date" in page
    assert strict.get(f"/courses/{course.pk}/enrol/").status_code == 405
    assert strict.post(f"/courses/{course.pk}/enrol/").status_code == 403  # no CSRF token
    token = strict.cookies["csrftoken"].value
    response = strict.post(f"/courses/{course.pk}/enrol/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == f"/courses/{course.pk}/learn/"
    assert Enrolment.objects.get(user=learner, course=course).source == "self"
    assert "Go to the lessons" in strict.get(f"/courses/{course.pk}/").content.decode()


def test_course_without_self_enrolment_offers_no_button(client, tree, learner):
    course = build_course(tree["central"], self_enrolment=False)
    page = client.get(f"/courses/{course.pk}/").content.decode()
    assert "Enrol in this course" not in page and "ask your training officer" in page
    assert client.post(f"/courses/{course.pk}/enrol/").status_code == 302
    assert not Enrolment.objects.filter(user=learner).exists()


def test_hidden_and_unknown_courses_are_404(client, tree, learner):
    other = build_course(tree["province"])
    draft = build_course(tree["central"], publish=False)
    for course_id in (other.pk, draft.pk, 999999):
        assert client.get(f"/courses/{course_id}/").status_code == 404
        assert client.get(f"/courses/{course_id}/learn/").status_code == 404
        assert client.post(f"/courses/{course_id}/enrol/").status_code == 404


def test_outline_locks_in_order_and_completion_advances(client, tree, learner):
    course = build_course(tree["central"], modules=2, lessons=2, chain=True)
    enrol(course, learner)
    first, second, third, _fourth = lessons_in_order(course)

    outline = client.get(f"/courses/{course.pk}/learn/").content.decode()
    assert aria_now(outline) == [0]
    assert outline.count("status-locked") == 3 and "Complete first:" in outline
    assert f'class="button continue" href="/learn/lessons/{first.pk}/"' in outline
    assert f'href="/learn/lessons/{second.pk}/"' not in outline  # locked: no link

    locked = client.get(f"/learn/lessons/{second.pk}/")
    assert locked.status_code == 409
    assert "This lesson is locked" in locked.content.decode() and first.title in locked.content.decode()
    assert client.post(f"/learn/lessons/{second.pk}/complete/").status_code == 302
    assert not LessonProgress.objects.filter(lesson=second).exists()

    lesson = client.get(f"/learn/lessons/{first.pk}/").content.decode()
    assert "Nội dung bài 1.1" in lesson and "Mark as complete" in lesson
    assert 'rel="next"' not in lesson and "(locked)" in lesson
    done = client.post(f"/learn/lessons/{first.pk}/complete/", follow=True).content.decode()
    assert "Course progress: 25%" in done and "You have completed this lesson." in done
    assert f'href="/learn/lessons/{second.pk}/" rel="next"' in done
    assert 25 in aria_now(done)

    outline = client.get(f"/courses/{course.pk}/learn/").content.decode()
    assert aria_now(outline) == [25] and outline.count("status-locked") == 2
    assert f'class="button continue" href="/learn/lessons/{second.pk}/"' in outline
    mine = client.get("/my/courses/").content.decode()
    assert aria_now(mine) == [25] and f'href="/learn/lessons/{second.pk}/"' in mine
    assert "Continue where you left off" in mine
    third_page = client.get(f"/learn/lessons/{third.pk}/")
    assert third_page.status_code == 409


def test_finishing_every_lesson_completes_the_course(client, tree, learner):
    course = build_course(tree["central"], modules=1, lessons=2, chain=True)
    enrol(course, learner)
    for lesson in lessons_in_order(course):
        client.post(f"/learn/lessons/{lesson.pk}/complete/")
    page = client.get(f"/courses/{course.pk}/learn/").content.decode()
    assert aria_now(page) == [100] and "Course completed" in page and "button continue" not in page
    assert Enrolment.objects.get(user=learner).completed_at is not None
    assert "Review the lessons" in client.get("/my/courses/").content.decode()


def test_lesson_kinds_render(client, tree, learner):
    course = services.course_create(actor=None, organisation_id=tree["central"].pk, title="Các loại bài",
                                    self_enrolment=True)
    module = services.module_create(actor=None, course_id=course.pk, title="Chuyên đề")

    def lesson(kind, **fields):
        return services.lesson_create(actor=None, module_id=module.pk, kind=kind, title=kind, **fields)

    text = lesson("text", body='<p>Xin chào</p><script>alert(1)</script>')
    linked = lesson("video", video_url="https://video.example.org/watch?v=1")
    uploaded = lesson("video")
    services.lesson_attach_file(actor=None, lesson_id=uploaded.pk,
                                upload=SimpleUploadedFile("bai-giang.mp4", b"0" * 10))
    document = lesson("file")
    services.lesson_attach_file(actor=None, lesson_id=document.pk,
                                upload=SimpleUploadedFile("ket-luan-57.pdf", b"%PDF" + b"0" * 2044))
    quiz = lesson("quiz")
    h5p = lesson("h5p")
    services.course_publish(actor=None, course_id=course.pk)
    enrol(course, learner)

    body = client.get(f"/learn/lessons/{text.pk}/").content.decode()
    assert "<p>Xin chào</p>" in body and "<script>alert" not in body
    body = client.get(f"/learn/lessons/{linked.pk}/").content.decode()
    assert 'href="https://video.example.org/watch?v=1"' in body and 'rel="noopener noreferrer"' in body
    body = client.get(f"/learn/lessons/{uploaded.pk}/").content.decode()
    video_url = f"/api/v1/lessons/{uploaded.pk}/file/"
    assert f'<video controls preload="metadata" src="{video_url}"' in body
    assert b"".join(client.get(video_url).streaming_content) == b"0" * 10
    body = client.get(f"/learn/lessons/{document.pk}/").content.decode()
    assert "Download ket-luan-57.pdf (2.0\xa0KB)" in body and "Mark as complete" in body
    assert f'href="/api/v1/lessons/{document.pk}/file/" download="ket-luan-57.pdf"' in body
    hints = {text: "Completed when you have read it and mark it as complete.",
             linked: "Completed when you have watched it and mark it as complete.",
             quiz: "Completed when you submit the quiz and it is graded.",
             h5p: "Completed when you finish the activity."}
    for item, hint in hints.items():
        body = client.get(f"/learn/lessons/{item.pk}/").content.decode()
        assert f'id="completion-hint">{hint}</p>' in body
        assert ("Mark as complete" in body) == (item.kind in ("text", "video"))
    response = client.post(f"/learn/lessons/{quiz.pk}/complete/", follow=True)
    assert "completed by its activity" in response.content.decode()


def test_not_enrolled_learner_is_sent_to_the_course_page(client, tree, learner):
    course = build_course(tree["central"])
    response = client.get(f"/courses/{course.pk}/learn/")
    assert response.status_code == 302 and response["Location"] == f"/courses/{course.pk}/"
    first = lessons_in_order(course)[0]
    assert client.get(f"/learn/lessons/{first.pk}/").status_code == 404


def test_pages_need_sign_in(client, tree):
    course = build_course(tree["central"])
    for url in ("/courses/", f"/courses/{course.pk}/", "/my/courses/", f"/courses/{course.pk}/learn/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
