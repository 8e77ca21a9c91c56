import unicodedata
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from assessments.gift import ParsedQuestion, export_gift, parse_gift
from assessments.questions import QUESTION_TYPES, strip_ids

FIXTURE = Path(__file__).parent / "fixtures" / "thong_tin_doi_ngoai.gift"


def parse_one(text):
    questions, errors = parse_gift(text)
    assert errors == [], errors
    assert len(questions) == 1
    return questions[0]


# --- the realistic file ------------------------------------------------------------------------


def test_fixture_reads_every_good_question_and_reports_every_bad_one():
    with translation.override("en"):  # the messages below are read in English
        questions, errors = parse_gift(FIXTURE.read_text(encoding="utf-8"))
    by_title = {q.title: q for q in questions}
    assert [q.title.split()[0] for q in questions] == [
        "TTĐN-01", "TTĐN-02", "TTĐN-03", "TTĐN-04", "TTĐN-05", "TTĐN-06", "TTĐN-07", "TTĐN-08", "TTĐN-09",
        "TTĐN-10"]
    assert [q.type for q in questions] == [
        "single_choice", "multiple_choice", "true_false", "short_answer", "numerical", "numerical",
        "matching", "essay", "true_false", "true_false"]

    first = by_title["TTĐN-01 Cơ quan chủ trì"]
    assert first.line == 6 and first.category == "Thông tin đối ngoại/Cơ bản"
    assert first.text == "Cơ quan nào chủ trì quản lý nhà nước về thông tin đối ngoại ở Trung ương?"
    assert [(c["text"], c["fraction"]) for c in first.data["choices"]] == [
        ("Bộ Thông tin và Truyền thông", 1.0), ("Bộ Ngoại giao", 0.0), ("Ban Tuyên giáo Trung ương", 0.5)]
    assert first.data["choices"][1]["feedback"] == "Bộ Ngoại giao phối hợp, không chủ trì."
    assert first.data["general_feedback"] == "Xem Điều 4, Nghị định 72/2015/NĐ-CP."

    assert [c["fraction"] for c in by_title["TTĐN-02 Thành viên ASEAN"].data["choices"]] == [0.5, 0.5, -1.0]
    tf = by_title["TTĐN-03"].data
    assert tf == {"answer": True, "feedback_true": "Chính xác.", "feedback_false": "Sai: đúng là năm 1995.",
                  "general_feedback": ""}
    gap = by_title["TTĐN-04 Thủ đô"]
    assert gap.text == "Thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam là _____."
    assert [(a["text"], a["fraction"]) for a in gap.data["answers"]] == [("Hà Nội", 1.0), ("Thăng Long", 0.5)]
    assert by_title["TTĐN-05 Năm"].data["answers"][0] | {"feedback": ""} == {
        "value": 1977.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}
    assert by_title["TTĐN-06 Khoảng"].data["answers"][0]["value"] == 10.5
    assert by_title["TTĐN-06 Khoảng"].data["answers"][0]["tolerance"] == 0.5
    assert [p["right"] for p in by_title["TTĐN-07 Ghép"].data["pairs"]] == ["Việt Nam", "Lào", "Cam-pu-chia"]
    essay = by_title["TTĐN-08 Tiểu luận"]
    assert essay.text_format == "html" and essay.text.startswith("<p>Trình bày")
    escaped = by_title["TTĐN-09 Ký tự đặc biệt"]
    assert escaped.text == "Trong GIFT, ký tự { } = ~ # : phải được thoát. Biểu thức a=b đúng không?"
    assert escaped.data["answer"] is False
    assert by_title["TTĐN-10 Sau lỗi"].category == "Thông tin đối ngoại/Lỗi"

    lines = [line for line, _message in errors]
    assert lines == [39, 41, 43, 45, 47, 49]
    messages = dict(errors)
    assert "}" in messages[39]
    assert "No answer block" in messages[41]
    assert "choices" in messages[43]
    assert "not a number" in messages[45]
    assert "->" in messages[47]
    assert "one answer block" in messages[49]


