"""The course index and previous/next of learning pages (frontend/course_index.py), the
"course complete" message with its certificate link, and "continue" past optional lessons and
quizzes awaiting grading (decision 0057)."""

import re

import pytest
from django.utils import translation

from assessments import attempts
from assessments.payloads import attempt_payload
from backend.accounts.models import User
from certificates.models import Certificate, RenderStatus
from courses import services as course_services
from frontend.course_index import completion_hint, course_index
from tests.assessments.factories import bank_with_questions, make_quiz, right_answers
from tests.certificates.factories import certificate_course, complete, make_template
from tests.courses.factories import build_course, enrol, lessons_in_order


def _lesson(module_id, kind, title, **fields):
    return course_services.lesson_create(actor=None, module_id=module_id, kind=kind, title=title,
                                         **fields)


@pytest.fixture
def course(tree):
    """Module 1: reading (required), extra (optional), quiz (pass mark 70, with an essay);
    module 2: closing reading, locked until the quiz is completed."""
    course = course_services.course_create(actor=None, organisation_id=tree["ministry"].pk,
                                           title="Thông tin đối ngoại", self_enrolment=True)
    m1 = course_services.module_create(actor=None, course_id=course.pk, title="Chuyên đề 1")
    m2 = course_services.module_create(actor=None, course_id=course.pk, title="Chuyên đề 2")
    reading = _lesson(m1.pk, "text", "Bài đọc", body="<p>Nội dung</p>")
    extra = _lesson(m1.pk, "text", "Tư liệu thêm", body="<p>Thêm</p>", required=False)
    quiz_lesson = _lesson(m1.pk, "quiz", "Bài kiểm tra")
    closing = _lesson(m2.pk, "text", "Bài kết", body="<p>Kết</p>", prerequisites=[quiz_lesson.pk])
    _bank, questions = bank_with_questions(tree["ministry"], ["single_choice", "essay"])
    quiz = make_quiz(quiz_lesson, questions, pass_mark=70, review_correct="immediately")
    course_services.course_publish(actor=None, course_id=course.pk)
    return {"course": course, "reading": reading, "extra": extra, "quiz_lesson": quiz_lesson,
            "closing": closing, "quiz": quiz, "questions": questions}


@pytest.fixture
def learner(course, trainee, client):
    enrol(course["course"], trainee)
    trainee.language = "en"  # the saved language decides (decision 0050)
    trainee.save(update_fields=["language"])
    client.force_login(trainee)
    return User.objects.get(pk=trainee.pk)


def _submit(user, quiz, questions):
    """Answer every question right; the essay then waits for a trainer."""
    from django.utils import timezone

    start = attempts.attempt_start(user=user, quiz_id=quiz.pk)
    body = attempt_payload(start.attempt, start.responses, as_staff=False, now=timezone.now())
    answers = right_answers(body, {q.current.text: q for q in questions})
    attempts.attempt_submit(user=user, attempt_id=start.attempt.pk, answers=answers)
    return start.attempt.pk


@translation.override("en")
def test_completion_hints_say_what_completes_each_kind():
    assert completion_hint("quiz", required=True, pass_mark=70) == "Completed when you score at least 70 %."
    assert completion_hint("quiz", required=True, pass_mark=62.5) == (
        "Completed when you score at least 62.5 %.")
    with translation.override("vi"):
        assert "62,5 %" in completion_hint("quiz", required=True, pass_mark=62.5)
    assert "submit the quiz" in completion_hint("quiz", required=True)
    assert completion_hint("h5p", required=True) == "Completed when you finish the activity."
    assert "mark it as complete" in completion_hint("text", required=True)
    assert completion_hint("quiz", required=False, pass_mark=70).startswith("Optional")


