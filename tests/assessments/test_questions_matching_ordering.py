"""Matching and ordering."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from assessments.questions import QUESTION_TYPES
from assessments.questions.ordering import longest_increasing_run

from .samples import SAMPLES

matching = QUESTION_TYPES["matching"]
ordering = QUESTION_TYPES["ordering"]


# --- matching ----------------------------------------------------------------------------------


def test_matching_ids_are_distinct_and_shared_rights_share_an_option():
    data = matching.validate({"pairs": [
        {"left": "Hà Nội", "right": "Việt Nam"}, {"left": "TP Hồ Chí Minh", "right": "Việt Nam"},
        {"left": "Viêng Chăn", "right": "Lào"}]})
    rights = [p["right_id"] for p in data["pairs"]]
    assert rights[0] == rights[1] != rights[2]
    assert not {p["id"] for p in data["pairs"]} & set(rights)
    shown = matching.public(data, seed=3, shuffle=False)
    assert sorted(o["text"] for o in shown["right"]) == ["Lào", "Việt Nam"]


def test_matching_partial_credit_per_pair():
    data = matching.validate(SAMPLES["matching"])
    key = matching.correct_response(data)
    left = [p["id"] for p in data["pairs"]]
    assert matching.grade(data, key) == 1.0
    wrong = dict(key, **{left[0]: key[left[1]]})
    assert matching.grade(data, wrong) == pytest.approx(2 / 3)
    assert matching.grade(data, {left[2]: key[left[2]]}) == pytest.approx(1 / 3)
    extra_id = data["distractors"][0]["id"]
    assert matching.grade(data, dict(key, **{left[0]: extra_id})) == pytest.approx(2 / 3)
    assert matching.grade(data, {"ghost": "x"}) == 0.0
    assert matching.grade(data, [1, 2]) == 0.0


def test_matching_public_shows_distractors_and_no_pairing():
    data = matching.validate(SAMPLES["matching"])
    shown = matching.public(data, seed=9, shuffle=True)
    assert {o["text"] for o in shown["right"]} == {"Việt Nam", "Lào", "Campuchia", "Thái Lan"}
    assert {o["text"] for o in shown["left"]} == {"Hà Nội", "Viêng Chăn", "Phnôm Pênh"}
    assert all(set(item) == {"id", "text"} for item in shown["left"] + shown["right"])


def test_matching_validation_errors():
    for definition, field in [
        ({"pairs": [{"left": "a", "right": "b"}]}, "pairs"),
        ({"pairs": [{"left": "a", "right": "b"}, {"left": "a", "right": "c"}]}, "pairs"),
        ({"pairs": [{"left": "a", "right": "b"}, {"left": "c", "right": ""}]}, "pairs"),
        ({"pairs": [{"left": "a", "right": "b"}, {"left": "c", "right": "d"}], "distractors": ["b"]},
         "distractors"),
    ]:
        with pytest.raises(ValidationError) as info:
            matching.validate(definition)
        assert field in info.value.message_dict


def test_matching_response_validation():
    data = matching.validate(SAMPLES["matching"])
    left = data["pairs"][0]["id"]
    assert matching.validate_response(data, {left: None}) == {}
    with pytest.raises(ValidationError):
        matching.validate_response(data, {left: "ghost"})
    with pytest.raises(ValidationError):
        matching.validate_response(data, {"ghost": data["pairs"][0]["right_id"]})


# --- ordering ----------------------------------------------------------------------------------


def ordered(method="longest_ordered_subset"):
    data = ordering.validate({**SAMPLES["ordering"], "grading": method})
    return data, [i["id"] for i in data["items"]]


def test_ordering_longest_ordered_subset():
    data, (a, b, c, d) = ordered()
    assert ordering.grade(data, [a, b, c, d]) == 1.0
    assert ordering.grade(data, [b, a, c, d]) == 0.75  # a, c, d (or b, c, d) still in order
    assert ordering.grade(data, [d, a, b, c]) == 0.75
    assert ordering.grade(data, [d, c, b, a]) == 0.0  # longest run is one item: no credit
    assert ordering.grade(data, [c, d, a, b]) == 0.5


def test_ordering_absolute_position_and_all_or_nothing():
    data, (a, b, c, d) = ordered("absolute_position")
    assert ordering.grade(data, [d, a, b, c]) == 0.0
    assert ordering.grade(data, [b, a, c, d]) == 0.5
    data, (a, b, c, d) = ordered("all_or_nothing")
    assert ordering.grade(data, [a, b, d, c]) == 0.0
    assert ordering.grade(data, [a, b, c, d]) == 1.0


def test_ordering_refuses_incomplete_or_repeated_responses():
    data, (a, b, c, _d) = ordered()
    assert ordering.grade(data, [a, b, c]) == 0.0
    assert ordering.grade(data, [a, a, b, c]) == 0.0
    with pytest.raises(ValidationError):
        ordering.validate_response(data, [a, b, c])


def test_ordering_is_shown_as_a_permutation_of_every_item():
    """Uniformity (the right order shown as often as any other) is in test_shuffling.py."""
    data, right = ordered()
    for seed in range(50):
        for shuffle in (True, False):
            shown = [i["id"] for i in ordering.public(data, seed=seed, shuffle=shuffle)["items"]]
            assert sorted(shown) == sorted(right)


def test_ordering_validation():
    with pytest.raises(ValidationError) as info:
        ordering.validate({"items": ["một"]})
    assert "items" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        ordering.validate({"items": ["a", "b"], "grading": "magic"})
    assert "grading" in info.value.message_dict


@given(st.permutations(list(range(6))))
def test_longest_increasing_run_matches_brute_force(perm):
    from itertools import combinations
    best = max(k for k in range(1, 7) for combo in combinations(perm, k) if list(combo) == sorted(combo)) \
        if perm else 0
    assert longest_increasing_run(list(perm)) == best
