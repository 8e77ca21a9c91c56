"""Trainer pages for question banks and quizzes, through Django's test client against a real DB.

Page text is checked in English (the Vietnamese catalogue for these msgids is merged later from
locale/pending/quiz-authoring.json); Vietnamese *data* (questions, titles) is checked as is.
"""

import csv
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from assessments import attempts, reporting, services
from assessments.models import Question, QuestionBank, QuestionVersion, Quiz, QuizSlot
from backend.accounts.models import Role, User
from tests.assessments.factories import bank_with_questions, enrol, quiz_course, right_answers
from tests.factories import user_with_role
from tests.spreadsheet_checks import (
    PAYLOADS,
    assert_csv_cell_is_text,
    assert_xlsx_has_no_formula,
    csv_rows,
    xlsx_cells,
)

GIFT_WITH_ONE_ERROR = """$CATEGORY: Chuyên đề 1
::Câu 1:: Thủ đô của Việt Nam là? {=Hà Nội ~Huế ~Đà Nẵng}

::Câu 2:: Kết luận 57-KL/TW ban hành năm 2019. {T}

::Câu hỏi hỏng:: Câu này thiếu dấu đóng {=Đúng ~Sai

::Câu 3:: Năm ban hành Kết luận 57? {#2019:0}
"""


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def trainer(tree):
    return user_with_role(Role.TRAINER, tree["ministry"], language="en")


@pytest.fixture
def bank(tree):
    return services.bank_create(actor=None, title="Ngân hàng KL57", organisation="ministry")


@pytest.fixture
def as_trainer(client, trainer):
    client.force_login(trainer)
    return client


# --- permissions ----------------------------------------------------------------------------------


def test_trainee_and_other_unit_trainer_are_refused(client, tree, trainee, bank):
    _course, lesson = quiz_course(tree["ministry"])
    quiz = services.quiz_create(actor=None, lesson_id=lesson.pk, title="Kiểm tra")
    client.force_login(trainee)
    assert client.get("/teach/banks/").status_code == 403
    assert client.get(f"/teach/banks/{bank.pk}/").status_code == 403
    assert client.get(f"/teach/quizzes/{quiz.pk}/statistics/").status_code == 404
    outsider = user_with_role(Role.TRAINER, tree["province"])
    client.force_login(outsider)
    assert client.get("/teach/banks/").status_code == 200
    assert "Ngân hàng KL57" not in client.get("/teach/banks/").content.decode()
    assert client.get(f"/teach/banks/{bank.pk}/").status_code == 404
    assert client.get(f"/teach/banks/{bank.pk}/import/").status_code == 404
    assert client.get(f"/teach/banks/{bank.pk}/export.gift").status_code == 404
    assert client.get(f"/teach/banks/{bank.pk}/questions/new/essay/").status_code == 404
    assert client.post(f"/teach/banks/{bank.pk}/categories/", {"name": "x"}).status_code == 404
    assert client.get(f"/teach/lessons/{lesson.pk}/quiz/").status_code == 404
    assert client.get(f"/teach/quizzes/{quiz.pk}/statistics/").status_code == 404
    assert client.get(f"/teach/quizzes/{quiz.pk}/statistics.csv").status_code == 404
    _bank, questions = bank_with_questions(tree["ministry"], ["essay"])
    assert client.get(f"/teach/questions/{questions[0].pk}/").status_code == 404
    client.logout()
    assert client.get("/teach/banks/").status_code == 302  # to the sign-in page


