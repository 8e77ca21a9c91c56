"""Issue 11, item 2, in real Chromium at 360 px: a trainee opens the course index drawer, goes
lesson → next → quiz → passes it and sees "course complete" with the certificate link, never
typing a URL after signing in (decision 0057)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from backend.accounts.api import organisation_get_by_code
from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from backend.accounts.models import Organisation
from certificates.demo import DEMO_UNIT, seed_certificates
from courses import services as course_services
from tests.assessments.factories import bank_with_questions, make_quiz
from tests.courses.factories import enrol
from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_trainee_journey import TRAINEE, vietnamese


@pytest.fixture
def course(transactional_db, settings, live_server):
    settings.MFA_REQUIRED_ROLES = []
    cache.clear()
    users = seed_accounts()
    seed_certificates()
    unit = organisation_get_by_code(DEMO_UNIT)
    course = course_services.course_create(actor=None, organisation_id=unit.id, self_enrolment=True,
                                           title="Kỹ năng phát ngôn", issues_certificate=True)
    module = course_services.module_create(actor=None, course_id=course.pk, title="Chuyên đề 1")
    course_services.lesson_create(actor=None, module_id=module.pk, kind="text", title="Bài mở đầu",
                                  body="<p>Nguyên tắc phát ngôn.</p>")
    course_services.lesson_create(actor=None, module_id=module.pk, kind="text", title="Tư liệu thêm",
                                  body="<p>Đọc thêm.</p>", required=False)
    quiz_lesson = course_services.lesson_create(actor=None, module_id=module.pk, kind="quiz",
                                                title="Bài kiểm tra cuối khóa")
    _bank, questions = bank_with_questions(Organisation.objects.get(code=DEMO_UNIT), ["true_false"])
    make_quiz(quiz_lesson, questions, pass_mark=70)
    course_services.course_publish(actor=None, course_id=course.pk)
    enrol(course, users[TRAINEE])
    return course


def _menu_link(page, href: str):
    """A link of the header menu; opens the phone menu first when the header has one."""
    link = page.locator(f"header a[href='{href}']").first
    if not link.is_visible():
        toggle = page.locator("header button[aria-expanded], header summary").first
        toggle.click()
    return link


def test_trainee_on_a_phone_goes_through_the_course_by_its_index(page, course):
    page.set_viewport_size({"width": 360, "height": 740})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, TRAINEE, DEMO_PASSWORD)

    _menu_link(page, "/my/courses/").click()
    page.get_by_role("link", name=vietnamese("Start learning")).first.click()
    expect(page.locator("h1")).to_have_text("Bài mở đầu")

    # The index is a closed drawer on a phone; opening it shows where the lesson sits.
    drawer = page.locator("details#course-index")
    expect(drawer).not_to_have_attribute("open", "")
    drawer.locator("summary").click()
    current = drawer.locator("a[aria-current=page]")
    expect(current).to_have_text("Bài mở đầu")
    expect(drawer.locator(".course-index-lesson", has_text="Tư liệu thêm")).to_contain_text(
        vietnamese("optional"))
    screenshot(page, "course-index-drawer", phone=True)
    drawer.locator("summary").click()

    page.click("form.complete button[type=submit]")
    # Next: the optional lesson (nothing is skipped), then the quiz.
    page.locator("a.course-pager-next").click()
    expect(page.locator("h1")).to_have_text("Tư liệu thêm")
    optional = vietnamese("Optional: it does not count towards completing the course.")
    expect(page.locator("#completion-hint")).to_have_text(optional)
    page.locator("a.course-pager-next").click()
    expect(page.locator("h1")).to_have_text("Bài kiểm tra cuối khóa")
    hint = vietnamese("Completed when you score at least %(mark)s %%.") % {"mark": "70"}
    expect(page.locator("#completion-hint")).to_have_text(hint)
    screenshot(page, "course-index-quiz-lesson", phone=True)

    page.locator("main a[href$='/quiz/']").click()
    page.click("#start-quiz")
    page.wait_for_selector("#quiz-form:not([hidden])")
    page.locator(".quiz-question input[value=true]").check()
    page.wait_for_selector('#quiz-save[data-state="saved"]')
    page.click("#quiz-submit")
    page.wait_for_selector("#quiz-confirm[open]")
    page.click("#quiz-confirm-ok")
    page.wait_for_url("**/review/")

    complete = page.locator("section.course-complete")
    expect(complete).to_be_visible()
    expect(complete).to_contain_text(vietnamese("You have completed the course."))
    link = complete.locator("#view-certificate")
    expect(link).to_have_text(vietnamese("View the certificate"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    screenshot(page, "course-complete-review", phone=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(page.locator("details#course-index")).to_have_attribute("open", "")
    screenshot(page, "course-complete-review")
    assert errors == []
