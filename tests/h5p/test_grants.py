"""Player grants: signed, bound to user + lesson + content + framing origin, time-limited."""

from __future__ import annotations

import pytest

from courses.h5p import grants
from courses.h5p.grants import PlayerGrant, grant_make, grant_read

GRANT = PlayerGrant(user_id=7, lesson_id=42, content_key="l42-0123456789abcdef",
                    parent_origin="http://localhost:8000", language="vi")


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1_800_000_000.0}
    monkeypatch.setattr(grants.time, "time", lambda: now["t"])
    monkeypatch.setattr("django.core.signing.time.time", lambda: now["t"])
    return now


def test_a_grant_reads_back_as_made(clock):
    token = grant_make(GRANT)
    assert grant_read(token) == GRANT
    assert "/" not in token  # one path segment


def test_a_changed_token_is_worthless(clock):
    token = grant_make(GRANT)
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), token.replace(":", ";", 1), "", "x:y:z"):
        assert grant_read(forged) is None
    other_salt = grants._SteppedSigner(salt="something else").sign_object([7, 42, "k", "http://a", "vi"])
    assert grant_read(other_salt) is None


def test_a_grant_expires(clock, settings):
    settings.H5P_GRANT_SECONDS = 3600
    token = grant_make(GRANT)
    clock["t"] += 3600 - grants.STEP_SECONDS
    assert grant_read(token) == GRANT
    clock["t"] += grants.STEP_SECONDS + 1
    assert grant_read(token) is None


def test_reloads_within_a_step_get_the_same_urls(clock):
    clock["t"] = 1_800_000_100.0  # 1_800_000_000 is a multiple of the step
    first = grant_make(GRANT)
    clock["t"] += 150
    assert grant_make(GRANT) == first
    clock["t"] += grants.STEP_SECONDS
    assert grant_make(GRANT) != first


@pytest.mark.parametrize("origin", ["javascript:alert(1)", "http://a b", "http://x; script-src *", "null"])
def test_only_a_plain_origin_may_be_bound(origin):
    with pytest.raises(ValueError):
        grant_make(PlayerGrant(1, 2, "k", origin, "vi"))
