"""Item analysis of a quiz, with Moodle's quiz_statistics formulas (so trainers who know
Moodle's report read the same numbers).

Input: attempts, each a mapping ``question_id -> (mark, max_mark)``. An attempt's total is the
sum of its marks. A question drawn at random appears only in some attempts; its statistics use
those attempts (``s``), as Moodle does for a slot.

Per question (Moodle ``core_question\\statistics\\questions\\calculator``), over its ``s`` attempts
with mark ``x`` and rest-of-test mark ``y = total - x``:

- facility index = mean(x / max_mark), in percent;
- sd = sqrt(sum((x - mean x)^2) / (s - 1)) in marks (``sd_percent`` = sd / max mark);
- discrimination index = 100 * cov(x, y) / sqrt(var(x) * var(y)) (Pearson r with the rest);
- discriminative efficiency = 100 * cov(x, y) / covmax(x, y), where covmax pairs the sorted x
  with the sorted y: the largest covariance those marks could have;
- effective weight = 100 * sqrt(cov(x, total)) / sum over questions of the same, None for a
  question whose covariance with the total is negative.

Per quiz (Moodle ``quiz_statistics\\calculator``), over totals ``T`` of ``s`` attempts and
``p`` questions: mean, median, sd = sqrt(sum((T-mean)^2)/(s-1)); with m_k = sum((T-mean)^k)/s,
k2 = s m2/(s-1), k3 = s^2 m3/((s-1)(s-2)), k4 = s^2((s+1) m4 - 3(s-1) m2^2)/((s-1)(s-2)(s-3)):
skewness = k3 / k2^1.5 (s > 2), kurtosis = k4 / k2^2 (s > 3);
coefficient of internal consistency (Cronbach's alpha in percent) =
100 p/(p-1) * (1 - sum of question mark variances / k2); error ratio = 100 sqrt(1 - cic/100);
standard error = error ratio * sd / 100 (in marks).

A statistic that cannot be computed (too few attempts, zero variance) is None, never an error.
"""

from __future__ import annotations

import math
import statistics as pystats
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

Attempt = Mapping[Hashable, tuple[float, float]]


@dataclass(frozen=True)
class QuestionStatistics:
    question_id: Hashable
    s: int
    mean_mark: float
    max_mark: float
    facility: float | None
    sd: float | None
    sd_percent: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None
    effective_weight: float | None
    mark_variance: float | None


@dataclass(frozen=True)
class QuizStatistics:
    s: int
    p: int
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    cic: float | None
    error_ratio: float | None
    standard_error: float | None


@dataclass(frozen=True)
class Report:
    quiz: QuizStatistics
    questions: dict[Hashable, QuestionStatistics]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _cov(a: Sequence[float], b: Sequence[float]) -> float:
    ma, mb = _mean(a), _mean(b)
    return sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True)) / (len(a) - 1)


def question_statistics(attempts: Sequence[Attempt]) -> dict[Hashable, QuestionStatistics]:
    totals = [sum(mark for mark, _max in attempt.values()) for attempt in attempts]
    seen: dict[Hashable, list[tuple[float, float, float]]] = {}  # qid -> [(mark, max, total)]
    for attempt, total in zip(attempts, totals, strict=True):
        for qid, (mark, max_mark) in attempt.items():
            seen.setdefault(qid, []).append((float(mark), float(max_mark), total))

    partial = {}
    for qid, rows in seen.items():
        s = len(rows)
        marks = [r[0] for r in rows]
        rest = [r[2] - r[0] for r in rows]
        totals_q = [r[2] for r in rows]
        max_mark = max(r[1] for r in rows)
        fractions = [m / mx for m, mx, _t in rows if mx > 0]
        facility = 100.0 * _mean(fractions) if fractions else None
        sd = var_x = di = de = cov_total = None
        if s > 1:
            var_x, var_y, cov = _cov(marks, marks), _cov(rest, rest), _cov(marks, rest)
            cov_max = _cov(sorted(marks), sorted(rest))
            cov_total = _cov(marks, totals_q)
            sd = math.sqrt(var_x)
            if var_x * var_y:
                di = 100.0 * cov / math.sqrt(var_x * var_y)
            if cov_max:
                de = 100.0 * cov / cov_max
        partial[qid] = dict(question_id=qid, s=s, mean_mark=_mean(marks), max_mark=max_mark,
                            facility=facility, sd=sd,
                            sd_percent=(100.0 * sd / max_mark if sd is not None and max_mark else None),
                            discrimination_index=di, discriminative_efficiency=de,
                            mark_variance=var_x, _cov_total=cov_total)

    weights_sum = sum(math.sqrt(p["_cov_total"]) for p in partial.values()
                      if p["_cov_total"] is not None and p["_cov_total"] >= 0)
    result = {}
    for qid, fields in partial.items():
        cov_total = fields.pop("_cov_total")
        weight = None
        if weights_sum and cov_total is not None and cov_total >= 0:
            weight = 100.0 * math.sqrt(cov_total) / weights_sum
        result[qid] = QuestionStatistics(effective_weight=weight, **fields)
    return result


def quiz_statistics(attempts: Sequence[Attempt],
                    questions: Mapping[Hashable, QuestionStatistics] | None = None) -> QuizStatistics:
    if questions is None:
        questions = question_statistics(attempts)
    totals = [sum(mark for mark, _max in attempt.values()) for attempt in attempts]
    s, p = len(totals), len(questions)
    mean = median = sd = skewness = kurtosis = cic = error_ratio = standard_error = None
    if s:
        mean = _mean(totals)
        median = pystats.median(totals)
    if s > 1:
        power2 = sum((t - mean) ** 2 for t in totals)
        sd = math.sqrt(power2 / (s - 1))
        if s > 2:
            m2 = power2 / s
            m3 = sum((t - mean) ** 3 for t in totals) / s
            m4 = sum((t - mean) ** 4 for t in totals) / s
            k2 = s * m2 / (s - 1)
            k3 = s * s * m3 / ((s - 1) * (s - 2))
            if k2:
                skewness = k3 / k2 ** 1.5
                if s > 3:
                    k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
                    kurtosis = k4 / (k2 * k2)
                if p > 1:
                    variance_sum = sum(q.mark_variance or 0.0 for q in questions.values())
                    cic = (100.0 * p / (p - 1)) * (1 - variance_sum / k2)
                    if cic <= 100.0:  # above 100 only with odd data; its square root has no meaning
                        error_ratio = 100.0 * math.sqrt(1 - cic / 100.0)
                        standard_error = error_ratio * sd / 100.0
    return QuizStatistics(s=s, p=p, mean=mean, median=median, sd=sd, skewness=skewness, kurtosis=kurtosis,
                          cic=cic, error_ratio=error_ratio, standard_error=standard_error)


def analyse(attempts: Sequence[Attempt]) -> Report:
    """Both levels at once (the question variances feed the quiz's internal consistency)."""
    questions = question_statistics(attempts)
    return Report(quiz=quiz_statistics(attempts, questions), questions=questions)
