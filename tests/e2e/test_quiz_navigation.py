"""The question navigation panel in real Chromium: in the attempt it shows answered, flagged and
current questions and moves the focus by keyboard; in the review it shows each outcome; both fit a
360 px phone."""

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from backend.accounts.models import Organisation, User
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course
from tests.e2e.conftest import screenshot, sign_in


def test_navigation_panel_in_the_attempt_and_the_review(page, transactional_db):
    seed_accounts()
    trainee = User.objects.get(email="trainee@demo.local")
    unit = Organisation.objects.get(pk=trainee.organisation_id)
    course, lesson = quiz_course(unit)
    _bank, questions = bank_with_questions(
        unit, ["single_choice", "multiple_choice", "true_false", "essay"])
    quiz = make_quiz(lesson, questions, review_correct="immediately")
    enrol(course, trainee)

    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)
    page.goto(f"/quiz/{quiz.pk}/")
    page.click("#start-quiz")
    page.wait_for_selector("#quiz-nav:not([hidden])")
    nav = page.locator("#quiz-nav-list .quiz-nav-item")
    assert nav.count() == 4
    assert page.locator('.quiz-question[data-type="single_choice"] .quiz-hint').count() == 1
    assert page.locator('.quiz-question[data-type="multiple_choice"] .quiz-hint').count() == 1

    # Keyboard: focus the third button, Enter moves to that question and marks it current.
    nav.nth(2).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('#question-3') !== null")
    assert nav.nth(2).get_attribute("aria-current") == "true"

    # Answering and flagging show on the panel (answered fills, flag marks).
    page.locator('.quiz-question[data-type="true_false"] input').first.check()
    position = page.locator('.quiz-question[data-type="true_false"]').get_attribute("id").split("-")[1]
    button = page.locator(f'#quiz-nav-list [data-position="{position}"]')
    page.wait_for_function(
        f"() => document.querySelector('#quiz-nav-list [data-position=\"{position}\"]')"
        ".dataset.answered === 'true'")
    page.locator('.quiz-question[data-type="essay"] .quiz-flag').click()
    essay = page.locator('.quiz-question[data-type="essay"]').get_attribute("id").split("-")[1]
    assert page.locator(f'#quiz-nav-list [data-position="{essay}"]').get_attribute("data-flagged") == "true"
    label = page.locator(f'#quiz-nav-list [data-position="{essay}"]').get_attribute("aria-label")
    assert "flagged" in label or "đánh dấu" in label
    assert button.get_attribute("data-answered") == "true"
    page.wait_for_selector('#quiz-save[data-state="saved"]')
    screenshot(page, "quiz-player-nav")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "quiz-player-nav", phone=True)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.click("#quiz-submit")
    page.wait_for_selector("#quiz-confirm[open]")
    page.click("#quiz-confirm-ok")
    page.wait_for_url("**/review/")
    outcomes = page.locator("#quiz-nav .quiz-nav-item")
    assert outcomes.count() == 4
    unanswered = page.locator('#quiz-nav .quiz-nav-item[data-outcome="unanswered"]')
    assert unanswered.count() == 3  # only true/false was answered
    # A review link jumps to its question.
    outcomes.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#question-1'")
    screenshot(page, "quiz-review-nav")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "quiz-review-nav", phone=True)
