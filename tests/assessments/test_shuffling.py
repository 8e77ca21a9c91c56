"""What a trainee sees is shuffled uniformly with the attempt's seed: every order equally often,
the authored (correct) one included, so the displayed order says nothing about the answer.

Fixed seeds, so the counts are the same on every run; the bounds are about five standard
deviations wide (a biased shuffle, like "never the authored order", is far outside them)."""

from collections import Counter
from itertools import permutations

import pytest

from assessments.models import Attempt
from assessments.payloads import question_seed
from assessments.questions import QUESTION_TYPES

RUNS = 6000
SEEDS = [question_seed(Attempt(seed=n * 1_000_003 + 17), position=3) for n in range(RUNS)]
CHI2_DF5_P001 = 20.52  # chi-square, 5 degrees of freedom, p = 0.001

ordering = QUESTION_TYPES["ordering"]
matching = QUESTION_TYPES["matching"]
single = QUESTION_TYPES["single_choice"]


def _counts(show, n_items: int) -> Counter:
    counts = Counter(tuple(show(seed)) for seed in SEEDS)
    assert set(counts) <= set(permutations(range(n_items)))
    return counts


def _assert_uniform(counts: Counter, n_orders: int) -> None:
    expected = RUNS / n_orders
    assert len(counts) == n_orders, counts
    chi2 = sum((c - expected) ** 2 / expected for c in counts.values())
    assert chi2 < CHI2_DF5_P001, (chi2, counts)
    spread = 5 * (expected * (1 - 1 / n_orders)) ** 0.5
    assert all(abs(c - expected) < spread for c in counts.values()), counts


def _ordering(texts):
    data = ordering.validate({"items": texts})
    index = {item["id"]: n for n, item in enumerate(data["items"])}
    return data, lambda seed: [index[i["id"]] for i in ordering.public(data, seed, True)["items"]]


def test_ordering_of_three_items_shows_every_order_equally_often_the_right_one_too():
    _data, show = _ordering(["Ban hành Kết luận", "Ban hành Hướng dẫn", "Hội nghị toàn quốc"])
    counts = _counts(show, 3)
    _assert_uniform(counts, 6)
    assert counts[(0, 1, 2)] > 0


def test_ordering_of_two_items_shows_the_right_order_about_half_the_time():
    _data, show = _ordering(["Trước", "Sau"])
    right = _counts(show, 2)[(0, 1)]
    assert abs(right - RUNS / 2) < 5 * (RUNS / 4) ** 0.5, right  # 3000 ± 194


@pytest.mark.parametrize("shuffle", [True, False])
def test_ordering_is_shuffled_whatever_the_quiz_switch_says(shuffle):
    data, _show = _ordering(["Một", "Hai", "Ba"])
    shown = {tuple(i["id"] for i in ordering.public(data, seed, shuffle)["items"]) for seed in SEEDS[:200]}
    assert len(shown) == 6


def test_choices_are_shuffled_uniformly():
    data = single.validate({"choices": [{"text": "A", "fraction": 1}, {"text": "B"}, {"text": "C"}]})
    index = {c["id"]: n for n, c in enumerate(data["choices"])}
    shown = _counts(lambda s: [index[c["id"]] for c in single.public(data, s, True)["choices"]], 3)
    _assert_uniform(shown, 6)


def test_matching_sides_are_shuffled_uniformly_and_independently():
    data = matching.validate({"pairs": [{"left": "Nhân lực", "right": "con người"},
                                        {"left": "Tài lực", "right": "tiền"},
                                        {"left": "Vật lực", "right": "của cải"}], "shuffle": True})
    lefts = {p["id"]: n for n, p in enumerate(data["pairs"])}
    rights = {p["right_id"]: n for n, p in enumerate(data["pairs"])}
    shown = {s: matching.public(data, s, True) for s in SEEDS}
    _assert_uniform(_counts(lambda s: [lefts[x["id"]] for x in shown[s]["left"]], 3), 6)
    _assert_uniform(_counts(lambda s: [rights[x["id"]] for x in shown[s]["right"]], 3), 6)
    # Where the first left item's partner is shown says nothing: each place equally often.
    partner = Counter(
        [rights[x["id"]] for x in shown[s]["right"]].index(lefts[shown[s]["left"][0]["id"]]) for s in SEEDS)
    assert all(abs(c - RUNS / 3) < 5 * (RUNS * 2 / 9) ** 0.5 for c in partner.values()), partner
