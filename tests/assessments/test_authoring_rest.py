"""Authoring through the REST API: banks, questions (a new version per edit), GIFT/Aiken import
(all or nothing unless errors are accepted), GIFT export, quizzes on quiz lessons."""

import unicodedata
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.gift import parse_gift
from assessments.models import Question, QuestionBank
from backend.accounts.models import Role, User
from tests.assessments.factories import SECRET_SAMPLES, quiz_course
from tests.factories import user_with_role

FIXTURES = Path(__file__).parent / "fixtures"


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


@pytest.fixture
def trainer(tree):
    return user_with_role(Role.TRAINER, tree["ministry"])


def _bank(api, code="ministry"):
    r = api.post("/api/v1/question-banks/", {"title": "Ngân hàng TTĐN", "organisation": code}, format="json")
    assert r.status_code == 201, r.json()
    return r.json()["id"]


def test_bank_question_and_new_version_on_edit(api, tree, trainer, trainee):
    as_user(api, trainer)
    bank_id = _bank(api)
    r = api.post(
        f"/api/v1/question-banks/{bank_id}/questions/",
        {
            "type": "true_false",
            "text": "Kết luận số 57-KL/TW ban hành ngày 15/6/2023.",
            "data": {"answer": True},
            "category": "Chuyên đề 1",
            "tags": ["kl57"],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    question = r.json()
    assert question["version"] == 1 and question["category"] == "Chuyên đề 1" and question["tags"] == ["kl57"]
    r = api.put(
        f"/api/v1/questions/{question['id']}/", {"text": "Sửa lại.", "data": {"answer": False}}, format="json"
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    assert Question.objects.get(pk=question["id"]).versions.count() == 2
    bad = api.post(
        f"/api/v1/question-banks/{bank_id}/questions/",
        {"type": "single_choice", "text": "?", "data": {"choices": ["một"]}},
        format="json",
    )
    assert bad.status_code == 400 and "choices" in bad.json()["fields"]
    assert [b["id"] for b in api.get("/api/v1/question-banks/").json()["results"]] == [bank_id]
    # A trainer elsewhere and a trainee do not see the bank at all.
    as_user(api, user_with_role(Role.TRAINER, tree["province"]))
    assert api.get("/api/v1/question-banks/").json()["results"] == []
    assert api.get(f"/api/v1/questions/{question['id']}/").status_code == 404
    assert (
        api.post(
            "/api/v1/question-banks/", {"title": "x", "organisation": "ministry"}, format="json"
        ).status_code
        == 404
    )
    as_user(api, trainee)  # holds no trainer role at all: refused before the body is read
    assert (
        api.post(
            f"/api/v1/question-banks/{bank_id}/questions/",
            {"type": "true_false", "text": "x", "data": {"answer": True}},
            format="json",
        ).status_code
        == 403
    )


def test_import_with_errors_imports_nothing_unless_accepted(api, trainer):
    as_user(api, trainer)
    bank_id = _bank(api)
    content = (FIXTURES / "thong_tin_doi_ngoai.gift").read_bytes()
    expected, parse_errors = parse_gift(content.decode("utf-8"))
    assert parse_errors
    upload = SimpleUploadedFile("cau-hoi.gift", content, content_type="text/plain")
    r = api.post(
        f"/api/v1/question-banks/{bank_id}/import/", {"file": upload, "format": "gift"}, format="multipart"
    )
    assert r.status_code == 400 and r.json()["code"] == "import_errors"
    assert r.json()["imported"] == 0 and Question.objects.count() == 0
    errors = r.json()["errors"]
    assert [e["line"] for e in errors] == sorted(line for line, _m in parse_errors)
    assert all(e["message"] for e in errors)

    upload = SimpleUploadedFile("cau-hoi.gift", content, content_type="text/plain")
    r = api.post(
        f"/api/v1/question-banks/{bank_id}/import/",
        {"file": upload, "format": "gift", "accept_errors": "true"},
        format="multipart",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["imported"] == len(expected) == Question.objects.count()
    bank = QuestionBank.objects.get(pk=bank_id)
    assert bank.categories.filter(name="Thông tin đối ngoại/Cơ bản").exists()

    export = api.get(f"/api/v1/question-banks/{bank_id}/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/plain")
    again, again_errors = parse_gift(export.content.decode("utf-8"))
    assert again_errors == [] and len(again) == len([q for q in expected if q.type != "ordering"])


def test_aiken_import_clean_file(api, trainer):
    as_user(api, trainer)
    bank_id = _bank(api)
    text = (
        "Cơ quan nào ban hành Kết luận số 57-KL/TW?\nA. Bộ Chính trị\nB. Quốc hội\nANSWER: A\n\n"
        "Hướng dẫn số 111-HD/BTGTW do cơ quan nào ban hành?\nA) Bộ Ngoại giao\n"
        "B) Ban Tuyên giáo Trung ương\nANSWER: B\n"
    )
    upload = SimpleUploadedFile("a.txt", text.encode("utf-8-sig"), content_type="text/plain")
    r = api.post(
        f"/api/v1/question-banks/{bank_id}/import/", {"file": upload, "format": "aiken"}, format="multipart"
    )
    assert r.status_code == 200 and r.json() == {"imported": 2, "errors": []}


def test_quiz_on_a_quiz_lesson_links_the_outline(api, tree, trainer, trainee):
    course, lesson = quiz_course(tree["ministry"])
    as_user(api, trainer)
    bank_id = _bank(api)
    qid = api.post(
        f"/api/v1/question-banks/{bank_id}/questions/",
        {"type": "true_false", "text": "Đúng hay sai?", "data": {"answer": True}},
        format="json",
    ).json()["id"]
    r = api.post(
        "/api/v1/quizzes/",
        {
            "lesson": lesson.pk,
            "title": "Kiểm tra chuyên đề 1",
            "pass_mark": 70,
            "max_attempts": 3,
            "slots": [{"question": qid, "mark": 2}],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    quiz = r.json()
    assert quiz["slots"][0]["question"] == qid and quiz["pass_mark"] == 70
    again = api.post("/api/v1/quizzes/", {"lesson": lesson.pk, "title": "x"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "quiz_exists"
    r = api.patch(
        f"/api/v1/quizzes/{quiz['id']}/", {"grading_method": "last", "review_correct": "never"}, format="json"
    )
    assert r.status_code == 200 and r.json()["grading_method"] == "last"
    outline = api.get(f"/api/v1/courses/{course.pk}/outline/").json()
    assert outline["modules"][0]["lessons"][0]["quiz_id"] == quiz["id"]
    as_user(api, trainee)
    assert api.patch(f"/api/v1/quizzes/{quiz['id']}/", {"title": "x"}, format="json").status_code == 403


@pytest.mark.parametrize("field", ["time_limit_seconds", "max_attempts", "attempt_delay_seconds"])
def test_quiz_settings_beyond_their_limit_are_a_400_not_a_database_error(api, tree, trainer, field):
    """2**40 seconds used to reach a 32-bit column: a 500 on PostgreSQL."""
    from assessments.services import QUIZ_LIMITS

    _course, lesson = quiz_course(tree["ministry"])
    as_user(api, trainer)
    quiz = api.post("/api/v1/quizzes/", {"lesson": lesson.pk, "title": "Kiểm tra"}, format="json").json()
    for value in (2**40, QUIZ_LIMITS[field] + 1):
        response = api.patch(f"/api/v1/quizzes/{quiz['id']}/", {field: value}, format="json")
        assert response.status_code == 400 and field in response.json()["fields"], response.content
    assert api.patch(f"/api/v1/quizzes/{quiz['id']}/", {field: QUIZ_LIMITS[field]},
                     format="json").status_code == 200


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _nfd(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    if isinstance(value, dict):
        return {key: _nfd(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_nfd(item) for item in value]
    return value


@pytest.mark.parametrize("qtype", sorted(SECRET_SAMPLES))
def test_question_text_title_and_data_are_stored_in_nfc(api, trainer, qtype):
    """Typed on a Mac or pasted from a PDF, Vietnamese often arrives decomposed (NFD)."""
    as_user(api, trainer)
    bank_id = _bank(api)
    body = {"type": qtype, "text": _nfd("Câu hỏi về Nghị quyết?"), "title": _nfd("Tiêu đề Đối ngoại"),
            "data": _nfd(SECRET_SAMPLES[qtype])}
    created = api.post(f"/api/v1/question-banks/{bank_id}/questions/", body, format="json")
    assert created.status_code == 201, created.content
    body["text"] = _nfd("Câu hỏi đã sửa?")
    assert api.put(f"/api/v1/questions/{created.json()['id']}/", body, format="json").status_code == 200
    for version in Question.objects.get(pk=created.json()["id"]).versions.all():
        for text in [version.text, version.title, *_strings(version.data)]:
            assert unicodedata.is_normalized("NFC", text), (qtype, text)
    assert version.text == "Câu hỏi đã sửa?" and version.title == "Tiêu đề Đối ngoại"


def test_a_question_file_with_nul_characters_is_refused_naming_the_file(api, trainer):
    as_user(api, trainer)
    bank_id = _bank(api)
    for content in ("::Câu 1:: Thủ đô?\x00 {=Hà Nội ~Huế}\n".encode(), "::Q:: A? {T}\n".encode("utf-16-le")):
        upload = SimpleUploadedFile("q.gift", content, content_type="text/plain")
        response = api.post(f"/api/v1/question-banks/{bank_id}/import/", {"file": upload, "format": "gift"},
                            format="multipart")
        assert response.status_code == 400 and "file" in response.json()["fields"], response.content
    assert not Question.objects.filter(bank_id=bank_id).exists()


def test_banks_are_listed_by_title_so_pages_are_stable(api, trainer):
    as_user(api, trainer)
    for title in ("Chính trị", "An ninh", "Báo chí"):
        assert api.post("/api/v1/question-banks/", {"title": title, "organisation": "ministry"},
                        format="json").status_code == 201
    pages = [api.get("/api/v1/question-banks/", {"page_size": 2, "page": n}).json() for n in (1, 2)]
    titles = [bank["title"] for page in pages for bank in page["results"]]
    assert titles == ["An ninh", "Báo chí", "Chính trị"]


def test_banks_and_questions_are_searched_without_accents(api, tree, trainer):
    from assessments import services

    as_user(api, trainer)
    wanted = services.bank_create(actor=None, title="Ngân hàng Kết luận 57", organisation="ministry")
    services.bank_create(actor=None, title="Báo chí", organisation="ministry")
    banks = api.get("/api/v1/question-banks/", {"search": "ngan hang ket LUAN"}).json()["results"]
    assert [b["id"] for b in banks] == [wanted.pk]
    for text in ("Thông tin đối ngoại là gì?", "Kể tên ba cơ quan báo chí."):
        services.question_create(actor=None, bank_id=wanted.pk, type="essay", text=text, data={})
    url = f"/api/v1/question-banks/{wanted.pk}/questions/"
    found = api.get(url, {"search": "thong tin doi ngoai"}).json()["results"]
    assert [q["text"] for q in found] == ["Thông tin đối ngoại là gì?"]
    assert len(api.get(url).json()["results"]) == 2