@translation.override("en")
def test_index_marks_current_neighbours_and_why_next_is_locked(course, learner):
    nav = course_index(learner, lesson_id=course["quiz_lesson"].pk)
    titles = [[item["title"] for item in m["lessons"]] for m in nav["modules"]]
    assert titles == [["Bài đọc", "Tư liệu thêm", "Bài kiểm tra"], ["Bài kết"]]
    assert nav["current"]["id"] == course["quiz_lesson"].pk and nav["modules"][0]["current"]
    # Previous is the optional lesson right before: nothing the learner may open is skipped.
    assert nav["previous"]["id"] == course["extra"].pk and not nav["previous"]["locked"]
    assert nav["next"]["id"] == course["closing"].pk and nav["next"]["locked"]
    assert nav["next"]["waits_for"] == ["Bài kiểm tra"]
    assert nav["hint"] == "Completed when you score at least 70 %."
    assert not nav["completed"] and nav["certificate"] is None


def test_index_is_none_for_someone_not_enrolled(course, tree):
    from backend.accounts.models import Role
    from tests.factories import user_with_role

    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    assert course_index(trainer, lesson_id=course["reading"].pk) is None


def test_index_queries_do_not_grow_with_the_course(tree, trainee, django_assert_num_queries):
    small = build_course(tree["ministry"], modules=1, lessons=2)
    large = build_course(tree["ministry"], modules=6, lessons=8, chain=True)
    enrol(small, trainee)
    enrol(large, trainee)
    user = User.objects.get(pk=trainee.pk)
    for course in (small, large):
        lessons = lessons_in_order(course)
        complete_first = lessons[0]
        from courses import learning

        learning.lesson_complete(user=user, lesson_id=complete_first.pk)
        # lesson + course + enrolment (one read), statuses: two queries whatever the size.
        with django_assert_num_queries(2):
            nav = course_index(user, lesson_id=lessons[1].pk)
        assert len(nav["modules"]) in (1, 6)


def test_every_learning_page_has_the_index_and_previous_next(client, course, learner):
    reading, quiz_lesson = course["reading"], course["quiz_lesson"]
    quiz = course["quiz"]
    pages = {"lesson": f"/learn/lessons/{quiz_lesson.pk}/", "quiz start": f"/quiz/{quiz.pk}/"}
    start = client.post(f"/quiz/{quiz.pk}/start/")
    pages["attempt"] = start["Location"]
    for name, url in pages.items():
        body = client.get(url).content.decode()
        assert 'class="course-index"' in body, name
        assert re.search(rf'href="/learn/lessons/{quiz_lesson.pk}/" aria-current="page"', body), name
        assert 'class="course-pager"' in body and 'rel="prev"' in body, name
        assert "(locked). Complete first: Bài kiểm tra" in body, name
        if name != "attempt":  # the attempt page is the questions, nothing else
            assert "Completed when you score at least 70 %." in body, name
    attempt_id = int(start["Location"].rstrip("/").split("/")[-1])
    attempts.attempt_submit(user=learner, attempt_id=attempt_id, answers=[])
    body = client.get(f"/quiz/attempt/{attempt_id}/review/").content.decode()
    assert 'class="course-index"' in body and 'aria-current="page"' in body and 'class="course-pager"' in body
    # The first lesson: no previous lesson, the next one is open.
    body = client.get(f"/learn/lessons/{reading.pk}/").content.decode()
    assert 'rel="prev"' not in body and f'href="/learn/lessons/{course["extra"].pk}/" rel="next"' in body


def test_h5p_player_page_has_the_index(client, tree, trainee):
    course = course_services.course_create(actor=None, organisation_id=tree["ministry"].pk,
                                           title="H5P", self_enrolment=True)
    module = course_services.module_create(actor=None, course_id=course.pk, title="Chuyên đề")
    intro = _lesson(module.pk, "text", "Giới thiệu", body="<p>x</p>")
    h5p = _lesson(module.pk, "h5p", "Hoạt động")
    course_services.course_publish(actor=None, course_id=course.pk)
    enrol(course, trainee)
    trainee.language = "en"  # the saved language decides (decision 0050)
    trainee.save(update_fields=["language"])
    client.force_login(trainee)
    body = client.get(f"/learn/lessons/{h5p.pk}/h5p/").content.decode()
    assert f'href="/learn/lessons/{h5p.pk}/" aria-current="page"' in body
    assert f'href="/learn/lessons/{intro.pk}/" rel="prev"' in body
    assert "Completed when you finish the activity." in body
    assert 'sandbox="allow-scripts"' not in body or 'id="h5p-frame"' in body  # the frame is untouched


