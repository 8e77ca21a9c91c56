"""Issue 7, journey 2, in Chromium: a trainer builds a small course with a quiz from a GIFT import
and publishes it; the trainee sees it.

The demo trainer creates a course, a module, a text lesson and a quiz lesson; creates a question
bank and imports a GIFT file of Vietnamese questions, one of them broken: the page lists the
error and imports nothing until "import the valid questions" is ticked. The trainer then sets up
the quiz (fixed questions from the bank, a pass mark) and publishes. The demo trainee signs in
in a new browser context, finds the course in the catalogue, enrols and opens the quiz start page.
"""

from assessments.models import Question, QuestionBank, Quiz
from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from courses.models import Course, Lesson
from tests.e2e.conftest import screenshot, sign_in

TITLE = "Thông tin đối ngoại: kiểm tra nhanh"
GIFT = """// Bộ câu hỏi Chuyên đề 1
$CATEGORY: Chuyên đề 1

::Câu 1:: Cơ quan nào chủ trì công tác thông tin đối ngoại ở Trung ương? {
=Ban Tuyên giáo Trung ương
~Bộ Tài chính#Không phải.
~Bộ Y tế
}

::Câu 2:: Kết luận số 57-KL/TW về thông tin đối ngoại được ban hành năm 2019. {TRUE}

::Câu hỏi lỗi:: Câu này thiếu dấu đóng ngoặc {=Đúng ~Sai

::Câu 3:: Ghép mỗi thủ đô với quốc gia. {
=Hà Nội -> Việt Nam
=Viêng Chăn -> Lào
=Phnôm Pênh -> Campuchia
}
"""


