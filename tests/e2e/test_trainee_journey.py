"""Issue 7, journey 1, in real Chromium: the demo trainee finds the demo course by typing without
diacritics, enrols, reads every lesson, plays the H5P activity, takes the module quizzes, fails the
final quiz once and passes it the second time, sees 100 % on "my courses", downloads the
certificate PDF and opens its public verification page.

The right answers are read from the database (the questions the demo seeder stored), so the test
follows whatever the demo content says; the player shuffles questions and answers, so every answer
is found by its text, never by its position."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from assessments.demo import seed_quizzes
from assessments.models import Attempt, QuestionVersion, Quiz
from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from backend.accounts.text import search_key
from certificates.demo import seed_certificates
from certificates.models import Certificate
from courses import api as courses_api
from courses.demo import seed_course
from courses.demo_content import TITLE
from courses.h5p.demo import seed_h5p
from courses.models import Enrolment
from tests.e2e.conftest import ARTIFACTS, screenshot, sign_in

TRAINEE = "trainee@demo.local"
TRAINEE_NAME = "Nguyễn Thị Học"


def vietnamese(msgid: str) -> str:
    from django.utils import translation

    with translation.override("vi"):
        return translation.gettext(msgid)


@pytest.fixture
def demo(transactional_db, settings, live_server):
    settings.MFA_REQUIRED_ROLES = []
    settings.SITE_URL = live_server.url  # the verification link (also in the PDF) is absolute
    cache.clear()
    users = seed_accounts()
    course = seed_course(users)
    seed_h5p(users, course.pk)
    seed_quizzes(course.pk, users)
    seed_certificates()
    return users, course


# ---- quiz answering: one small function per question type --------------------------------------

def _choice(question, data, correct: bool) -> None:
    choices = data["choices"]
    right = [c["text"] for c in choices if c.get("fraction", 0) == 1]
    wrong = [c["text"] for c in choices if c.get("fraction", 0) != 1]
    question.get_by_label(right[0] if correct else wrong[0], exact=True).check()


def _multiple(question, data, correct: bool) -> None:
    for choice in data["choices"]:
        if (choice.get("fraction", 0) > 0) == correct:  # stored as fractions of the mark
            question.get_by_label(choice["text"], exact=True).check()


def _true_false(question, data, correct: bool) -> None:
    value = data["answer"] if correct else not data["answer"]
    question.locator(f"input[value={'true' if value else 'false'}]").check()


def _short(question, data, correct: bool) -> None:
    question.locator("input").fill(data["answers"][0]["text"] if correct else "không biết")


def _numerical(question, data, correct: bool) -> None:
    value = data["answers"][0]["value"]
    question.locator("input").fill(str(value if correct else value + 7))


def _matching(question, data, correct: bool) -> None:
    pairs = data["pairs"]
    rights = [p["right"] for p in pairs]
    if not correct:
        rights = rights[1:] + rights[:1]  # everyone gets the next person's office
    for pair, right in zip(pairs, rights, strict=True):
        question.get_by_label(pair["left"], exact=True).select_option(label=right)


def _ordering(question, data, correct: bool) -> None:
    items = [item["text"] for item in data["items"]]  # stored in the right order
    target = items if correct else items[::-1]
    rows = question.locator("ol.quiz-order li")
    for index, text in enumerate(target):
        current = [rows.nth(i).locator("span").inner_text() for i in range(rows.count())]
        for position in range(current.index(text), index, -1):
            rows.nth(position).locator("button").first.click()  # "up"
    # Shuffled uniformly, the order shown may already be the target: answer with it as it stands.
    question.locator(".quiz-keep-order").click()


ANSWER = {"single_choice": _choice, "multiple_choice": _multiple, "true_false": _true_false,
          "short_answer": _short, "numerical": _numerical, "matching": _matching,
          "ordering": _ordering}


def take_quiz(page, *, correct: bool, name: str) -> float:
    """From the quiz's start page: start, answer every question, submit; the attempt's percentage."""
    versions = {v.text: v for v in QuestionVersion.objects.all()}
    page.click("#start-quiz")
    page.wait_for_selector("#quiz-form:not([hidden])")
    questions = page.locator(".quiz-question")
    for i in range(questions.count()):
        question = questions.nth(i)
        version = versions[question.locator(".quiz-qtext").inner_text()]
        ANSWER[version.type](question, version.data, correct)
    page.wait_for_function("() => document.getElementById('quiz-unanswered').textContent === ''")
    page.wait_for_selector('#quiz-save[data-state="saved"]')
    screenshot(page, f"journey-{name}")
    page.click("#quiz-submit")
    page.wait_for_selector("#quiz-confirm[open]")
    page.click("#quiz-confirm-ok")
    page.wait_for_url("**/review/")
    attempt_id = int(page.url.rstrip("/").split("/")[-2])
    return Attempt.objects.get(pk=attempt_id).percentage


# ---- the journey, step by step -----------------------------------------------------------------

def find_and_enrol(page) -> None:
    page.goto("/courses/")
    words = search_key(TITLE).split()
    page.fill("#q", " ".join(words[:6]))  # "nang cao hieu qua cong tac ..." (no diacritics)
    assert "ô" not in page.locator("#q").input_value()
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    link = page.locator(".course-list h2 a", has_text=TITLE)
    expect(link).to_have_count(1)
    screenshot(page, "journey-catalogue")
    link.click()
    page.locator("main form[action$='/enrol/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def read_text_lesson(page, lesson_id: int) -> None:
    page.goto(f"/learn/lessons/{lesson_id}/")
    expect(page.locator(".lesson-body")).to_be_visible()
    page.click("form.complete button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".lesson-page .done")).to_be_visible()


def play_h5p(page, lesson_id: int) -> None:
    page.goto(f"/learn/lessons/{lesson_id}/")
    page.click(f"a[href='/learn/lessons/{lesson_id}/h5p/']")
    expect(page.locator("#h5p-container")).to_have_attribute("data-ready", "1")
    frame = page.frame_locator("#h5p-container iframe")
    frame.locator("button.ttdn-answer-yes").click()  # the demo question's answer is "yes"
    expect(page.locator("#h5p-status")).to_contain_text("100%")
    screenshot(page, "journey-h5p")


def open_quiz(page, lesson_id: int) -> None:
    page.goto(f"/learn/lessons/{lesson_id}/")
    page.click(f"a[href='/learn/lessons/{lesson_id}/quiz/']")
    page.wait_for_selector("h1")


def test_trainee_completes_the_demo_course_and_verifies_the_certificate(page, demo):
    users, course = demo
    trainee = users[TRAINEE]
    page.set_default_timeout(30_000)  # a long journey on a shared 2-core machine
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    sign_in(page, TRAINEE, DEMO_PASSWORD)
    find_and_enrol(page)
    assert Enrolment.objects.filter(course=course, user=trainee).exists()

    final = Quiz.objects.get(course_id=course.pk, pass_mark__isnull=False)
    for _module_id, _title, lessons in courses_api.module_lessons(course_id=course.pk):
        for lesson in lessons:
            if not lesson.required:
                continue
            if lesson.kind == "text":
                read_text_lesson(page, lesson.id)
            elif lesson.kind == "h5p":
                play_h5p(page, lesson.id)
            elif lesson.kind == "quiz" and lesson.id != final.lesson_id:
                open_quiz(page, lesson.id)
                assert take_quiz(page, correct=True, name="module-quiz") == 100.0

    # The final quiz: failed once, then passed; the course completes on the pass.
    open_quiz(page, final.lesson_id)
    assert take_quiz(page, correct=False, name="final-failed") < final.pass_mark
    assert not Enrolment.objects.get(course=course, user=trainee).completed_at
    screenshot(page, "journey-final-failed-review")
    open_quiz(page, final.lesson_id)
    assert take_quiz(page, correct=True, name="final-passed") == 100.0
    enrolment = Enrolment.objects.get(course=course, user=trainee)
    assert enrolment.completed_at is not None

    page.goto("/my/courses/")
    bar = page.locator(f".progress-bar[aria-label='{TITLE}']")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    screenshot(page, "journey-my-courses")

    certificate = Certificate.objects.get(user=trainee, course_id=course.pk)
    page.goto("/certificates/")
    item = page.locator("li.certificate", has_text=TITLE)
    expect(item).to_have_count(1)
    screenshot(page, "journey-my-certificates")
    screenshot(page, "journey-my-certificates", phone=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    with page.expect_download() as download_info:
        item.locator("a[download]").click()
    pdf = ARTIFACTS / "journey-certificate.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert TRAINEE_NAME in text

    item.locator("a[href*='/verify/']").click()
    page.wait_for_load_state("networkidle")
    assert certificate.code.replace("-", "") in page.url.replace("-", "")
    assert page.locator("[data-status=valid]").inner_text() == vietnamese("Valid")
    assert TRAINEE_NAME in page.content()
    screenshot(page, "journey-verified")
    assert errors == []