def test_bank_list_create_and_filters(as_trainer, tree, trainer):
    page = as_trainer.get("/teach/banks/")
    assert page.status_code == 200
    response = as_trainer.post("/teach/banks/", {"title": "Ngân hàng Chuyên đề", "owner": "unit:ministry"})
    bank = QuestionBank.objects.get(title="Ngân hàng Chuyên đề")
    assert response.status_code == 302 and response["Location"] == f"/teach/banks/{bank.pk}/"
    assert bank.organisation_id == tree["ministry"].pk and bank.course_id is None
    course, _lesson = quiz_course(tree["ministry"])
    as_trainer.post("/teach/banks/", {"title": "Ngân hàng khoá học", "owner": f"course:{course.pk}"})
    assert QuestionBank.objects.get(title="Ngân hàng khoá học").course_id == course.pk
    refused = as_trainer.post("/teach/banks/", {"title": "", "owner": "unit:ministry"})
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()

    for qtype, text in (("single_choice", "Thủ đô?"), ("essay", "Trình bày vai trò")):
        services.question_create(actor=None, bank_id=bank.pk, type=qtype, text=text,
                                 data=_sample(qtype), category="Chuyên đề 1", tags=["kl57"])
    as_trainer.post(f"/teach/banks/{bank.pk}/categories/", {"name": "Chuyên đề 2"})
    page = as_trainer.get(f"/teach/banks/{bank.pk}/").content.decode()
    assert "Chuyên đề 2" in page and "kl57" in page and "Thủ đô?" in page
    only_essays = as_trainer.get(f"/teach/banks/{bank.pk}/?type=essay").content.decode()
    assert "Trình bày vai trò" in only_essays and "Thủ đô?" not in only_essays
    found = as_trainer.get(f"/teach/banks/{bank.pk}/", {"q": "Thủ đô"}).content.decode()
    assert "Thủ đô?" in found and "Trình bày vai trò" not in found
    found = as_trainer.get(f"/teach/banks/{bank.pk}/", {"q": "TRINH BAY vai"}).content.decode()
    assert "Trình bày vai trò" in found and "Thủ đô?" not in found  # accents ignored
    banks = as_trainer.get("/teach/banks/", {"q": "ngan hang chuyen"}).content.decode()
    assert "Ngân hàng Chuyên đề" in banks and "Ngân hàng khoá học" not in banks
    assert "No bank matches this search." in as_trainer.get("/teach/banks/", {"q": "zzz"}).content.decode()
    tag = bank.tags.get(name="kl57")
    assert "Thủ đô?" in as_trainer.get(f"/teach/banks/{bank.pk}/?tag={tag.pk}").content.decode()


def _sample(qtype):
    from tests.assessments.factories import SECRET_SAMPLES

    return SECRET_SAMPLES[qtype]


# --- the question editor: every type through the form ---------------------------------------------------

FORMS = {
    "single_choice": {
        "choices-1-text": "Kết luận số 57-KL/TW", "choices-1-grade": "100", "choices-1-feedback": "Đúng",
        "choices-2-text": "Nghị quyết số 1", "choices-2-grade": "33,33333",
        "choices-3-text": "Chỉ thị số 2", "shuffle": "on",
    },
    "multiple_choice": {
        "choices-1-text": "Nhân lực", "choices-1-grade": "50",
        "choices-2-text": "Vật lực", "choices-2-grade": "50",
        "choices-3-text": "Thời tiết", "choices-3-grade": "-100", "choices-3-feedback": "Sai rồi",
    },
    "true_false": {"answer": "false", "feedback_true": "Chưa đúng", "feedback_false": "Chính xác"},
    "short_answer": {
        "answers-1-text": "Hà Nội", "answers-1-grade": "100",
        "answers-2-text": "Thăng Long", "answers-2-grade": "50", "answers-2-feedback": "Tên cũ",
        "ignore_accents": "on",
    },
    "numerical": {
        "answers-1-value": "2019", "answers-1-tolerance": "0", "answers-1-grade": "100",
        "answers-2-value": "2018,5", "answers-2-tolerance": "0,5", "answers-2-grade": "50",
    },
    "matching": {
        "pairs-1-left": "Hà Nội", "pairs-1-right": "Việt Nam",
        "pairs-2-left": "Viêng Chăn", "pairs-2-right": "Lào",
        "distractors-1-text": "Thái Lan",
    },
    "ordering": {
        "items-1-text": "Ban hành Kết luận", "items-2-text": "Ban hành Hướng dẫn",
        "items-3-text": "Hội nghị toàn quốc", "grading": "all_or_nothing",
    },
    "essay": {"min_words": "50", "max_words": "300", "grader_info": "Chấm theo 3 ý chính",
              "template": "Mở bài:"},
}
EXPECTED = {
    "single_choice": lambda d: [c["fraction"] for c in d["choices"]] == [1.0, 0.3333333, 0.0]
    and d["choices"][0]["feedback"] == "Đúng" and d["shuffle"] is True,
    "multiple_choice": lambda d: [c["fraction"] for c in d["choices"]] == [0.5, 0.5, -1.0]
    and d["shuffle"] is False,
    "true_false": lambda d: d["answer"] is False and d["feedback_false"] == "Chính xác",
    "short_answer": lambda d: [(a["text"], a["fraction"]) for a in d["answers"]]
    == [("Hà Nội", 1.0), ("Thăng Long", 0.5)] and d["ignore_accents"] and not d["case_sensitive"],
    "numerical": lambda d: [(a["value"], a["tolerance"], a["fraction"]) for a in d["answers"]]
    == [(2019.0, 0.0, 1.0), (2018.5, 0.5, 0.5)],
    "matching": lambda d: [(p["left"], p["right"]) for p in d["pairs"]]
    == [("Hà Nội", "Việt Nam"), ("Viêng Chăn", "Lào")] and d["distractors"][0]["text"] == "Thái Lan",
    "ordering": lambda d: [i["text"] for i in d["items"]]
    == ["Ban hành Kết luận", "Ban hành Hướng dẫn", "Hội nghị toàn quốc"] and d["grading"] == "all_or_nothing",
    "essay": lambda d: (d["min_words"], d["max_words"], d["grader_info"], d["template"])
    == (50, 300, "Chấm theo 3 ý chính", "Mở bài:"),
}


