"""Item statistics against values computed by hand (Moodle's formulas, see the module doc).

Fixture: 4 attempts, q1 and q2 out of 1 mark, q3 out of 2.

    attempt  q1 q2 q3 | total
    A1        1  1  2 |   4
    A2        1  0  1 |   2
    A3        0  1  0 |   1
    A4        0  0  1 |   1

q1: x = 1,1,0,0 (mean 1/2); rest y = T - x = 3,1,1,1 (mean 3/2).
    var x = 4 * (1/2)^2 / 3 = 1/3; var y = (9/4 + 3 * 1/4) / 3 = 1.
    cov = (1/2*3/2 + 1/2*-1/2 + -1/2*-1/2 + -1/2*-1/2) / 3 = (3/4 - 1/4 + 1/4 + 1/4) / 3 = 1/3.
    DI = 100 * (1/3) / sqrt(1/3 * 1) = 100/sqrt(3) = 57.735.
    covmax: sorted x 0,0,1,1 with sorted y 1,1,1,3: (1/4 + 1/4 - 1/4 + 3/4) / 3 = 1/3 -> DE = 100.
    cov with total (T = 4,2,1,1, mean 2): (1/2*2 + 0 + 1/2 + 1/2) / 3 = 2/3.
q2: x = 1,0,1,0; y = 3,2,0,1 (mean 3/2, var (9/4+1/4+9/4+1/4)/3 = 5/3).
    cov = (3/4 - 1/4 - 3/4 + 1/4) / 3 = 0 -> DI = 0, DE = 0.
    covmax: sorted y 0,1,2,3 -> (3/4 + 1/4 + 1/4 + 3/4) / 3 = 2/3.
    cov with total = (1 + 0 - 1/2 + 1/2) / 3 = 1/3.
q3: x = 2,1,0,1 (mean 1, facility mean(1, .5, 0, .5) = 50 %); var x = (1+0+1+0)/3 = 2/3;
    y = 2,1,1,0 (mean 1, var 2/3); cov = (1*1 + 0 + 0 + 0) / 3 = 1/3 -> DI = (1/3)/(2/3) = 50.
    covmax: sorted x 0,1,1,2 and sorted y 0,1,1,2: (1 + 0 + 0 + 1)/3 = 2/3 -> DE = 50.
    sd = sqrt(2/3) = 0.8165, as a percentage of 2 marks 40.825. cov with total = (2 + 0 + 1 + 0)/3 = 1.
Effective weights: sqrt(2/3), sqrt(1/3), 1 over their sum 2.393847 -> 34.108, 24.118, 41.774.

Quiz: T = 4,2,1,1; mean 2, median (1+2)/2 = 1.5; deviations 2,0,-1,-1;
    sum d^2 = 6, d^3 = 6, d^4 = 18; sd = sqrt(6/3) = sqrt(2).
    m2 = 1.5, m3 = 1.5, m4 = 4.5; k2 = 4*1.5/3 = 2; k3 = 16*1.5/(3*2) = 4; skewness = 4/2^1.5 = sqrt(2).
    k4 = 16 * (5*4.5 - 3*3*1.5^2) / (3*2*1) = 16 * 2.25 / 6 = 6; kurtosis = 6 / 2^2 = 1.5.
    CIC = 100 * 3/2 * (1 - (1/3 + 1/3 + 2/3) / 2) = 150 * (1/3) = 50.
    error ratio = 100 * sqrt(1 - 0.5) = 70.711; standard error = 70.711 * sqrt(2) / 100 = 1.
"""

import math

import pytest

from assessments.statistics import analyse, question_statistics, quiz_statistics

ATTEMPTS = [
    {"q1": (1, 1), "q2": (1, 1), "q3": (2, 2)},
    {"q1": (1, 1), "q2": (0, 1), "q3": (1, 2)},
    {"q1": (0, 1), "q2": (1, 1), "q3": (0, 2)},
    {"q1": (0, 1), "q2": (0, 1), "q3": (1, 2)},
]

approx = pytest.approx


def test_question_statistics_match_the_hand_computation():
    stats = question_statistics(ATTEMPTS)
    q1, q2, q3 = stats["q1"], stats["q2"], stats["q3"]
    assert (q1.s, q1.facility, q2.facility, q3.facility) == (4, 50.0, 50.0, 50.0)
    assert q1.sd == approx(math.sqrt(1 / 3)) and q3.sd == approx(math.sqrt(2 / 3))
    assert q3.sd_percent == approx(40.8248, abs=1e-4)
    assert q1.discrimination_index == approx(100 / math.sqrt(3))
    assert q1.discriminative_efficiency == approx(100.0)
    assert q2.discrimination_index == approx(0.0, abs=1e-12)
    assert q2.discriminative_efficiency == approx(0.0, abs=1e-12)
    assert q3.discrimination_index == approx(50.0)
    assert q3.discriminative_efficiency == approx(50.0)
    total = math.sqrt(2 / 3) + math.sqrt(1 / 3) + 1
    assert q1.effective_weight == approx(100 * math.sqrt(2 / 3) / total)
    assert q2.effective_weight == approx(24.118, abs=1e-3)
    assert q3.effective_weight == approx(41.774, abs=1e-3)
    assert q1.effective_weight + q2.effective_weight + q3.effective_weight == approx(100.0)


def test_quiz_statistics_match_the_hand_computation():
    report = analyse(ATTEMPTS)
    quiz = report.quiz
    assert (quiz.s, quiz.p, quiz.mean, quiz.median) == (4, 3, 2.0, 1.5)
    assert quiz.sd == approx(math.sqrt(2))
    assert quiz.skewness == approx(math.sqrt(2))
    assert quiz.kurtosis == approx(1.5)
    assert quiz.cic == approx(50.0)
    assert quiz.error_ratio == approx(100 * math.sqrt(0.5))
    assert quiz.standard_error == approx(1.0)


def test_too_few_attempts_give_none_not_errors():
    one = analyse(ATTEMPTS[:1])
    assert one.quiz.mean == 4.0 and one.quiz.sd is None and one.quiz.cic is None
    assert one.questions["q1"].discrimination_index is None and one.questions["q1"].sd is None
    empty = analyse([])
    assert empty.quiz.s == 0 and empty.quiz.mean is None and empty.questions == {}
    three = quiz_statistics(ATTEMPTS[:3])
    assert three.skewness is not None and three.kurtosis is None


def test_everyone_equal_gives_no_discrimination_and_no_consistency():
    same = [{"a": (1, 1), "b": (0, 1)}] * 5
    report = analyse(same)
    assert report.questions["a"].discrimination_index is None
    assert report.questions["a"].discriminative_efficiency is None
    assert report.quiz.sd == 0 and report.quiz.skewness is None and report.quiz.cic is None


def test_randomly_drawn_questions_use_only_their_attempts():
    attempts = [{"q1": (1, 1), "r1": (1, 1)}, {"q1": (0, 1), "r2": (1, 1)}, {"q1": (1, 1), "r1": (0, 1)}]
    stats = question_statistics(attempts)
    assert stats["r1"].s == 2 and stats["r2"].s == 1 and stats["q1"].s == 3
    assert stats["r1"].facility == 50.0
