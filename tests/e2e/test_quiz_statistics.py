"""Chromium: a quiz's item statistics page draws its chart. (The trainer's journey, GIFT import
included, is in test_journeys.py.)"""

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from tests.e2e.conftest import screenshot, sign_in


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_item_statistics_page_draws_its_chart(page, transactional_db, settings):
    """The statistics of a quiz five trainees took: the table, and the chart drawn by Chart.js."""
    from django.utils import timezone

    from assessments import attempts
    from assessments.payloads import attempt_payload
    from backend.accounts.models import Organisation, Role, User
    from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course, right_answers
    from tests.factories import user_with_role

    settings.MFA_REQUIRED_ROLES = []
    seed_accounts()
    unit = Organisation.objects.get(code="btgtw")
    course, lesson = quiz_course(unit)
    _bank, questions = bank_with_questions(unit, ["single_choice", "true_false", "numerical", "matching"])
    quiz = make_quiz(lesson, questions)
    by_text = {q.current.text: q for q in questions}
    for n in range(5):
        user = User.objects.get(pk=user_with_role(Role.TRAINEE, unit).pk)
        enrol(course, user)
        start = attempts.attempt_start(user=user, quiz_id=quiz.pk)
        body = attempt_payload(start.attempt, start.responses, as_staff=False, now=timezone.now())
        attempts.attempt_submit(user=user, attempt_id=start.attempt.pk,
                                answers=right_answers(body, by_text)[:n])
    sign_in(page, "trainer@demo.local", DEMO_PASSWORD)
    page.goto(f"/teach/quizzes/{quiz.pk}/statistics/")
    assert page.inner_text("[data-stat=s]") == "5"
    assert page.locator("#item-table tbody tr").count() == 4
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-items') !== undefined")
    screenshot(page, "quiz-authoring-statistics")
    screenshot(page, "quiz-authoring-statistics", phone=True)
    assert _fits(page)