@pytest.mark.parametrize("qtype", list(FORMS))
def test_each_type_saved_through_the_form_then_edited_as_a_new_version(as_trainer, bank, qtype):
    blank = as_trainer.get(f"/teach/banks/{bank.pk}/questions/new/{qtype}/")
    assert blank.status_code == 200
    post = {"text": f"Câu hỏi {qtype} về thông tin đối ngoại?", "title": f"Tên {qtype}",
            "default_mark": "2,5", "category": "Chuyên đề 1", "tags": "kl57, đối ngoại",
            "general_feedback": "Xem Kết luận 57", **FORMS[qtype]}
    response = as_trainer.post(f"/teach/banks/{bank.pk}/questions/new/{qtype}/", post)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(bank=bank, type=qtype)
    version = question.current
    assert response["Location"] == f"/teach/questions/{question.pk}/"
    assert version.text == post["text"] and version.default_mark == 2.5 and version.title == f"Tên {qtype}"
    assert version.data["general_feedback"] == "Xem Kết luận 57"
    assert EXPECTED[qtype](version.data), version.data
    assert question.category.name == "Chuyên đề 1"
    assert sorted(t.name for t in question.tags.all()) == ["kl57", "đối ngoại"]

    # The edit page shows the stored values and the trainee's view (no secrets in it).
    page = as_trainer.get(f"/teach/questions/{question.pk}/").content.decode()
    assert 'id="preview"' in page and post["text"] in page
    preview = page[page.index('id="preview"'):]
    for secret in ("Chấm theo 3 ý chính", "Sai rồi", "Tên cũ", "Chính xác"):
        assert secret not in preview
    # Saving the page as shown changes nothing but makes version 2 (ids kept).
    again = _form_fields(page)
    assert as_trainer.post(f"/teach/questions/{question.pk}/", again).status_code == 302
    question.refresh_from_db()
    assert question.current.number == 2
    assert question.current.data == version.data


def _form_fields(page: str) -> dict:
    """The values the editor form would send as rendered (inputs, checked boxes, textareas, selects)."""
    import html
    import re

    form = page[page.index('id="question-form"'):page.index("</form>", page.index('id="question-form"'))]
    out: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name[1] == "csrfmiddlewaretoken":
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind[1] in ("checkbox", "radio") and " checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        out[name[1]] = html.unescape(value[1]) if value else ("on" if kind and kind[1] == "checkbox" else "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        out[name] = html.unescape(body.strip("\n"))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        if chosen:
            out[name] = chosen[1]
    return out


