"""Short answer, numerical, essay."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from assessments.questions import QUESTION_TYPES
from assessments.questions.essay import word_count
from assessments.questions.numerical import parse_number

from .samples import SAMPLES

short = QUESTION_TYPES["short_answer"]
numerical = QUESTION_TYPES["numerical"]
essay = QUESTION_TYPES["essay"]


# --- short answer ------------------------------------------------------------------------------


def test_short_answer_is_case_insensitive_by_default_and_collapses_spaces():
    data = short.validate({"answers": [{"text": "Hà Nội"}]})
    assert data["answers"][0]["fraction"] == 1.0
    assert short.grade(data, "  hà   NỘI ") == 1.0
    assert short.grade(data, "Ha Noi") == 0.0  # accents matter unless switched off


def test_short_answer_case_sensitive():
    data = short.validate({"answers": ["ASEAN"], "case_sensitive": True})
    assert short.grade(data, "ASEAN") == 1.0
    assert short.grade(data, "Asean") == 0.0


def test_short_answer_ignoring_vietnamese_diacritics():
    data = short.validate(SAMPLES["short_answer"])
    for typed in ("Hà Nội", "ha noi", "HA NÔI", "Hà  Nội"):
        assert short.grade(data, typed) == 1.0, typed
    assert short.grade(data, "thang long") == 0.5
    assert short.grade(data, "đà nẵng") == 0.0


def test_short_answer_matches_nfd_input():
    data = short.validate({"answers": ["Nguyễn Trãi"]})
    assert short.grade(data, unicodedata.normalize("NFD", "Nguyễn Trãi")) == 1.0


def test_short_answer_best_fraction_and_its_feedback():
    data = short.validate(SAMPLES["short_answer"])
    assert short.feedback(data, "Thăng Long")["specific"] == {"answer": "Tên cũ của Hà Nội."}
    assert short.feedback(data, "Huế")["specific"] == {}


@pytest.mark.parametrize("definition", [
    {"answers": []},
    {"answers": [{"text": "a", "fraction": 0.5}]},
    {"answers": [{"text": ""}]},
    {"answers": ["Hà Nội", "ha noi"], "ignore_accents": True},
])
def test_short_answer_rejects_bad_answers(definition):
    with pytest.raises(ValidationError) as info:
        short.validate(definition)
    assert "answers" in info.value.message_dict


def test_short_answer_response_is_text():
    data = short.validate(SAMPLES["short_answer"])
    assert short.validate_response(data, " Hà Nội ") == "Hà Nội"
    with pytest.raises(ValidationError):
        short.validate_response(data, 12)
    with pytest.raises(ValidationError):
        short.validate_response(data, "x" * 5000)


# --- numerical ---------------------------------------------------------------------------------


def test_numerical_tolerance_is_absolute_and_inclusive():
    data = numerical.validate({"answers": [{"value": 3.14, "tolerance": 0.01}]})
    assert numerical.grade(data, 3.15) == 1.0
    assert numerical.grade(data, 3.13) == 1.0
    assert numerical.grade(data, 3.16) == 0.0


def test_numerical_several_answers_best_fraction_wins():
    data = numerical.validate(SAMPLES["numerical"])
    assert numerical.grade(data, 1995) == 1.0
    assert numerical.grade(data, "1996,4") == 0.25
    assert numerical.grade(data, 1997) == 0.0
    assert numerical.feedback(data, 1996)["specific"] == {"answer": "Lệch một năm."}


def test_numerical_float_sums_are_not_refused():
    data = numerical.validate({"answers": [{"value": 0.3}]})
    assert numerical.grade(data, 0.1 + 0.2) == 1.0


@pytest.mark.parametrize(("text", "value"), [
    ("3.14", 3.14), ("3,14", 3.14), (" -2 ", -2.0), ("1e3", 1000.0), (7, 7.0),
    ("1,000.5", None), ("abc", None), ("nan", None), ("inf", None), (True, None), ("", None), ([1], None),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_numerical_validation():
    with pytest.raises(ValidationError) as info:
        numerical.validate({"answers": [{"value": "ba"}]})
    assert "answers" in info.value.message_dict
    with pytest.raises(ValidationError):
        numerical.validate({"answers": [{"value": 1, "tolerance": -1}]})
    with pytest.raises(ValidationError):
        numerical.validate({"answers": [{"value": float("inf")}]})
    data = numerical.validate(SAMPLES["numerical"])
    assert numerical.validate_response(data, "1995,0") == 1995.0
    with pytest.raises(ValidationError):
        numerical.validate_response(data, "một nghìn")


@given(st.floats(min_value=-1e6, max_value=1e6), st.floats(min_value=0, max_value=1e3))
def test_numerical_value_itself_is_always_right(value, tolerance):
    data = numerical.validate({"answers": [{"value": value, "tolerance": tolerance}]})
    assert numerical.grade(data, value) == 1.0
    assert numerical.grade(data, repr(value)) == 1.0


# --- essay -------------------------------------------------------------------------------------


def test_essay_needs_a_person_and_hides_grader_info():
    data = essay.validate(SAMPLES["essay"])
    assert essay.grade(data, "Bài làm") is None
    shown = essay.public(data, seed=1, shuffle=True)
    assert shown["min_words"] == 100 and shown["max_words"] == 500 and shown["template"] == "Mở bài: …"
    assert "grader_info" not in shown


def test_essay_word_limits_are_checked():
    with pytest.raises(ValidationError) as info:
        essay.validate({"min_words": 50, "max_words": 10})
    assert "max_words" in info.value.message_dict
    with pytest.raises(ValidationError):
        essay.validate({"min_words": -1})
    assert essay.validate({}) == {"min_words": 0, "max_words": 0, "template": "", "grader_info": "",
                                  "general_feedback": ""}


def test_essay_response_and_word_count():
    data = essay.validate(SAMPLES["essay"])
    nfd = unicodedata.normalize("NFD", "Thông tin đối ngoại\nlà cầu nối.")
    assert essay.validate_response(data, nfd) == unicodedata.normalize("NFC", nfd)
    assert word_count("Thông tin  đối ngoại\nlà cầu nối.") == 7
    with pytest.raises(ValidationError):
        essay.validate_response(data, {"text": "x"})
