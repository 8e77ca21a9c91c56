"""The open-loop exam surge driver's pure parts: the arrival schedule, think times, and the
summary that measures latency from each request's due time (tests/bench/exam_surge.py)."""

import random

from tests.bench.exam_surge import Sample, arrival_schedule, summarise, think_times


def test_arrivals_are_spread_evenly_over_the_window():
    offsets = arrival_schedule(2000, 15.0)
    assert len(offsets) == 2000 and offsets[0] == 0.0 and offsets[-1] < 15.0
    assert abs((offsets[1] - offsets[0]) - 15.0 / 2000) < 1e-12
    assert arrival_schedule(0, 15.0) == [] and arrival_schedule(3, 0) == [0.0, 0.0, 0.0]


def test_think_times_stay_around_their_mean():
    times = think_times(random.Random(1), 8.0, 1000)
    assert min(times) >= 4.0 and max(times) <= 12.0
    assert 7.5 < sum(times) / len(times) < 8.5
    assert think_times(random.Random(1), 0, 3) == [0.0, 0.0, 0.0]


def test_latency_counts_from_the_due_time_so_a_late_send_shows():
    samples = [
        Sample("start", due=0.0, sent=0.0, done=0.1, status=201),
        # The driver (or a queue before it) sent this one a second late: 1.2 s, not 0.2 s.
        Sample("start", due=1.0, sent=2.0, done=2.2, status=201),
        Sample("start", due=2.0, sent=2.0, done=2.5, status=0),
        Sample("autosave", due=3.0, sent=3.0, done=3.05, status=200),
        Sample("submit", due=4.0, sent=4.0, done=4.3, status=409),
    ]
    out = summarise(samples)
    start = out["start"]
    assert start["requests"] == 3 and start["errors"] == 1 and start["errors_by_status"] == {"0": 1}
    assert start["max"] == 1200.0 and start["p50"] == 500.0
    assert start["client_lag_p99"] == 1000.0
    assert out["autosave"]["errors"] == 0 and out["autosave"]["p99"] == 50.0
    assert out["submit"]["errors_by_status"] == {"409": 1}