def _wide(page):
    page.set_viewport_size({"width": 1280, "height": 800})


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _add_lesson(page, title: str, kind: str) -> None:
    form = page.locator("form.au-add-lesson").first
    form.locator("input[name=title]").fill(title)
    form.locator("select[name=kind]").select_option(kind)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_trainer_builds_a_course_with_a_gift_quiz_and_the_trainee_opens_it(
        page, browser, live_server, transactional_db, settings, tmp_path):
    settings.MFA_REQUIRED_ROLES = []  # as in demo mode
    seed_accounts()
    sign_in(page, "trainer@demo.local", DEMO_PASSWORD)

    # 1. The course, a module, a text lesson and a quiz lesson (authoring pages).
    page.goto("/teach/")
    page.click("a[href='/teach/courses/new/']")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Năm câu hỏi ôn tập về công tác thông tin đối ngoại.")
    page.check("#id_self_enrolment")
    page.click("form.au-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    course = Course.objects.get(title=TITLE)
    page.fill("#new-module-title", "Chuyên đề 1: Tổng quan")
    page.click("form.au-add-module button[type=submit]")
    page.wait_for_load_state("networkidle")
    _add_lesson(page, "Bài 1: Giới thiệu", "text")
    page.locator("#body-editor .ql-editor").click()
    page.keyboard.type("Thông tin đối ngoại là một bộ phận quan trọng của công tác tư tưởng.")
    page.click("#lesson-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"/teach/courses/{course.pk}/")
    _add_lesson(page, "Bài 2: Kiểm tra nhanh", "quiz")
    quiz_lesson = Lesson.objects.get(course=course, kind="quiz")

    # 2. A bank, then the GIFT import: the broken question is reported and nothing is written.
    page.goto("/teach/")
    page.click("a[href='/teach/banks/']")
    page.fill("#id_title", "Ngân hàng Chuyên đề 1")
    page.click("#bank-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    bank = QuestionBank.objects.get(title="Ngân hàng Chuyên đề 1")
    assert page.url.endswith(f"/teach/banks/{bank.pk}/")
    page.click(f"a[href='/teach/banks/{bank.pk}/import/']")
    gift_file = tmp_path / "chuyen-de-1.gift.txt"
    gift_file.write_text(GIFT, encoding="utf-8")
    page.set_input_files("#id_file", str(gift_file))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    report = page.locator("#import-report")
    assert report.is_visible()
    assert "12" in report.inner_text()  # the line of the broken question
    assert "Khối đáp án chưa được đóng" in report.inner_text()  # the problem, in Vietnamese
    assert not Question.objects.filter(bank=bank).exists()
    screenshot(page, "quiz-authoring-import-report")
    screenshot(page, "quiz-authoring-import-report", phone=True)
    assert _fits(page)
    _wide(page)
    # The file's text is kept in the box: tick "import the valid questions" and send again.
    assert "Câu hỏi lỗi" in page.input_value("#id_text")
    page.check("#id_accept_errors")
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#import-result").is_visible()
    assert Question.objects.filter(bank=bank).count() == 3
    page.goto(f"/teach/banks/{bank.pk}/")
    assert "Cơ quan nào chủ trì công tác thông tin đối ngoại" in page.inner_text("#question-table")
    screenshot(page, "quiz-authoring-bank")
    screenshot(page, "quiz-authoring-bank", phone=True)
    assert _fits(page)
    _wide(page)
    # The editor of an imported question, with its preview as the trainee sees it.
    matching = Question.objects.get(bank=bank, type="matching")
    page.click(f"a[href='/teach/questions/{matching.pk}/']")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#pairs-2-left") == "Viêng Chăn"
    assert page.locator("#preview select").count() == 3
    screenshot(page, "quiz-authoring-question")
    screenshot(page, "quiz-authoring-question", phone=True)
    assert _fits(page)
    _wide(page)

    # 3. The quiz: from the lesson editor's link, fixed questions from the bank and a pass mark.
    page.goto(f"/teach/lessons/{quiz_lesson.pk}/")
    page.click(f"a[href='/teach/lessons/{quiz_lesson.pk}/quiz/']")
    page.wait_for_load_state("networkidle")
    assert page.locator("#no-quiz").is_visible()
    picker = page.locator("details.qa-pick").first
    if picker.get_attribute("open") is None:
        picker.locator("summary").click()
    boxes = picker.locator("input[name=add_question]")
    assert boxes.count() == 3
    for n in range(boxes.count()):
        boxes.nth(n).check()
    page.fill("#id_pass_mark", "60")
    page.fill("#id_max_attempts", "3")
    page.click("#quiz-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    quiz = Quiz.objects.get(lesson_id=quiz_lesson.pk)
    assert quiz.pass_mark == 60 and quiz.max_attempts == 3 and quiz.slots.count() == 3
    assert page.locator(".qa-slots tbody tr").count() == 3
    screenshot(page, "quiz-authoring-settings")
    screenshot(page, "quiz-authoring-settings", phone=True)
    assert _fits(page)
    _wide(page)

    # 4. Publish.
    page.goto(f"/teach/courses/{course.pk}/publish/")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    course.refresh_from_db()
    assert course.status == "published"

    # 5. The trainee, in a browser of their own: catalogue, enrol, the quiz start page.
    context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                  viewport={"width": 1280, "height": 800})
    trainee = context.new_page()
    trainee.set_default_timeout(15_000)
    try:
        sign_in(trainee, "trainee@demo.local", DEMO_PASSWORD)
        trainee.goto("/courses/")
        trainee.fill("#q", "kiem tra nhanh")  # accent-free search finds the Vietnamese title
        trainee.click("form.filters button[type=submit]")
        trainee.wait_for_load_state("networkidle")
        trainee.click(f"a[href='/courses/{course.pk}/']")
        trainee.wait_for_load_state("networkidle")
        trainee.click(f"form[action='/courses/{course.pk}/enrol/'] button[type=submit]")
        trainee.wait_for_load_state("networkidle")
        trainee.goto(f"/learn/lessons/{quiz_lesson.pk}/")
        trainee.click(f"a[href='/learn/lessons/{quiz_lesson.pk}/quiz/']")
        trainee.wait_for_load_state("networkidle")
        assert trainee.url.endswith(f"/quiz/{quiz.pk}/")
        assert trainee.locator("#start-quiz").is_visible()
        screenshot(trainee, "quiz-authoring-trainee-start")
        screenshot(trainee, "quiz-authoring-trainee-start", phone=True)
        assert _fits(trainee)
    finally:
        context.close()


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
