from pathlib import Path

from django.utils import translation

from assessments.aiken import parse_aiken
from assessments.questions import QUESTION_TYPES

FIXTURE = Path(__file__).parent / "fixtures" / "trac_nghiem.aiken.txt"


def test_realistic_file_reads_good_questions_and_reports_every_bad_one():
    with translation.override("en"):  # the messages below are read in English
        questions, errors = parse_aiken(FIXTURE.read_bytes())
    assert [q.line for q in questions] == [1, 7, 30]
    first, second, last = questions
    assert first.type == "single_choice"
    assert first.text == "Cơ quan nào chủ trì quản lý nhà nước về thông tin đối ngoại?"
    assert [(c["text"], c["fraction"]) for c in first.data["choices"]] == [
        ("Bộ Thông tin và Truyền thông", 1.0), ("Bộ Công Thương", 0.0), ("Bộ Tài chính", 0.0)]
    assert second.text == "Thông cáo báo chí cần nêu rõ điều gì\ntrước tiên?"
    assert second.data["choices"][0]["text"] == "Nguồn tin và thời điểm"
    assert last.data["choices"][0]["fraction"] == 1.0
    assert [line for line, _message in errors] == [12, 19, 23, 26]
    messages = dict(errors)
    assert "ANSWER" in messages[12]
    assert "D" in messages[19]
    assert "C" in messages[23] and "B" in messages[23]
    assert "two" in messages[26]


def test_parsed_data_is_accepted_by_validate():
    questions, _errors = parse_aiken(FIXTURE.read_text(encoding="utf-8"))
    for question in questions:
        cleaned = QUESTION_TYPES[question.type].validate(question.data)
        assert len(cleaned["choices"]) == len(question.data["choices"])


def test_answer_letter_is_case_insensitive_and_windows_line_endings_work():
    text = "Câu hỏi?\r\nA) Có\r\nB) Không\r\nanswer: b\r\n"
    questions, errors = parse_aiken(text)
    assert errors == []
    assert [c["fraction"] for c in questions[0].data["choices"]] == [0.0, 1.0]


def test_stray_lines_never_raise():
    questions, errors = parse_aiken("ANSWER: A\nA. lạc\n\n\nB. lạc\n")
    assert questions == []
    assert errors and all(isinstance(line, int) for line, _m in errors)
    assert parse_aiken("") == ([], [])