def test_validation_errors_are_shown_by_their_fields_and_the_input_is_kept(as_trainer, bank):
    url = f"/teach/banks/{bank.pk}/questions/new/multiple_choice/"
    post = {"text": "Nguồn lực của thông tin đối ngoại?", "default_mark": "1", "tags": "kl57",
            "choices-1-text": "Nhân lực", "choices-1-grade": "50",
            "choices-2-text": "Vật lực", "choices-2-grade": "20",
            "choices-3-text": "Thời tiết", "choices-3-grade": "-100", "choices-3-feedback": "Không phải"}
    page = as_trainer.post(url, post)
    text = page.content.decode()
    assert page.status_code == 200 and not Question.objects.exists()
    assert 'id="form-alert"' in text and 'id="err-choices"' in text
    assert "must add up to 1 (100%); they add up to 0.7" in text
    for kept in ("Nhân lực", "Vật lực", "Thời tiết", "Không phải", 'value="-100"', "kl57",
                 "Nguồn lực của thông tin đối ngoại?"):
        assert kept in text
    # A grade that is not a number is named with its row, and nothing is saved.
    post.update({"choices-2-grade": "năm mươi"})
    text = as_trainer.post(url, post).content.decode()
    assert "Choice 2 must be a number." in text and "năm mươi" in text
    # Field errors of the common part and of the type's part at once.
    text = as_trainer.post(url, {**post, "text": "", "default_mark": "x"}).content.decode()
    assert 'id="id_text_error"' in text and "Enter a number" in text and 'id="err-choices"' in text
    # Essay limits.
    text = as_trainer.post(f"/teach/banks/{bank.pk}/questions/new/essay/",
                           {"text": "Viết", "default_mark": "1", "min_words": "300",
                            "max_words": "100"}).content.decode()
    assert 'id="err-max_words"' in text and "must not be below the minimum" in text
    assert not Question.objects.exists()
    # In Vietnamese (the default) the type's message is translated by the assessments catalogue.
    trainer = User.objects.get(pk=as_trainer.session["_auth_user_id"])
    trainer.language = "vi"
    trainer.save(update_fields=["language"])  # a save, which the auth cache sees (decision 0069)
    with translation.override("vi"):
        text = as_trainer.post(url, post).content.decode()
    assert "Choice 2" not in text and "năm mươi" in text


# --- import / export --------------------------------------------------------------------------------


def test_import_preview_writes_nothing_then_accept_errors_imports_the_valid_ones(as_trainer, bank):
    url = f"/teach/banks/{bank.pk}/import/"
    upload = io.BytesIO(GIFT_WITH_ONE_ERROR.encode("utf-8"))
    upload.name = "kl57.gift.txt"
    page = as_trainer.post(url, {"format": "gift", "file": upload})
    text = page.content.decode()
    assert page.status_code == 200 and 'id="import-report"' in text
    assert "Line 6" in text and "1 question has an error" in text
    assert not Question.objects.filter(bank=bank).exists()
    # The file's text is kept in the box (so the trainer need not pick the file again).
    assert "Thủ đô của Việt Nam là?" in text
    assert 'name="accept_errors"' in text
    done = as_trainer.post(url, {"format": "gift", "text": GIFT_WITH_ONE_ERROR, "accept_errors": "on"})
    text = done.content.decode()
    assert done.status_code == 200 and 'id="import-result"' in text and "Imported: 3." in text
    texts = sorted(q.current.text for q in Question.objects.filter(bank=bank).select_related("current"))
    assert texts == ["Kết luận 57-KL/TW ban hành năm 2019.", "Năm ban hành Kết luận 57?",
                     "Thủ đô của Việt Nam là?"]
    assert {q.category.name for q in Question.objects.filter(bank=bank)} == {"Chuyên đề 1"}
    # A clean file goes straight in; an empty form is refused in the page.
    clean = "Thủ đô của Lào?\nA. Viêng Chăn\nB. Băng Cốc\nANSWER: A\n"
    assert as_trainer.post(url, {"format": "aiken", "text": clean}).status_code == 302
    assert Question.objects.filter(bank=bank).count() == 4
    empty = as_trainer.post(url, {"format": "gift"}).content.decode()
    assert "Choose a file or paste the questions." in empty
    # Export: GIFT, UTF-8, Vietnamese intact.
    export = as_trainer.get(f"/teach/banks/{bank.pk}/export.gift")
    body = export.content.decode("utf-8")
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    assert "Thủ đô của Việt Nam là?" in body and "Viêng Chăn" in body


# --- quiz settings -----------------------------------------------------------------------------------


