from hypothesis import given
from hypothesis import strategies as st

from assessments.draw import RandomSlot, build_layout, draw, shortfall, shuffle_order


def test_draw_is_deterministic_and_independent_of_pool_order():
    pool = list(range(1, 21))
    first = draw(pool, 5, seed=1234)
    assert first == draw(list(reversed(pool)), 5, seed=1234)
    assert len(set(first)) == 5 and set(first) <= set(pool)
    assert any(draw(pool, 5, seed=s) != first for s in range(5))


def test_draw_takes_what_there_is():
    assert sorted(draw([3, 1, 2], 10, seed=0)) == [1, 2, 3]
    assert draw([1, 2], 0, seed=0) == []
    assert draw([], 3, seed=0) == []


def test_shuffle_order_is_a_reproducible_permutation():
    ids = ["a", "b", "c", "d", "e"]
    assert shuffle_order(ids, 7) == shuffle_order(ids, 7)
    assert sorted(shuffle_order(ids, 7)) == ids


def test_layout_uses_each_question_once():
    slots = ["q1", RandomSlot(pool=("q1", "q2", "q3", "q4"), count=2),
             RandomSlot(pool=("q2", "q3", "q4"), count=2)]
    for seed in range(30):
        layout = build_layout(slots, seed)
        assert layout[0] == "q1" and len(layout) == len(set(layout)) == 4
    assert shortfall(slots) == 0
    assert shortfall([RandomSlot(pool=("a",), count=3)]) == 2


@given(st.integers(), st.booleans())
def test_layout_is_reproducible(seed, shuffle):
    slots = ["x", RandomSlot(pool=tuple(range(10)), count=3), "y"]
    layout = build_layout(slots, seed, shuffle=shuffle)
    assert layout == build_layout(slots, seed, shuffle=shuffle)
    assert {"x", "y"} <= set(layout) and len(layout) == 5
