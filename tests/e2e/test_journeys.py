"""Issue 11's four journeys in real Chromium, with a French browser (locale fr-FR, Accept-Language
fr), at desktop (1280 x 800) and phone (360 x 740) width: the trainee, the trainer, the
administrator and an anonymous verifier.

After the one typed address (the sign-in page, or the welcome page for the verifier), every next
page is reached by clicking a link, a button or the header menu (on phones, behind its button):
`Journey` replaces `page.goto` and the test fails on any other typed address. Every page reached
must be Vietnamese (<html lang="vi">) despite the French browser, and fit 360 px on a phone.

Each journey seeds what it needs with the factories, in one fixture; answers and names are read
from what was seeded, never from positions (the quiz player shuffles)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from tests.e2e import english
from tests.e2e.browsing import DESKTOP, PHONE, settle, shown_text
from tests.e2e.catalogue import vietnamese
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_translations import content_text

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
# The pictures of docs/tour.md (`make tour-screenshots` writes them into docs/tour/).
TOUR = {"trainee-dashboard", "trainee-lesson-phone", "trainee-review", "trainee-certificates",
        "trainer-dashboard", "trainer-quiz-settings", "trainer-grading", "admin-cohort",
        "admin-report", "admin-certificates", "admin-certificates-phone", "admin-audit",
        "verify-revoked", "verify-valid-phone"}


def save_optimised(png: bytes, path: Path) -> None:
    """A screenshot as a small PNG: 64 colours (an adaptive palette keeps text crisp), optimised."""
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True)
TRAINEE, TRAINER, ADMIN = "trainee@demo.local", "trainer@demo.local", "admin@demo.local"


class Journey:
    """A tab that may be told an address once, then only clicks."""

    def __init__(self, page, phone: bool):
        self.page, self.phone = page, phone
        self.typed: list[str] = []
        self.visited: list[str] = []
        self.errors: list[str] = []
        self.typed_text = ""  # what the person typed or uploaded (shown back, not UI text)
        goto = page.goto

        def typed_goto(url, **options):
            self.typed.append(url)
            return goto(url, **options)

        page.goto = typed_goto
        page.on("framenavigated", lambda f: f == page.main_frame and self.visited.append(f.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def sign_in(self, email: str) -> None:
        page = self.page
        page.goto("/accounts/login/")
        self.check()
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", DEMO_PASSWORD)
        self.click(page.locator("main form button[type=submit]"))

    def click(self, locator) -> None:
        """Click what leads to another page and wait for that page."""
        locator.first.scroll_into_view_if_needed()
        with self.page.expect_navigation():
            locator.first.click()
        self.page.wait_for_load_state("load")
        self.check()

    def menu(self, label: str) -> None:
        """An entry of the header menu (opened with its button on a phone)."""
        page = self.page
        if self.phone:
            button = page.locator("summary.menu-button")
            expect(button).to_be_visible()
            if page.locator("details.site-menu[open]").count() == 0:
                button.click()
        self.click(page.locator(".site-nav a", has_text=vietnamese(label)))

    def check(self) -> None:
        """The page is Vietnamese, whatever the browser asked, with no English word on it (as
        test_no_english.py reads them, scripts' text included), and fits a phone's width."""
        page = self.page
        assert page.evaluate("document.documentElement.lang") == "vi", page.url
        found = english.english_words(shown_text(page), content=content_text() + self.typed_text)
        assert not found, f"{page.url}: English {found}"
        if self.phone:
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1] + 1, f"{page.url} scrolls sideways at 360 px: {width}"

    def shot(self, name: str) -> None:
        """The page as a test artefact; with TOUR_SCREENSHOTS set, the pictures of docs/tour.md
        (those named in TOUR) are also written there, one window high and optimised for size."""
        stem = f"{name}{'-phone' if self.phone else ''}"
        (ARTIFACTS / "journeys").mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / "journeys" / f"{stem}.png"), full_page=True)
        tour = os.environ.get("TOUR_SCREENSHOTS")
        if tour and stem in TOUR:
            self.page.wait_for_load_state("networkidle")
            settle(self.page, 300)  # charts drawn, drawers settled
            save_optimised(self.page.screenshot(), Path(tour) / f"{stem}.png")

    def done(self, first: str = "/accounts/login/") -> None:
        assert self.typed == [first], f"addresses typed after {first}: {self.typed[1:]}"
        origin = self.page.url.split("/")[2]
        assert all(url.split("/")[2] == origin for url in self.visited), self.visited
        assert self.errors == []


@pytest.fixture(params=list(VIEWPORTS))
def journey(request, browser, live_server, transactional_db, settings):
    settings.MFA_REQUIRED_ROLES = []  # as in demo mode
    settings.SITE_URL = live_server.url  # the verification link (and QR) is absolute
    cache.clear()
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[request.param],
                                  locale="fr-FR",
                                  extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Journey(page, phone=request.param == "phone")
    page.goto("about:blank")
    context.close()


# ---- the trainee ----------------------------------------------------------------------------

@pytest.fixture
def trainee_world(transactional_db):
    """A course of two readings, an optional one and a final quiz (pass mark 50 %) that awards a
    certificate, open to self-enrolment (the demo trainee is not enrolled yet)."""
    from assessments import services as assessments_services
    from courses import services as course_services
    from tests.assessments.factories import make_quiz
    from tests.certificates.factories import make_template

    users = seed_accounts()
    unit = users[ADMIN].organisation
    make_template(unit)
    course = course_services.course_create(actor=None, organisation_id=unit.pk,
                                           title="Kỹ năng phát ngôn đối ngoại", self_enrolment=True,
                                           issues_certificate=True)
    module = course_services.module_create(actor=None, course_id=course.pk, title="Chuyên đề 1")
    readings = [course_services.lesson_create(actor=None, module_id=module.pk, kind="text",
                                              title=f"Bài {n}", body=f"<p>Nội dung bài {n}.</p>")
                for n in (1, 2)]
    course_services.lesson_create(actor=None, module_id=module.pk, kind="text", title="Tư liệu thêm",
                                  body="<p>Đọc thêm.</p>", required=False)
    quiz_lesson = course_services.lesson_create(actor=None, module_id=module.pk, kind="quiz",
                                                title="Bài kiểm tra cuối khóa")
    course_services.course_publish(actor=None, course_id=course.pk)
    bank = assessments_services.bank_create(actor=None, title="Ngân hàng phát ngôn",
                                            organisation=unit.code)
    questions = [assessments_services.question_create(
        actor=None, bank_id=bank.pk, bank=bank, type=kind, title="", text=text, data=data,
        category="Chung", tags=[]) for kind, text, data in QUESTIONS]
    quiz = make_quiz(quiz_lesson, questions, title="Kiểm tra cuối khóa", pass_mark=50)
    return {"course": course, "readings": readings, "quiz": quiz, "trainee": users[TRAINEE]}


QUESTIONS = [
    ("single_choice", "Văn bản nào định hướng công tác thông tin đối ngoại đến năm 2030?",
     {"choices": [{"text": "Kết luận số 57-KL/TW", "fraction": 1,
                   "feedback": "Đúng: Kết luận số 57-KL/TW của Bộ Chính trị (2019)."},
                  {"text": "Chỉ thị số 2", "feedback": "Chưa đúng: hãy xem lại Bài 1."}],
      "general_feedback": "Kết luận 57-KL/TW về tiếp tục nâng cao chất lượng, hiệu quả công tác "
                          "thông tin đối ngoại trong tình hình mới."}),
    ("true_false", "Thông tin đối ngoại là nhiệm vụ của cả hệ thống chính trị.",
     {"answer": True, "general_feedback": "Mọi cơ quan, đơn vị đều tham gia."}),
]


def _answer(question, *, rightly: bool) -> None:
    if question.locator("input[value=true]").count():  # true / false
        question.locator(f"input[value={'true' if rightly else 'false'}]").check()
    else:
        choice = "Kết luận số 57-KL/TW" if rightly else "Chỉ thị số 2"
        question.get_by_label(choice, exact=True).check()


def _take_quiz(j, *, rightly: bool) -> None:
    """From the quiz's start page: start, answer every question, submit (it asks), the review."""
    page = j.page
    page.click("#start-quiz")
    page.wait_for_selector("#quiz-form:not([hidden])")
    j.check()
    questions = page.locator(".quiz-question")
    for n in range(questions.count()):
        _answer(questions.nth(n), rightly=rightly)
    page.wait_for_selector('#quiz-save[data-state="saved"]')
    if rightly:
        j.shot("trainee-quiz")
    page.click("#quiz-submit")
    page.wait_for_selector("#quiz-confirm[open]")
    with page.expect_navigation(url="**/review/"):
        page.click("#quiz-confirm-ok")
    j.check()


def test_trainee_continues_passes_the_quiz_and_gets_the_certificate(journey, trainee_world):
    from certificates.models import Certificate

    j, page = journey, journey.page
    course, (first, second) = trainee_world["course"], trainee_world["readings"]
    j.sign_in(TRAINEE)

    # Nothing to learn yet: the start page leads to the catalogue, which finds the course typed
    # without accents; enrol.
    j.click(page.locator(".empty a", has_text=vietnamese("Open the course catalogue")))
    page.fill("#q", "ky nang phat ngon")
    j.click(page.locator("form.filters button[type=submit]"))
    j.click(page.get_by_role("link", name=course.title, exact=True))
    j.click(page.locator(f"main form[action$='/courses/{course.pk}/enrol/'] button[type=submit]"))

    # The start page's card opens the next lesson to do; later, the one after the one read.
    j.menu("Start")
    card = page.locator(".dash-cards li", has_text=course.title)
    j.click(card.locator("a.button", has_text=vietnamese("Start learning")))
    assert page.url.endswith(f"/learn/lessons/{first.pk}/")
    j.click(page.locator("form.complete button[type=submit]"))
    j.menu("Start")
    j.shot("trainee-dashboard")
    j.click(card.locator("a.button", has_text=vietnamese("Continue learning")))
    assert page.url.endswith(f"/learn/lessons/{second.pk}/")

    # Where the lesson sits: the course index, a sidebar on desktop, a closed drawer on a phone.
    index = page.locator("details#course-index")
    if j.phone:
        expect(index).not_to_have_attribute("open", "")
        index.locator("summary").click()
    else:
        expect(index).to_have_attribute("open", "")
    expect(index.locator("a[aria-current=page]")).to_have_text("Bài 2")
    expect(index.locator(".course-index-lesson", has_text="Tư liệu thêm")).to_contain_text(
        vietnamese("optional"))
    if j.phone:
        index.locator("summary").click()
    j.click(page.locator("form.complete button[type=submit]"))
    expect(page.locator(".lesson-page .done")).to_be_visible()
    j.shot("trainee-lesson")

    # Next: the optional reading (nothing is skipped; it says it does not count), then the quiz
    # lesson, which says what completes it.
    j.click(page.locator("a.course-pager-next"))
    expect(page.locator("#completion-hint")).to_have_text(
        vietnamese("Optional: it does not count towards completing the course."))
    j.click(page.locator("a.course-pager-next"))
    expect(page.locator("#completion-hint")).to_have_text(
        vietnamese("Completed when you score at least %(mark)s %%.") % {"mark": "50"})
    j.click(page.locator("main a.button", has_text=vietnamese("Open the quiz")))

    # The quiz: failed once (the course is not complete), then passed from the same page.
    _take_quiz(j, rightly=False)
    expect(page.locator("[data-result=failed]")).to_be_visible()
    assert page.locator(".quiz-question[data-outcome=incorrect]").count() == 2
    expect(page.locator(".course-complete")).to_have_count(0)
    j.click(page.locator("main a", has_text=vietnamese("Back to the quiz")))
    _take_quiz(j, rightly=True)
    expect(page.locator("[data-result=passed]")).to_be_visible()
    assert page.locator(".quiz-question[data-outcome=correct]").count() == 2

    # The course is complete: the page says so and leads to the certificate.
    expect(page.locator(".course-complete")).to_contain_text(vietnamese("You have completed the course."))
    j.shot("trainee-review")
    certificate = Certificate.objects.get(user=trainee_world["trainee"], course_id=course.pk)
    view = page.locator("#view-certificate")
    assert view.inner_text().strip() == "Xem giấy chứng nhận"
    with page.expect_download() as download:
        view.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    j.click(page.locator(".course-complete a", has_text=vietnamese("My certificates")))
    item = page.locator("li.certificate", has_text=course.title)
    expect(item).to_have_count(1)
    j.shot("trainee-certificates")
    with page.expect_download() as download:
        item.locator("a[download][href$='/pdf/']").click()
    pdf = Path(download.value.path())
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Nguyễn Thị Học" in text and course.title in " ".join(text.split())
    # ...and the same certificate as a signed Open Badges credential.
    with page.expect_download() as download:
        item.locator("a[download][href*='/credential/']").click()
    credential = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"

    # Its verification link (the QR code's address) says it is valid.
    j.click(item.locator("a[href*='/verify/']"))
    assert page.locator("[data-status=valid]").inner_text() == vietnamese("Valid")
    assert certificate.serial in page.inner_text("main")
    j.done()


# ---- the trainer ----------------------------------------------------------------------------

@pytest.fixture
def trainer_world(transactional_db):
    """A published course of the trainer's unit whose essay the demo trainee submitted (one essay
    waits for a grade)."""
    from tests.assessments.factories import essay_submitted

    users = seed_accounts()
    course, quiz = essay_submitted({"ministry": users[TRAINER].organisation}, users[TRAINEE])
    return {"essay_course": course, "essay_quiz": quiz}


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
BANK = "Ngân hàng Chuyên đề 1"


def _add_lesson(j, title: str, kind: str) -> None:
    form = j.page.locator("form.au-add-lesson").first
    form.locator("input[name=title]").fill(title)
    form.locator("select[name=kind]").select_option(kind)
    j.click(form.locator("button[type=submit]"))


def test_trainer_builds_publishes_follows_and_grades(journey, trainer_world, tmp_path):
    from assessments.models import Question, QuestionBank, Quiz, Response
    from courses.models import Course, Lesson

    j, page = journey, journey.page
    title = "Thông tin đối ngoại: kiểm tra nhanh"
    j.sign_in(TRAINER)
    j.shot("trainer-dashboard")

    # A question bank from a GIFT file: the broken question is reported (line, in Vietnamese)
    # and nothing is written until "import the valid questions" is ticked.
    j.menu("Teaching")
    j.click(page.locator("main a.button", has_text=vietnamese("Question banks")))
    page.fill("#id_title", BANK)
    j.click(page.locator("#bank-form button[type=submit]"))
    bank = QuestionBank.objects.get(title=BANK)
    j.click(page.locator(f"a[href='/teach/banks/{bank.pk}/import/']"))
    gift_file = tmp_path / "chuyen-de-1.gift.txt"
    gift_file.write_text(GIFT, encoding="utf-8")
    j.typed_text += GIFT  # the page shows the file back
    page.set_input_files("#id_file", str(gift_file))
    j.click(page.locator("#import-form button[type=submit]"))
    report = page.locator("#import-report")
    expect(report).to_contain_text("Khối đáp án chưa được đóng")
    assert "12" in report.inner_text()  # the line of the broken question
    assert not Question.objects.filter(bank=bank).exists()
    page.check("#id_accept_errors")
    j.click(page.locator("#import-form button[type=submit]"))
    expect(page.locator("#import-result")).to_be_visible()
    assert Question.objects.filter(bank=bank).count() == 3

    # A new course from the menu, a module, a text lesson.
    j.menu("Teaching")
    j.click(page.locator("main a", has_text=vietnamese("New course")))
    page.fill("#id_title", title)
    page.fill("#id_summary", "Ba câu hỏi ôn tập về công tác thông tin đối ngoại.")
    page.check("#id_self_enrolment")
    j.click(page.locator("form.au-form button[type=submit]"))
    course = Course.objects.get(title=title)
    page.fill("#new-module-title", "Chuyên đề 1: Tổng quan")
    j.click(page.locator("form.au-add-module button[type=submit]"))
    _add_lesson(j, "Bài 1: Giới thiệu", "text")
    page.locator("#body-editor .ql-editor").click()
    page.keyboard.type("Thông tin đối ngoại là một bộ phận quan trọng của công tác tư tưởng.")
    j.click(page.locator("#lesson-form button[type=submit]"))
    j.click(page.locator(".au-crumbs a, nav a", has_text=vietnamese("Structure")))

    # A quiz lesson and its quiz: questions picked from the bank, a pass mark.
    _add_lesson(j, "Bài 2: Kiểm tra nhanh", "quiz")
    quiz_lesson = Lesson.objects.get(course=course, kind="quiz")
    if f"/teach/lessons/{quiz_lesson.pk}/" not in page.url:
        j.click(page.locator(f"a[href='/teach/lessons/{quiz_lesson.pk}/']"))
    j.click(page.locator("main a", has_text=vietnamese("Edit the quiz")))
    picker = page.locator("details.qa-pick", has_text=BANK).first
    if picker.get_attribute("open") is None:
        picker.locator("summary").click()
    boxes = picker.locator("input[name=add_question]")
    assert boxes.count() == 3
    for n in range(3):
        boxes.nth(n).check()
    page.fill("#id_pass_mark", "60")
    j.click(page.locator("#quiz-form button[type=submit]"))
    quiz = Quiz.objects.get(lesson_id=quiz_lesson.pk)
    assert quiz.slots.count() == 3 and quiz.pass_mark == 60
    j.shot("trainer-quiz-settings")

    # Publish, from the course's tabs.
    j.click(page.locator("a", has_text=title).first)  # back to the course (its crumb)
    j.click(page.locator("main a", has_text=vietnamese("Publish")).first)
    j.click(page.locator("main form button[type=submit]", has_text=vietnamese("Yes, publish now")))
    course.refresh_from_db()
    assert course.status == "published"

    # Learners' progress of the course already running, from the dashboard.
    essay_course = trainer_world["essay_course"]
    j.menu("Start")
    row = page.locator(".dash-section tr", has=page.get_by_role(
        "link", name=essay_course.title, exact=True))
    j.click(row.locator("a[href$='/analytics/']"))
    expect(page.locator("#kpi-enrolled")).to_have_text("1")
    j.shot("trainer-analytics")

    # The essay waiting for a grade: the dashboard's count links to the grading queue.
    j.menu("Start")
    j.click(page.locator(".dash-section", has_text=vietnamese("Grading to do")).locator(
        "a", has_text=trainer_world["essay_quiz"].title))
    expect(page.locator(".site-nav a[aria-current]")).to_have_text(vietnamese("Teaching"))
    item = page.locator(".grading-item").first
    item.locator("input[name=mark]").fill("0,8")  # a decimal comma, as written in Vietnamese
    item.locator("textarea[name=feedback]").fill("Bài viết rõ ý, cần thêm dẫn chứng.")
    j.shot("trainer-grading")
    j.click(item.locator("button[type=submit]"))
    expect(page.locator(".messages")).to_contain_text(vietnamese("Grade saved."))
    assert Response.objects.filter(attempt__quiz=trainer_world["essay_quiz"],
                                   graded_at__isnull=False).count() == 1
    expect(page.locator("#grading-empty")).to_be_visible()
    j.done()


# ---- the administrator ----------------------------------------------------------------------

@pytest.fixture
def admin_world(transactional_db):
    """A published course of the administrator's unit that awards certificates (its unit's
    template is made once the learners are through, so nothing is issued before the bulk issue)."""
    from tests.certificates.factories import certificate_course

    users = seed_accounts()
    unit = users[ADMIN].organisation
    return {"users": users, "unit": unit,
            "course": certificate_course(unit, title="Kỹ năng phát ngôn đối ngoại")}


CSV = ("email,full_name,organisation,role,cohort\n"
       "le.thu@mofa.gov.vn,Lê Thị Thu,dsq-phap,trainee,\n"
       "sai-dia-chi,Sai Địa Chỉ,dsq-phap,trainee,\n")


def _option_label(select, text: str) -> str:
    """The label of the <option> naming `text` (units are indented with spaces in pickers)."""
    return next(o.strip("\n") for o in select.locator("option").all_inner_texts() if text in o)


def test_administrator_manages_people_cohorts_enrolments_and_certificates(journey, admin_world,
                                                                          tmp_path):
    from backend.accounts.models import Cohort, User
    from certificates.models import Certificate
    from courses.models import Enrolment
    from tests.certificates.factories import complete

    j, page = journey, journey.page
    course, unit = admin_world["course"], admin_world["unit"]
    j.sign_in(ADMIN)
    j.shot("admin-dashboard")

    # People: a new person, a change of unit, deactivated then reactivated.
    j.menu("Administration")
    j.click(page.locator(".admin-nav a", has_text=vietnamese("Users")))
    j.click(page.locator("main a.button", has_text=vietnamese("Add a user")))
    page.fill("input[name=email]", "pham.duc@mofa.gov.vn")
    page.fill("input[name=full_name]", "Phạm Văn Đức")
    unit_select = page.locator("select[name=organisation]")
    unit_select.select_option(label=_option_label(unit_select, unit.name))
    j.click(page.locator("main form button[type=submit]"))
    person = User.objects.get(email="pham.duc@mofa.gov.vn")
    assert page.url.endswith(f"/manage/users/{person.pk}/")
    j.click(page.locator("main a", has_text=vietnamese("Edit the details")))
    unit_select = page.locator("select[name=organisation]")
    unit_select.select_option(label=_option_label(unit_select, "Bộ Ngoại giao"))
    j.click(page.locator("main form button[type=submit]"))
    person.refresh_from_db()
    assert person.organisation.name == "Bộ Ngoại giao"
    j.click(page.locator("main a", has_text=vietnamese("Deactivate the account")))
    page.fill("textarea[name=reason]", "Tạm nghỉ công tác")
    j.click(page.locator("#deactivate-form button[type=submit]"))
    expect(page.locator(".badge-off")).to_be_visible()
    assert not User.objects.get(pk=person.pk).is_active
    j.click(page.locator("main button", has_text=vietnamese("Reactivate the account")))
    expect(page.locator(".badge-off")).to_have_count(0)
    assert User.objects.get(pk=person.pk).is_active
    j.shot("admin-person")

    # Or many at once: a CSV file, reported row by row (a wrong address among them).
    j.click(page.locator(".admin-nav a", has_text=vietnamese("Import")))
    upload = tmp_path / "nguoi-dung.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.set_input_files("input[name=file]", str(upload))
    j.click(page.locator("main form button[type=submit]"))
    page.wait_for_function("() => document.getElementById('import-progress').value === 100")
    rows = page.locator("#import-rows tbody tr")
    expect(rows).to_have_count(2)
    error_row = page.locator("#import-rows tr.status-error")
    assert error_row.locator("td").first.inner_text() == "3" and "sai-dia-chi" in error_row.inner_text()
    assert User.objects.get(email="le.thu@mofa.gov.vn").full_name == "Lê Thị Thu"
    j.check()

    # A class: created, its members found by names typed without accents.
    j.click(page.locator(".admin-nav a", has_text=vietnamese("Cohorts")))
    j.click(page.locator("main a.button", has_text=vietnamese("Add a cohort")))
    page.fill("input[name=name]", "Lớp phát ngôn khóa 1")
    page.fill("input[name=code]", "phat-ngon-k1")
    unit_select = page.locator("select[name=organisation]")
    unit_select.select_option(label=_option_label(unit_select, unit.name))
    j.click(page.locator("main form button[type=submit]"))
    cohort = Cohort.objects.get(code="phat-ngon-k1")
    for typed, name in (("pham van duc", "Phạm Văn Đức"), ("nguyen thi hoc", "Nguyễn Thị Học")):
        page.locator("#find").fill("")
        page.locator("#find").press_sequentially(typed, delay=20)
        found = page.locator("#pick-results li", has_text=name)
        expect(found).to_be_visible()
        found.locator("input[type=checkbox]").check()
        j.click(page.locator("#pick-submit"))
    assert cohort.members.count() == 2
    j.shot("admin-cohort")

    # The class enrolled in the course, from the cohort's page.
    j.click(page.locator("main a", has_text=vietnamese("Enrol this cohort in a course")))
    page.select_option("select[name=course]", value=str(course.pk))
    j.click(page.locator("form.filters button[type=submit]"))
    page.select_option("select[name=cohort]", value=str(cohort.pk))
    j.click(page.locator("form.narrow-form button[type=submit]"))
    assert Enrolment.objects.filter(course=course, user__cohorts=cohort).count() == 2
    expect(page.locator(".messages li").first).to_be_visible()

    # (The two learn the course, before the unit has a certificate template: none is issued.)
    members = list(cohort.members.all())
    for member in members:
        complete(course, member)
    assert not Certificate.objects.filter(course=course).exists()

    # The report, with its chart.
    j.click(page.locator(".admin-nav a", has_text=vietnamese("Report")))
    expect(page.locator("main canvas, main svg.chart, main figure").first).to_be_visible()
    j.shot("admin-report")

    # The unit's certificate template, then the course's certificates: bulk issue, then revoke
    # one, asked first, told truthfully.
    j.click(page.locator(".admin-nav a", has_text=vietnamese("Certificates")))
    j.click(page.locator("main a.button", has_text=vietnamese("New template for a unit")))
    page.select_option("select[name=organisation]", value=str(unit.pk))
    for name, value in {"issuer_name": "Ban Tuyên giáo Trung ương",
                        "parent_issuer_name": "Ban Chấp hành Trung ương Đảng",
                        "signer_title": "TM. Ban Tổ chức lớp bồi dưỡng",
                        "signer_name": "Nguyễn Văn Mẫu", "validity_months": "24"}.items():
        page.fill(f"#template-form [name={name}]", value)
    j.click(page.locator("#template-form button[type=submit]"))
    expect(page.locator("#certificate-templates tbody tr")).to_have_count(1)
    j.click(page.locator("#certificate-courses a", has_text=course.title))
    page.click("#bulk-issue")
    page.wait_for_function("() => document.getElementById('bulk-bar').value === 100")
    summary = page.locator("#bulk-text").inner_text()
    assert summary.startswith("2 "), summary
    page.wait_for_selector("table.certificate-table tbody tr:nth-child(2)")  # the page reloads
    j.check()
    certificate = Certificate.objects.get(course=course, user=person)
    form = page.locator(f"#reason-{certificate.pk}").locator("xpath=ancestor::form")
    page.fill(f"#reason-{certificate.pk}", "Cấp nhầm người học")
    form.locator("button[type=submit]").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("Phạm Văn Đức")
    j.click(dialog.locator("button[value=ok]"))
    assert page.locator(".messages li").first.inner_text() == vietnamese("The certificate was revoked.")
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    j.shot("admin-certificates")

    # The audit log reads as sentences: who did what to whom.
    expect(page.locator(".site-nav a[aria-current]")).to_have_text(vietnamese("Administration"))
    j.click(page.locator(".breadcrumbs a", has_text=vietnamese("Administration")))
    j.click(page.locator(".admin-nav a", has_text=vietnamese("Audit log")))
    log = page.inner_text("main")
    assert "Phạm Văn Đức" in log and "Trần Thị Quản Trị" in log
    assert "certificate.revoked" not in log and "None" not in log
    j.shot("admin-audit")
    j.done()


# ---- the anonymous verifier -----------------------------------------------------------------

@pytest.fixture
def verifier_world(transactional_db):
    """Two certificates of one course: one valid, one revoked with a reason."""
    from certificates.models import Certificate
    from certificates.services import certificate_revoke
    from tests.certificates.factories import certificate_course, complete, make_template
    from tests.factories import UserFactory

    users = seed_accounts()
    unit = users[ADMIN].organisation
    make_template(unit)
    course = certificate_course(unit, title="Kỹ năng phát ngôn đối ngoại")
    complete(course, users[TRAINEE])
    other = UserFactory(organisation=unit, full_name="Phạm Văn Đức")
    complete(course, other)
    revoked = Certificate.objects.get(user=other)
    certificate_revoke(actor=users[ADMIN], certificate_id=revoked.pk, reason="Cấp nhầm người học")
    return {"valid": Certificate.objects.get(user=users[TRAINEE]), "revoked": revoked}


def test_anonymous_verifier_checks_a_valid_then_a_revoked_certificate(journey, verifier_world):
    j, page = journey, journey.page
    page.goto("/")
    j.check()
    # From the welcome page (the same link is in every page's footer).
    j.click(page.locator("main a", has_text=vietnamese("Verify a certificate")))

    # Typed as read from the paper: lower case, without the dashes.
    valid = verifier_world["valid"]
    page.fill("#code", valid.code.replace("-", "").lower())
    j.click(page.locator("form.verify-form button[type=submit]"))
    verdict = page.locator(".verdict")
    assert "verdict-valid" in verdict.get_attribute("class")
    assert page.locator("[data-status=valid]").inner_text() == vietnamese("Valid")
    assert verdict.evaluate("el => getComputedStyle(el).borderLeftColor") == "rgb(20, 99, 47)"
    main = page.inner_text("main")
    assert "Nguyễn Thị Học" in main and valid.serial in main
    assert "trainee@demo.local" not in page.content()  # no e-mail address on a public page
    j.shot("verify-valid")

    revoked = verifier_world["revoked"]
    revoked.refresh_from_db()
    page.fill("#code", revoked.code)
    j.click(page.locator("form.verify-form button[type=submit]"))
    assert "verdict-revoked" in page.locator(".verdict").get_attribute("class")
    assert page.locator("[data-status=revoked]").inner_text() == vietnamese("Revoked")
    assert "Cấp nhầm người học" in page.inner_text("main")
    with translation.override("vi"):
        day = formats.date_format(timezone.localtime(revoked.revoked_at), "SHORT_DATE_FORMAT")
    assert day in page.inner_text(".verdict")  # dd/mm/yyyy
    j.shot("verify-revoked")

    page.fill("#code", "AAAA-BBBB-CCCC-DDDD")
    j.click(page.locator("form.verify-form button[type=submit]"))
    expect(page.locator(".verdict-unknown")).to_contain_text(vietnamese("No certificate has this code."))
    j.done(first="/")
