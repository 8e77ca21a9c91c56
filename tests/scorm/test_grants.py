"""SCORM player grants: signed, bound to user + lesson + package key + framing origin, time-limited,
and not interchangeable with H5P's (another salt)."""

from __future__ import annotations

import pytest

from courses.h5p import grants as h5p_grants
from courses.scorm.grants import PlayerGrant, grant_make, grant_read

GRANT = PlayerGrant(user_id=7, lesson_id=42, package_key="l42-0123456789abcdef",
                    parent_origin="http://localhost:8000", language="vi")


def test_a_grant_reads_back_as_made_and_is_one_path_segment():
    token = grant_make(GRANT)
    assert grant_read(token) == GRANT and "/" not in token


def test_a_changed_or_foreign_token_is_worthless():
    token = grant_make(GRANT)
    changed = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]  # its signature, one character
    assert changed != token and grant_read(changed) is None
    h5p = h5p_grants.grant_make(h5p_grants.PlayerGrant(7, 42, "l42-0123456789abcdef",
                                                       "http://localhost:8000", "vi"))
    assert grant_read(h5p) is None and h5p_grants.grant_read(token) is None
    assert grant_read("") is None and grant_read("not-a-token") is None


def test_a_grant_expires(settings, monkeypatch):
    now = {"t": 1_800_000_000.0}
    monkeypatch.setattr("time.time", lambda: now["t"])
    settings.SCORM_GRANT_SECONDS = 3600
    token = grant_make(GRANT)
    now["t"] += 3000
    assert grant_read(token) == GRANT
    now["t"] += 3600
    assert grant_read(token) is None


@pytest.mark.parametrize("origin, language", [("javascript:alert(1)", "vi"), ("http://a b", "vi"),
                                              ("http://localhost", "vi\"><x")])
def test_only_an_origin_and_a_language_are_bound(origin, language):
    with pytest.raises(ValueError):
        grant_make(PlayerGrant(7, 42, "k", origin, language))