def test_quiz_settings_create_then_update_with_fixed_and_random_slots(as_trainer, tree, bank):
    _course, lesson = quiz_course(tree["ministry"])
    questions = [services.question_create(actor=None, bank_id=bank.pk, type="true_false",
                                          text=f"Câu {n}", data={"answer": True},
                                          category="Chuyên đề 1", tags=["kl57"])
                 for n in range(4)]
    url = f"/teach/lessons/{lesson.pk}/quiz/"
    page = as_trainer.get(url).content.decode()
    assert 'id="no-quiz"' in page and "Câu 0" in page
    settings = {"title": "Kiểm tra cuối chuyên đề", "intro": "Làm trong 20 phút", "shuffle_answers": "on",
                "time_limit_minutes": "20", "max_attempts": "2", "attempt_delay_minutes": "5",
                "grading_method": "highest", "pass_mark": "70", "review_score": "immediately",
                "review_responses": "immediately", "review_correct": "never",
                "review_feedback": "immediately"}
    response = as_trainer.post(url, {**settings, "add_question": [questions[0].pk, questions[1].pk],
                                     "slot-9-bank": bank.pk, "slot-9-category": "Chuyên đề 1",
                                     "slot-9-count": "2", "slot-9-mark": "1,5"})
    assert response.status_code == 302
    quiz = Quiz.objects.get(lesson_id=lesson.pk)
    lesson.refresh_from_db()
    assert lesson.activity_id == quiz.pk
    assert (quiz.title, quiz.time_limit_seconds, quiz.max_attempts, quiz.attempt_delay_seconds,
            quiz.pass_mark, quiz.review_correct) == ("Kiểm tra cuối chuyên đề", 1200, 2, 300, 70.0, "never")
    slots = list(QuizSlot.objects.filter(quiz=quiz).order_by("position"))
    assert [(s.question_id, s.bank_id, s.count, s.mark) for s in slots] == [
        (questions[0].pk, None, 1, None), (questions[1].pk, None, 1, None), (None, bank.pk, 2, 1.5)]
    assert slots[2].category.name == "Chuyên đề 1"

    # The page shows them back; reorder (the draw first), remove one, change the pass mark.
    page = as_trainer.get(url).content.decode()
    assert "Câu 0" in page and 'name="slot-3-bank"' in page and "/teach/quizzes/" in page
    response = as_trainer.post(url, {**settings, "pass_mark": "80",
                                     "slot-1-question": questions[0].pk, "slot-1-order": "2",
                                     "slot-2-question": questions[1].pk, "slot-2-order": "3",
                                     "slot-2-remove": "1",
                                     "slot-3-bank": bank.pk, "slot-3-category": "Chuyên đề 1",
                                     "slot-3-count": "2", "slot-3-order": "1"})
    assert response.status_code == 302
    quiz.refresh_from_db()
    assert quiz.pass_mark == 80
    assert [(s.question_id, s.bank_id) for s in quiz.slots.order_by("position")] == [
        (None, bank.pk), (questions[0].pk, None)]

    # Errors: shown in the page, nothing changed, the input kept.
    bad = as_trainer.post(url, {**settings, "title": "Tên mới",
                                "slot-1-bank": bank.pk, "slot-1-category": "Không có", "slot-1-count": "1"})
    text = bad.content.decode()
    assert bad.status_code == 200 and 'id="form-alert"' in text
    assert "Slot 1: unknown category." in text and "Tên mới" in text and 'value="Không có"' in text
    bad = as_trainer.post(url, {**settings, "pass_mark": "150"})
    assert "The pass mark is a percentage above 0, at most 100." in bad.content.decode()
    bad = as_trainer.post(url, {**settings, "opens_at": "2030-01-02T08:00", "closes_at": "2030-01-01T08:00"})
    assert "The quiz must close after it opens." in bad.content.decode()
    quiz.refresh_from_db()
    assert quiz.pass_mark == 80 and quiz.title == "Kiểm tra cuối chuyên đề" and quiz.slots.count() == 2
    # The trainer's quiz list links settings, grading and statistics.
    listing = as_trainer.get("/teach/quizzes/").content.decode()
    assert f"/quiz/{quiz.pk}/grading/" in listing and f"/teach/quizzes/{quiz.pk}/statistics/" in listing


def test_quiz_settings_refuse_a_non_quiz_lesson_and_links_resolve(as_trainer, tree):
    from courses import services as course_services

    course, lesson = quiz_course(tree["ministry"], extra_lessons=1)
    text_lesson = course.lessons.exclude(pk=lesson.pk).first()
    assert as_trainer.get(f"/teach/lessons/{text_lesson.pk}/quiz/").status_code == 404
    h5p = course_services.lesson_create(actor=None, module_id=lesson.module_id, kind="h5p", title="H5P")
    response = as_trainer.get(f"/teach/lessons/{h5p.pk}/h5p/")
    assert response.status_code == 302
    assert response["Location"] == f"/learn/lessons/{h5p.pk}/h5p/#h5p-upload-title"
    # The lesson editor now links the quiz editor.
    page = as_trainer.get(f"/teach/lessons/{lesson.pk}/").content.decode()
    assert f"/teach/lessons/{lesson.pk}/quiz/" in page


# --- statistics ------------------------------------------------------------------------------------