def test_fixture_data_is_accepted_by_validate_and_survives_export():
    questions, _errors = parse_gift(FIXTURE.read_text(encoding="utf-8"))
    for question in questions:
        assert strip_ids(QUESTION_TYPES[question.type].validate(question.data)) == question.data
    again, errors = parse_gift(export_gift(questions))
    assert errors == []
    assert [q._replace(line=0) for q in again] == [q._replace(line=0) for q in questions]


# --- details -----------------------------------------------------------------------------------


def test_comments_blank_lines_and_multi_line_questions():
    question = parse_one(
        "// đầu tệp\n::Tiêu đề::Dòng một\n// chú thích giữa câu\ndòng hai {\n=đúng\n~sai\n}\n")
    assert question.line == 2 and question.title == "Tiêu đề"
    assert question.text == "Dòng một\ndòng hai"


def test_question_without_title_and_escaped_newline():
    question = parse_one("Hai dòng\\ntrong một {=có ~không}")
    assert question.title == "" and question.text == "Hai dòng\ntrong một"


def test_true_false_feedback_is_wrong_then_right():
    data = parse_one("Mặt trăng là hành tinh. {FALSE#Sai rồi.#Đúng, là vệ tinh.}").data
    assert data["answer"] is False
    assert data["feedback_true"] == "Sai rồi." and data["feedback_false"] == "Đúng, là vệ tinh."
    assert parse_one("Đúng? {t}").data["answer"] is True


def test_numerical_with_several_answers():
    data = parse_one("Số pi? {#=3.14:0.005#Rất tốt =%50%3.1:0.05#Gần đúng ####Pi là 3,14159…}").data
    assert [(a["value"], a["tolerance"], a["fraction"], a["feedback"]) for a in data["answers"]] == [
        (3.14, 0.005, 1.0, "Rất tốt"), (3.1, 0.05, 0.5, "Gần đúng")]
    assert data["general_feedback"] == "Pi là 3,14159…"


def test_matching_extra_option():
    data = parse_one("Ghép. {=Hà Nội -> Việt Nam =Viêng Chăn -> Lào = -> Thái Lan}").data
    assert data["distractors"] == [{"text": "Thái Lan"}]


def test_markdown_marker_and_nfd_input():
    question = parse_one(unicodedata.normalize("NFD", "::Đề::[markdown]**Đậm** chữ {}"))
    assert question.text_format == "markdown" and question.text == "**Đậm** chữ"
    assert unicodedata.is_normalized("NFC", question.title + question.text)


def test_unopened_brace_and_empty_text_are_reported_with_their_line():
    questions, errors = parse_gift("::a::Câu một {=x ~y}\n\n::b::\nCâu hai } thừa\n\n::c::{=x ~y}\n")
    assert len(questions) == 1
    assert [line for line, _m in errors] == [4, 6]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n{}=~#:->%/$\\TF1.ạ")), max_size=80))
def test_parser_never_raises(text):
    questions, errors = parse_gift(text)
    for question in questions:
        QUESTION_TYPES[question.type].validate(question.data)
    assert all(isinstance(line, int) and message for line, message in errors)


# --- round trip --------------------------------------------------------------------------------

ALPHABET = list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂĐÊÔƠƯáàảãạấầẩẫậếềểễệốồổỗộớờởỡợứừửữựíìỉĩịýỳỷỹỵ")
ALPHABET += [*"0123456789 ", "\\", "\n", *"~=#{}:/[]%->_."]  # GIFT's special characters and a newline
texts = st.text(alphabet=st.sampled_from(ALPHABET), min_size=1, max_size=25).map(str.strip).filter(bool)
maybe_text = st.one_of(st.just(""), texts)
weights = st.sampled_from([0.0, 0.5, 0.25, 0.3333333, 0.1, 1.0])


def key(text):
    return " ".join(text.split()).casefold()


@st.composite
def single_choice(draw):
    names = draw(st.lists(texts, min_size=2, max_size=5, unique=True))
    right = draw(st.integers(0, len(names) - 1))
    return {"choices": [{"text": n, "fraction": 1.0 if i == right else draw(weights),
                         "feedback": draw(maybe_text)} for i, n in enumerate(names)]}


