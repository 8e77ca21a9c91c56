"""The quiz player in real Chromium: start, answer all eight types, autosave shown (and retried
after a dropped connection), reload keeps
answers and the countdown continues from the server's deadline (a device clock moved an hour
back does not extend it), unanswered warning, confirm, submit, review."""

from assessments.models import Response
from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from backend.accounts.models import Organisation, User
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course
from tests.e2e.conftest import screenshot, sign_in

SHIFT_DATE_BACK = """
(() => {
  const RealDate = Date, shift = -3600 * 1000;
  class Shifted extends RealDate {
    constructor(...a) { if (a.length) { super(...a); } else { super(RealDate.now() + shift); } }
    static now() { return RealDate.now() + shift; }
  }
  window.Date = Shifted;
})();
"""


def _seconds(page) -> int:
    page.wait_for_function("() => document.getElementById('quiz-timer').dataset.seconds !== undefined")
    return int(page.locator("#quiz-timer").get_attribute("data-seconds"))


def test_trainee_takes_a_quiz_in_the_browser(page, transactional_db):
    seed_accounts()
    trainee = User.objects.get(email="trainee@demo.local")
    unit = Organisation.objects.get(pk=trainee.organisation_id)
    course, lesson = quiz_course(unit)
    _bank, questions = bank_with_questions(unit)
    quiz = make_quiz(lesson, questions, time_limit_seconds=600, review_correct="immediately")
    enrol(course, trainee)

    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)
    page.goto(f"/quiz/{quiz.pk}/")
    page.click("#start-quiz")
    page.wait_for_selector("#quiz-form:not([hidden])")
    assert page.locator(".quiz-question").count() == 8
    assert "1, 2, 3" in page.locator("#quiz-unanswered").inner_text()
    first_seconds = _seconds(page)
    assert 590 <= first_seconds <= 600

    q = lambda kind: page.locator(f'.quiz-question[data-type="{kind}"]')  # noqa: E731
    q("single_choice").get_by_label("Kết luận số 57-KL/TW").check()
    q("multiple_choice").get_by_label("Nhân lực").check()
    q("true_false").locator("input[value=true]").check()
    q("short_answer").locator("input").fill("câu trả lời")
    q("numerical").locator("input").fill("12,5")
    selects = q("matching").locator("select")
    for i in range(selects.count()):
        selects.nth(i).select_option(index=1)
    q("ordering").locator("button:not([disabled])").first.click()
    q("essay").locator("textarea").fill("Bài viết về thông tin đối ngoại")
    page.wait_for_selector('#quiz-save[data-state="saved"]')
    page.wait_for_function("() => document.getElementById('quiz-unanswered').textContent === ''")
    assert Response.objects.filter(attempt__quiz=quiz, answered=True).count() == 8
    screenshot(page, "quiz-player")

    # A dropped connection: the page says so and retries until the save goes through.
    def drop(route):
        route.abort() if route.request.method == "PATCH" else route.continue_()

    page.route("**/api/v1/attempts/*/", drop)
    q("short_answer").locator("input").fill("câu trả lời mới")
    page.wait_for_selector('#quiz-save[data-state="offline"]')
    page.unroute("**/api/v1/attempts/*/")
    page.wait_for_selector('#quiz-save[data-state="saved"]', timeout=20_000)
    assert Response.objects.get(attempt__quiz=quiz, version__type="short_answer").answer == "câu trả lời mới"

    # Reload with the device clock an hour behind: answers come back, the time does not.
    page.add_init_script(SHIFT_DATE_BACK)
    page.reload()
    page.wait_for_selector("#quiz-form:not([hidden])")
    assert q("essay").locator("textarea").input_value() == "Bài viết về thông tin đối ngoại"
    assert q("short_answer").locator("input").input_value() == "câu trả lời mới"
    assert q("true_false").locator("input[value=true]").is_checked()
    assert q("single_choice").get_by_label("Kết luận số 57-KL/TW").is_checked()
    after = _seconds(page)
    assert 0 < after <= first_seconds

    page.click("#quiz-submit")
    page.wait_for_selector("#quiz-confirm[open]")
    page.click("#quiz-confirm-ok")
    page.wait_for_url("**/review/")
    assert page.locator('[data-result="pending"]').count() == 1  # the essay awaits a trainer
    screenshot(page, "quiz-review")
    screenshot(page, "quiz-review", phone=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
