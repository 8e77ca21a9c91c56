import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.grading import (
    AttemptResult,
    GradingMethod,
    QuestionMark,
    attempt_score,
    passed,
    percentage,
    quiz_grade,
    scale,
)


def test_attempt_score_sums_fraction_times_marks():
    score = attempt_score([QuestionMark(1.0, 2), QuestionMark(0.5, 4), (0.0, 1), (1 / 3, 3)])
    assert score.mark == pytest.approx(2 + 2 + 0 + 1)
    assert score.max_mark == 10
    assert score.percentage == 50.0
    assert score.needs_grading is False


def test_ungraded_question_counts_zero_and_flags_the_attempt():
    score = attempt_score([(1.0, 1), (None, 1)])
    assert score.mark == 1 and score.percentage == 50.0 and score.needs_grading


def test_out_of_range_fractions_are_clamped_and_empty_quiz_has_no_percentage():
    assert attempt_score([(1.5, 1), (-1, 1), (float("nan"), 1)]).mark == 1
    assert attempt_score([]).percentage is None
    with pytest.raises(ValueError):
        attempt_score([(1, -1)])


def test_float_sums_reach_the_pass_mark():
    score = attempt_score([(0.1, 1)] * 10 + [(0.0, 1)] * 15)  # float sum: 0.9999999999999999 marks
    assert score.mark < 1.0
    assert score.percentage == 4.0
    assert passed(score.percentage, 4) is True
    assert percentage(0.7 * 3, 3) == 70.0
    assert passed(69.999999999, 70) is True
    assert passed(69.99, 70) is False
    assert passed(None, 70) is None and passed(80, None) is None


ATTEMPTS = [
    AttemptResult(number=1, finished=True, percentage=60.0),
    AttemptResult(number=2, finished=True, percentage=90.0),
    AttemptResult(number=3, finished=True, percentage=75.0),
    AttemptResult(number=4, finished=False, percentage=None),  # still open: ignored
]


@pytest.mark.parametrize(("method", "expected"), [
    (GradingMethod.HIGHEST, 90.0), (GradingMethod.AVERAGE, 75.0),
    (GradingMethod.FIRST, 60.0), (GradingMethod.LAST, 75.0), ("last", 75.0),
])
def test_quiz_grade_by_method_ignores_unfinished(method, expected):
    assert quiz_grade(list(reversed(ATTEMPTS)), method) == expected


def test_quiz_grade_without_finished_attempts_is_none():
    assert quiz_grade([AttemptResult(1, False, None)], GradingMethod.HIGHEST) is None
    assert quiz_grade([], GradingMethod.AVERAGE) is None


def test_pending_manual_grading_blocks_only_the_grades_it_could_change():
    attempts = [AttemptResult(1, True, 80.0), AttemptResult(2, True, None)]
    assert quiz_grade(attempts, GradingMethod.FIRST) == 80.0
    assert quiz_grade(attempts, GradingMethod.LAST) is None
    assert quiz_grade(attempts, GradingMethod.HIGHEST) is None
    assert quiz_grade(attempts, GradingMethod.AVERAGE) is None


def test_unknown_method_is_a_programming_error():
    with pytest.raises(ValueError):
        quiz_grade(ATTEMPTS, "median")


def test_scale():
    assert scale(75.0, 10) == 7.5


@given(st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=8))
def test_grades_lie_between_the_worst_and_best_attempt(scores):
    attempts = [AttemptResult(i + 1, True, s) for i, s in enumerate(scores)]
    for method in GradingMethod:
        grade = quiz_grade(attempts, method)
        assert min(scores) - 1e-5 <= grade <= max(scores) + 1e-5


@given(st.lists(st.tuples(st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=10)),
                max_size=10))
def test_attempt_percentage_is_within_0_and_100(questions):
    score = attempt_score(questions)
    assert score.mark <= score.max_mark + 1e-9
    assert score.percentage is None or 0 <= score.percentage <= 100
