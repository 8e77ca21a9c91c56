"""The harness's pure parts on fixed inputs: report math, the CSV generator, TOTP, locust CSV."""

import time
import unicodedata

import pytest
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIRequestFactory

from backend.accounts.importing import users_import
from backend.accounts.user_csv import CsvRow, parse_users_csv
from backend.api import bench
from tests.bench.csvgen import users_csv
from tests.bench.load import parse_locust_stats, totp_code
from tests.bench.report import ImportStats, LoadStats, Report, format_markdown, format_text, ratios


def stats(name, rps, p50, p95, p99):
    return LoadStats(name=name, path=f"/{name}/", requests=1000, failures=0, rps=rps, p50=p50,
                     p95=p95, p99=p99)


def test_ratios_against_the_baseline():
    base = stats("bare-drf", 500.0, 10, 20, 40)
    me = stats("me", 250.0, 20, 50, 40)
    assert ratios(me, base) == {"rps": 0.5, "p50": 2.0, "p95": 2.5, "p99": 1.0}
    assert ratios(me, None)["rps"] is None

    report = Report(meta={"db": "postgres"}, http=[base, me],
                    imports=[ImportStats("in-process", 10_000, 9990, 0, 10, 4.0, 12.5)])
    data = report.as_dict()
    assert data["http"][1]["ratio"]["rps"] == 0.5
    assert data["import"][0]["rows_per_second"] == 2500.0
    text = format_text(report)
    assert "0.50" in text and "2,500" in text
    assert "| me | /me/ | 250.0 |" in format_markdown(report)


def test_csv_has_vietnamese_names_and_the_bad_rows_it_claims():
    data, bad = users_csv(rows=2000, organisation_codes=["bench-m00-d0", "bench-x000"],
                          prefix="t", bad_every=500)
    assert bad == 4
    rows = parse_users_csv(data)
    assert len(rows) == 2000
    names = [r.full_name for r in rows if isinstance(r, CsvRow) and r.full_name]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert any(set(n) & set("ễịạốừĐđ") for n in names)


@pytest.mark.django_db
def test_generated_csv_imports_with_exactly_its_bad_rows_refused(tree):
    data, bad = users_csv(rows=40, organisation_codes=["dept", "mission"], prefix="t", bad_every=10)
    result = users_import(actor=None, data=data)
    assert (result.created, result.errors) == (40 - bad, bad)


def test_totp_code_is_what_allauth_accepts():
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    assert validate_totp_code(secret, totp_code(secret))
    # RFC 6238 appendix B: SHA-1 secret "12345678901234567890", T = 59 s -> 94287082 (8 digits).
    assert totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", at=59, digits=8) == "94287082"
    assert totp_code(secret, at=time.time()) == totp_code(secret)


def test_locust_csv_is_read(tmp_path):
    path = tmp_path / "me_stats.csv"
    path.write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
        "GET,/api/v1/me/,900,3,12,14.2,3,80,310,60.04,0.2,12,14,15,16,20,31,40,52,70,80,80\n"
        ",Aggregated,900,3,12,14.2,3,80,310,60.04,0.2,12,14,15,16,20,31,40,52,70,80,80\n")
    s = parse_locust_stats(path, name="me", path="/api/v1/me/", clients=8, seconds=15)
    assert (s.requests, s.failures, s.rps, s.p50, s.p95, s.p99) == (900, 3, 60.0, 12, 31, 52)


@pytest.mark.django_db
def test_bare_endpoints_answer_but_are_not_routed_by_default(tree):
    with pytest.raises(NoReverseMatch):
        reverse("bench-bare-drf")
    request = APIRequestFactory().get("/bench/bare/drf/")
    response = bench.BareDrfList.as_view()(request)
    assert response.status_code == 200 and len(response.data) == 5
    assert len(bench.bare_json(request).content) > 50