@pytest.fixture
def answered_quiz(tree):
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["single_choice", "true_false", "numerical"])
    quiz = services.quiz_create(actor=None, lesson_id=lesson.pk, title="Kiểm tra: Đối ngoại",
                                slots=[{"question": q.pk} for q in questions], max_attempts=0)
    by_text = {q.current.text: q for q in questions}
    from django.utils import timezone

    from assessments.payloads import attempt_payload

    for n in range(5):
        user = user_with_role(Role.TRAINEE, tree["mission"])
        enrol(course, user)
        user = User.objects.get(pk=user.pk)
        for attempt_no in range(2):
            start = attempts.attempt_start(user=user, quiz_id=quiz.pk)
            body = attempt_payload(start.attempt, start.responses, as_staff=False, now=timezone.now())
            answers = right_answers(body, by_text)[: (n + attempt_no) % 4]  # varied scores
            attempts.attempt_submit(user=user, attempt_id=start.attempt.pk, answers=answers)
    return quiz


@pytest.mark.parametrize("which", ["first", "all"])
def test_statistics_page_shows_the_numbers_of_reporting(as_trainer, answered_quiz, which):
    report = reporting.quiz_report(answered_quiz, which)
    page = as_trainer.get(f"/teach/quizzes/{answered_quiz.pk}/statistics/?attempts={which}")
    text = page.content.decode()
    assert page.status_code == 200
    assert f'data-stat="s">{report["quiz"]["s"]}<' in text
    assert report["quiz"]["s"] == (5 if which == "first" else 10)
    for key in ("mean", "median", "sd"):
        assert f'data-stat="{key}">{report["quiz"][key]:.2f}' in text
    for row in report["questions"]:
        start = text.index(f'data-question="{row["question_id"]}"')
        cells = text[start:text.index("</tr>", start)]
        for key in ("facility", "discrimination_index"):
            value = row[key]
            shown = "–" if value is None else f"{value:.2f}"
            assert f'data-stat="{key}">{shown}' in cells
    assert 'id="chart-items"' in text and "chart.umd" in text and 'id="qa-chart-data"' in text


def test_statistics_csv_and_xlsx_keep_vietnamese(as_trainer, answered_quiz):
    report = reporting.quiz_report(answered_quiz, "all")
    response = as_trainer.get(f"/teach/quizzes/{answered_quiz.pk}/statistics.csv?attempts=all")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][0] == "Question" and len(rows) == 1 + len(report["questions"])
    assert any(r[1] == "MẬT-title-single_choice-0" for r in rows[1:])  # the trainer's short name
    assert rows[1][4] == f"{report['questions'][0]['facility']:.2f}"
    response = as_trainer.get(f"/teach/quizzes/{answered_quiz.pk}/statistics.xlsx?attempts=all")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    values = list(sheet.values)
    assert values[0][0] == "Kiểm tra: Đối ngoại"
    assert "MẬT-title-true_false-0" in [r[1] for r in values[2:]]
    assert values[2][4] == round(report["questions"][0]["facility"], 2)
    assert as_trainer.get(f"/teach/quizzes/{answered_quiz.pk}/statistics.pdf").status_code == 404


def test_grading_queue_and_banks_are_linked_from_the_trainer_pages(as_trainer):
    home = as_trainer.get("/teach/").content.decode()
    assert 'href="/teach/banks/"' in home and 'href="/teach/quizzes/"' in home


def test_statistics_exports_never_write_question_text_as_formulas(as_trainer, answered_quiz):
    """A question's short name and the quiz title are trainers' text: quoted in CSV and XLSX."""
    slot = QuizSlot.objects.filter(quiz=answered_quiz).exclude(question=None).first()
    QuestionVersion.objects.filter(pk=slot.question.current_id).update(title=PAYLOADS[0])
    Quiz.objects.filter(pk=answered_quiz.pk).update(title=PAYLOADS[3])
    rows = csv_rows(as_trainer.get(f"/teach/quizzes/{answered_quiz.pk}/statistics.csv").getvalue())
    assert_csv_cell_is_text(rows, PAYLOADS[0])
    response = as_trainer.get(f"/teach/quizzes/{answered_quiz.pk}/statistics.xlsx")
    body = response.getvalue()  # a streamed file: read once
    assert_xlsx_has_no_formula(body, PAYLOADS[0], PAYLOADS[3])
    numbers = [c for c in xlsx_cells(body) if c.row > 2 and c.column == 4]
    assert numbers and all(c.data_type == "n" for c in numbers)