@st.composite
def multiple_choice(draw):
    names = draw(st.lists(texts, min_size=2, max_size=5, unique=True))
    right = draw(st.integers(1, len(names)))
    share = round(1 / right, 7)
    wrong = st.sampled_from([0.0, -share, -1.0, -0.5])
    return {"choices": [{"text": n, "fraction": share if i < right else draw(wrong),
                         "feedback": draw(maybe_text)} for i, n in enumerate(names)]}


@st.composite
def short_answer(draw):
    names = draw(st.lists(texts.filter(lambda t: "->" not in t), min_size=1, max_size=4, unique_by=key))
    return {"answers": [{"text": n, "fraction": 1.0 if i == 0 else draw(weights),
                         "feedback": draw(maybe_text)} for i, n in enumerate(names)]}


numbers = st.floats(allow_nan=False, allow_infinity=False)
tolerances = st.floats(min_value=0, allow_infinity=False)


@st.composite
def numerical(draw):
    count = draw(st.integers(1, 3))
    return {"answers": [{"value": draw(numbers), "tolerance": draw(tolerances),
                         "fraction": 1.0 if i == 0 else draw(weights), "feedback": draw(maybe_text)}
                        for i in range(count)]}


@st.composite
def matching(draw):
    lefts = draw(st.lists(texts.filter(lambda t: "->" not in t), min_size=2, max_size=4, unique=True))
    rights = [draw(texts) for _ in lefts]
    extras = draw(st.lists(texts.filter(lambda t: t not in rights), max_size=2, unique=True))
    return {"pairs": [{"left": left, "right": right} for left, right in zip(lefts, rights, strict=True)],
            "distractors": extras}


true_false = st.builds(lambda answer, a, b: {"answer": answer, "feedback_true": a, "feedback_false": b},
                       st.booleans(), maybe_text, maybe_text)
essay = st.just({})

DEFINITIONS = {"single_choice": single_choice(), "multiple_choice": multiple_choice(),
               "short_answer": short_answer(), "numerical": numerical(), "matching": matching(),
               "true_false": true_false, "essay": essay}


@st.composite
def gift_question(draw, category):
    kind = draw(st.sampled_from(sorted(DEFINITIONS)))
    raw = dict(draw(DEFINITIONS[kind]), general_feedback=draw(maybe_text))
    try:
        data = strip_ids(QUESTION_TYPES[kind].validate(raw))
    except ValidationError:  # e.g. two texts equal once normalised: not a question an author can save
        reject()
    text_format = draw(st.sampled_from(["moodle", "html", "markdown"]))
    return ParsedQuestion(line=0, type=kind, title=draw(maybe_text), text=draw(texts), data=data,
                          category=category, text_format=text_format)


@st.composite
def gift_files(draw):
    categories = draw(st.lists(texts.filter(lambda t: "\n" not in t), min_size=1, max_size=2))
    use = draw(st.booleans())
    return draw(st.lists(st.sampled_from(categories).flatmap(gift_question) if use else gift_question(""),
                         min_size=1, max_size=4))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gift_files())
def test_export_then_parse_gives_back_the_same_questions(questions):
    text = export_gift(questions)
    parsed, errors = parse_gift(text)
    assert errors == [], text
    assert [q._replace(line=0) for q in parsed] == questions, text


def test_export_skips_what_gift_cannot_say():
    ordering = QUESTION_TYPES["ordering"].validate({"items": ["một", "hai"]})
    text = export_gift([ParsedQuestion(0, "ordering", "Thứ tự", "Sắp xếp", ordering)])
    assert text.startswith("//") and parse_gift(text) == ([], [])


def test_export_of_validated_data_ignores_ids():
    data = QUESTION_TYPES["single_choice"].validate({"choices": [{"text": "A", "correct": True}, "B"]})
    question = parse_one(export_gift([ParsedQuestion(0, "single_choice", "", "Chọn?", data)]))
    assert question.data == strip_ids(data)
