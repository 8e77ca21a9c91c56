"""Single choice, multiple choice, true/false."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from assessments.questions import QUESTION_TYPES

from .samples import SAMPLES

single = QUESTION_TYPES["single_choice"]
multiple = QUESTION_TYPES["multiple_choice"]
true_false = QUESTION_TYPES["true_false"]


def ids_by_text(data):
    return {c["text"]: c["id"] for c in data["choices"]}


# --- single choice -----------------------------------------------------------------------------


def test_single_choice_gets_opaque_unique_ids_and_defaults():
    data = single.validate(SAMPLES["single_choice"])
    ids = [c["id"] for c in data["choices"]]
    assert len(set(ids)) == 3 and all(re.fullmatch(r"c[0-9a-f]{8}", i) for i in ids)
    assert data["shuffle"] is True
    assert [c["fraction"] for c in data["choices"]] == [1.0, 0.0, 0.5]


def test_single_choice_keeps_author_ids_and_refuses_duplicates():
    data = single.validate({"choices": [{"id": "a", "text": "X", "correct": True}, {"id": "b", "text": "Y"}]})
    assert ids_by_text(data) == {"X": "a", "Y": "b"}
    with pytest.raises(ValidationError) as info:
        single.validate({"choices": [{"id": "a", "text": "X", "correct": True}, {"id": "a", "text": "Y"}]})
    assert "choices" in info.value.message_dict


def test_single_choice_grades_by_fraction():
    data = single.validate(SAMPLES["single_choice"])
    ids = ids_by_text(data)
    assert single.grade(data, ids["Bộ Ngoại giao"]) == 1.0
    assert single.grade(data, ids["Bộ Thông tin và Truyền thông"]) == 0.5
    assert single.grade(data, ids["Bộ Công Thương"]) == 0.0
    assert single.grade(data, "nope") == 0.0
    assert single.grade(data, [ids["Bộ Ngoại giao"]]) == 0.0


@pytest.mark.parametrize(("definition", "field", "fragment"), [
    ({"choices": [{"text": "Một", "correct": True}]}, "choices", "two choices"),
    ({"choices": [{"text": "A"}, {"text": "B"}]}, "choices", "fully correct"),
    ({"choices": [{"text": "A", "correct": True}, {"text": "  "}]}, "choices", "Choice 2"),
    ({"choices": [{"text": "A", "correct": True}, {"text": "A"}]}, "choices", "same text"),
    ({"choices": [{"text": "A", "fraction": 1.5}, {"text": "B"}]}, "choices", "between"),
    ({"choices": [{"text": "A", "fraction": -0.5}, {"text": "B", "correct": True}]}, "choices", "between"),
    ({"choices": "A,B"}, "choices", "list"),
    ({"choices": [{"text": "A", "correct": True}, {"text": "B"}], "shuffle": "yes"}, "shuffle",
     "true or false"),
])
def test_single_choice_validation_names_the_field(definition, field, fragment):
    with translation.override("en"), pytest.raises(ValidationError) as info:
        single.validate(definition)
    assert fragment in " ".join(info.value.message_dict[field])


def test_single_choice_response_validation():
    data = single.validate(SAMPLES["single_choice"])
    some_id = data["choices"][0]["id"]
    assert single.validate_response(data, some_id) == some_id
    assert single.validate_response(data, None) is None
    for bad in ("zzz", 3, [some_id]):
        with pytest.raises(ValidationError):
            single.validate_response(data, bad)


def test_single_choice_feedback_is_for_the_picked_choice():
    data = single.validate(SAMPLES["single_choice"])
    ids = ids_by_text(data)
    result = single.feedback(data, ids["Bộ Công Thương"])
    assert result["specific"] == {ids["Bộ Công Thương"]: "Không phải cơ quan chủ trì."}
    assert result["general"] == "Xem Nghị định 72/2015/NĐ-CP."


def test_shuffled_choices_are_a_permutation_and_respect_the_question_switch():
    data = single.validate(SAMPLES["single_choice"])
    authored = [{"id": c["id"], "text": c["text"]} for c in data["choices"]]
    for seed in range(20):
        shown = single.public(data, seed=seed, shuffle=True)["choices"]
        assert sorted(shown, key=lambda c: c["id"]) == sorted(authored, key=lambda c: c["id"])
    fixed = single.validate({**SAMPLES["single_choice"], "shuffle": False})
    assert all(single.public(fixed, seed=s, shuffle=True)["choices"] == [
        {"id": c["id"], "text": c["text"]} for c in fixed["choices"]] for s in range(10))


# --- multiple choice ---------------------------------------------------------------------------


def test_multiple_choice_shortcut_gives_credit_and_penalties():
    data = multiple.validate(SAMPLES["multiple_choice"])
    assert [c["fraction"] for c in data["choices"]] == [0.5, 0.5, -0.5, -0.5]
    ids = ids_by_text(data)
    assert multiple.grade(data, [ids["Lào"], ids["Campuchia"]]) == 1.0
    assert multiple.grade(data, [ids["Lào"]]) == 0.5
    assert multiple.grade(data, [ids["Lào"], ids["Nhật Bản"]]) == 0.0
    assert multiple.grade(data, [ids["Lào"], ids["Campuchia"], ids["Nhật Bản"]]) == 0.5
    assert multiple.grade(data, list(ids.values())) == 0.0  # ticking everything earns nothing
    assert multiple.grade(data, [ids["Nhật Bản"], ids["Ấn Độ"]]) == 0.0  # never below 0
    assert multiple.grade(data, []) == 0.0


def test_multiple_choice_thirds_add_up_to_exactly_one():
    data = multiple.validate({"choices": [
        {"text": "a", "fraction": 0.3333333}, {"text": "b", "fraction": 0.3333333},
        {"text": "c", "fraction": 0.3333333}, {"text": "d", "fraction": -1}]})
    assert multiple.grade(data, multiple.correct_response(data)) == 1.0


def test_multiple_choice_positive_fractions_must_total_one():
    with pytest.raises(ValidationError) as info:
        multiple.validate({"choices": [{"text": "a", "fraction": 0.5}, {"text": "b", "fraction": 0.2}]})
    assert "choices" in info.value.message_dict


def test_multiple_choice_malformed_responses_score_zero():
    data = multiple.validate(SAMPLES["multiple_choice"])
    right = multiple.correct_response(data)
    assert multiple.grade(data, [*right, "unknown"]) == 0.0
    assert multiple.grade(data, "c1") == 0.0
    assert multiple.grade(data, {"a": 1}) == 0.0


def test_multiple_choice_response_is_deduplicated_in_authored_order():
    data = multiple.validate(SAMPLES["multiple_choice"])
    first, second = data["choices"][0]["id"], data["choices"][1]["id"]
    assert multiple.validate_response(data, [second, first, second]) == [first, second]
    with pytest.raises(ValidationError):
        multiple.validate_response(data, [first, "ghost"])


@given(st.sets(st.integers(min_value=0, max_value=3)))
def test_multiple_choice_score_is_within_bounds_for_any_pick(picks):
    data = multiple.validate(SAMPLES["multiple_choice"])
    score = multiple.grade(data, [data["choices"][i]["id"] for i in picks])
    assert 0.0 <= score <= 1.0


# --- true / false ------------------------------------------------------------------------------


def test_true_false_grades_bools_and_their_strings():
    data = true_false.validate(SAMPLES["true_false"])
    assert true_false.grade(data, True) == 1.0
    assert true_false.grade(data, "true") == 1.0
    assert true_false.grade(data, False) == 0.0
    assert true_false.grade(data, 1) == 0.0
    assert true_false.validate_response(data, "False") is False
    with pytest.raises(ValidationError):
        true_false.validate_response(data, "có")


def test_true_false_feedback_follows_the_answer_given():
    data = true_false.validate(SAMPLES["true_false"])
    assert true_false.feedback(data, False)["specific"] == {"false": "Sai: Việt Nam gia nhập ASEAN năm 1995."}
    assert true_false.feedback(data, True)["specific"] == {"true": "Đúng vậy, năm 1995."}


def test_true_false_needs_a_bool_answer():
    with pytest.raises(ValidationError) as info:
        true_false.validate({"answer": "true"})
    assert "answer" in info.value.message_dict
