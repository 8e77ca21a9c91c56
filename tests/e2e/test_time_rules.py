"""Time rules in real Chromium (decision 0061): a trainer gives one learner a time exception on a
quiz (found by typing a name without accents) and removes it after confirming; an administrator
sets a person's accommodation. Both pages are reached through links, speak Vietnamese and fit
360 px."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from assessments.models import QuizOverride
from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from backend.accounts.models import Accommodation, Organisation, User
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course
from tests.e2e import browsing, catalogue
from tests.e2e.conftest import screenshot, sign_in


def said(msgid: str) -> re.Pattern:
    """A phrase as the page shows it: its Vietnamese from the catalogue (or, on a branch whose
    strings still wait in locale/pending, from there)."""
    forms = {catalogue.vietnamese(msgid), catalogue.pending_translations().get(msgid, msgid)}
    return re.compile("|".join(re.escape(text) for text in forms))


def test_trainer_adds_and_removes_a_time_exception(page, transactional_db):
    users = seed_accounts()
    trainer, trainee = users["trainer@demo.local"], users["trainee@demo.local"]
    course, lesson = quiz_course(Organisation.objects.get(pk=trainer.organisation_id))
    _bank, questions = bank_with_questions(Organisation.objects.get(pk=trainer.organisation_id),
                                           ["true_false"])
    quiz = make_quiz(lesson, questions, time_limit_seconds=1800, max_attempts=1)
    enrol(course, trainee)

    sign_in(page, "trainer@demo.local", DEMO_PASSWORD)
    page.goto(f"/teach/lessons/{lesson.pk}/quiz/")
    page.click("#overrides-link")
    expect(page.locator("h1")).to_have_text(said("Time exceptions"))
    expect(page.locator("nav.au-crumbs [aria-current=page]")).to_have_text(said("Time exceptions"))
    page.fill("#id_q", "nguyen thi hoc")
    page.click("#person-search button[type=submit]")
    page.locator("#override-form input[name=user]").first.check()
    page.fill("#id_time_limit_minutes", "45")
    page.fill("#id_max_attempts", "2")
    page.click("#override-form button[type=submit]")
    expect(page.locator("#override-table")).to_contain_text("Nguyễn Thị Học")
    override = QuizOverride.objects.get(quiz=quiz, user=trainee)
    assert (override.time_limit_seconds, override.max_attempts) == (2700, 2)
    assert browsing.phone_overflow(page) is None
    screenshot(page, "quiz-overrides", phone=True)
    page.set_viewport_size({"width": 1280, "height": 800})

    # Removing asks first.
    page.locator("#override-table form button").click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    assert "Nguyễn Thị Học" in dialog.inner_text()
    dialog.locator("button[value=ok]").click()
    expect(page.locator("#no-overrides")).to_be_visible()
    assert not QuizOverride.objects.filter(quiz=quiz).exists()


def test_administrator_sets_an_accommodation(page, transactional_db):
    users = seed_accounts()
    trainee = users["trainee@demo.local"]
    sign_in(page, "admin@demo.local", DEMO_PASSWORD)
    page.goto(f"/manage/users/{trainee.pk}/")
    page.click("#accommodation-link")
    expect(page.locator("h1")).to_contain_text("Nguyễn Thị Học")
    expect(page.locator("nav.trail [aria-current=page]")).to_have_text(said("Time accommodation"))
    page.fill("#id_time_factor", "7")
    page.click("#accommodation-form button[type=submit]")
    expect(page.locator("#accommodation-form [role=alert]")).to_be_visible()
    assert not Accommodation.objects.filter(user=trainee).exists()
    assert browsing.phone_overflow(page) is None
    screenshot(page, "accommodation-form", phone=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.fill("#id_time_factor", "1,5")
    page.fill("#id_extra_attempts", "1")
    page.fill("#id_reason", "Khiếm thị")
    page.click("#accommodation-form button[type=submit]")
    page.wait_for_url(f"**/manage/users/{trainee.pk}/")
    row = Accommodation.objects.get(user=User.objects.get(pk=trainee.pk))
    assert (row.time_factor, row.extra_attempts, row.reason) == (Decimal("1.50"), 1, "Khiếm thị")