def test_essay_awaiting_grading_shows_and_continue_moves_past_it(client, course, learner):
    from courses import learning

    learning.lesson_complete(user=learner, lesson_id=course["reading"].pk)
    _submit(learner, course["quiz"], course["questions"])
    answer = client.get(f"/api/v1/courses/{course['course'].pk}/continue/").json()
    # The quiz waits for a trainer; the closing lesson stays locked; the optional one is offered.
    assert answer["lesson"]["id"] == course["extra"].pk
    outline = client.get(f"/courses/{course['course'].pk}/learn/").content.decode()
    assert "Awaiting grading" in outline
    nav = course_index(learner, lesson_id=course["quiz_lesson"].pk)
    assert nav["current"]["status"] == "awaiting_grading"
    # The REST outline keeps the stored status values.
    api = client.get(f"/api/v1/courses/{course['course'].pk}/outline/").json()
    statuses = {item["id"]: item["status"] for m in api["modules"] for item in m["lessons"]}
    assert statuses[course["quiz_lesson"].pk] == "in_progress"
    assert api["next_lesson_id"] == course["extra"].pk


def test_continue_skips_an_optional_lesson_while_a_required_one_is_open(client, course, learner):
    from courses import learning

    learning.lesson_complete(user=learner, lesson_id=course["reading"].pk)
    client.get(f"/learn/lessons/{course['extra'].pk}/")
    learning.lesson_track(user=learner, lesson_id=course["extra"].pk, time_spent_seconds=5)
    answer = client.get(f"/api/v1/courses/{course['course'].pk}/continue/").json()
    assert answer["lesson"]["id"] == course["quiz_lesson"].pk
    body = client.get("/my/courses/").content.decode()
    assert f'href="/learn/lessons/{course["quiz_lesson"].pk}/"' in body


@pytest.fixture
def cert_course(tree, trainee, client, django_capture_on_commit_callbacks):
    make_template(tree["ministry"])
    course = certificate_course(tree["ministry"])
    with django_capture_on_commit_callbacks(execute=True):
        complete(course, trainee)
    trainee.language = "en"  # the saved language decides (decision 0050)
    trainee.save(update_fields=["language"])
    client.force_login(trainee)
    return course


def test_completed_course_says_so_and_links_to_the_certificate(client, cert_course, trainee):
    lesson = lessons_in_order(cert_course)[0]
    Certificate.objects.filter(user_id=trainee.pk).update(render_status=RenderStatus.RENDERED)
    cert = Certificate.objects.get(user_id=trainee.pk)
    body = client.get(f"/learn/lessons/{lesson.pk}/").content.decode()
    assert "You have completed the course." in body
    assert f'href="/api/v1/certificates/{cert.pk}/pdf/" id="view-certificate">View the certificate' in body
    # Still being generated: say so and send to "my certificates".
    Certificate.objects.filter(user_id=trainee.pk).update(render_status=RenderStatus.PENDING)
    body = client.get(f"/learn/lessons/{lesson.pk}/").content.decode()
    assert "Your certificate is being generated" in body
    assert 'href="/certificates/" id="view-certificate"' in body
    # Course page, my courses and the outline offer the certificate, not "continue".
    for url in (f"/courses/{cert_course.pk}/", "/my/courses/", f"/courses/{cert_course.pk}/learn/"):
        page = client.get(url).content.decode()
        assert "View the certificate" in page and "Continue where you left off" not in page, url


def test_completed_course_without_certificates_offers_the_lessons(client, tree, trainee):
    course = build_course(tree["ministry"], modules=1, lessons=1)
    complete(course, trainee)
    trainee.language = "en"  # the saved language decides (decision 0050)
    trainee.save(update_fields=["language"])
    client.force_login(trainee)
    body = client.get(f"/learn/lessons/{lessons_in_order(course)[0].pk}/").content.decode()
    assert "You have completed the course." in body and "View the certificate" not in body
    assert "Review the lessons" in client.get("/my/courses/").content.decode()
