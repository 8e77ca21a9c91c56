import datetime as dt

import pytest

from certificates.expiry import add_months, certificate_status, expiry_date

UTC = dt.UTC
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),   # leap year
    (dt.date(2026, 1, 31), 2, dt.date(2026, 3, 31)),   # no drift from clamping in between
    (dt.date(2026, 3, 31), 1, dt.date(2026, 4, 30)),
    (dt.date(2026, 11, 15), 3, dt.date(2027, 2, 15)),  # across a year
    (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
    (dt.date(2026, 5, 10), 24, dt.date(2028, 5, 10)),
])
def test_month_arithmetic_is_end_of_month_safe(start, months, expected):
    assert add_months(start, months) == expected
    assert expiry_date(start, months) == expected


def test_no_validity_means_no_expiry():
    assert expiry_date(dt.date(2026, 1, 1), None) is None


@pytest.mark.parametrize("months", [0, -3])
def test_non_positive_validity_is_rejected(months):
    with pytest.raises(ValueError):
        expiry_date(dt.date(2026, 1, 1), months)


def test_status_valid_without_expiry():
    assert certificate_status(None, None, NOW) == "valid"


def test_expiry_day_is_still_valid_and_the_next_day_is_not():
    assert certificate_status(None, dt.date(2026, 6, 15), NOW) == "valid"
    assert certificate_status(None, dt.date(2026, 6, 14), NOW) == "expired"


def test_expiry_instant():
    assert certificate_status(None, NOW + dt.timedelta(seconds=1), NOW) == "valid"
    assert certificate_status(None, NOW, NOW) == "expired"


def test_revocation_wins_over_expiry():
    assert certificate_status(NOW, dt.date(2020, 1, 1), NOW) == "revoked"
    assert certificate_status(NOW - dt.timedelta(days=1), None, NOW) == "revoked"
