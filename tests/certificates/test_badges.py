import datetime as dt
import json
import unicodedata

import pytest

from certificates.badges import CONTEXT, open_badge_credential

VERIFY = "https://ttdn.example.vn/xac-thuc/7KQ2-M9ZD-0VXH-4RTA"


def credential(**overrides):
    values = dict(
        verify_url=VERIFY,
        holder_name=unicodedata.normalize("NFD", "Nguyễn Thị Thanh Hương"),
        issuer_id="https://ttdn.example.vn/",
        issuer_name="Trường Bồi dưỡng cán bộ thông tin đối ngoại",
        achievement_id="https://ttdn.example.vn/khoa-hoc/ttdn-57",
        achievement_name="Thông tin đối ngoại trong tình hình mới",
        achievement_description="Khóa bồi dưỡng về Kết luận số 57-KL/TW.",
        criteria_narrative="Hoàn thành tất cả các bài học và đạt bài kiểm tra cuối khóa.",
        valid_from=dt.datetime(2026, 2, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))),
    )
    values.update(overrides)
    return open_badge_credential(**values)


def test_required_properties_of_an_open_badge_credential():
    cred = credential()
    assert cred["@context"] == CONTEXT == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert cred["id"] == VERIFY
    assert cred["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert cred["name"] == "Thông tin đối ngoại trong tình hình mới"
    assert cred["issuer"] == {"id": "https://ttdn.example.vn/", "type": ["Profile"],
                              "name": "Trường Bồi dưỡng cán bộ thông tin đối ngoại"}
    assert cred["validFrom"] == "2026-02-05T02:30:00Z"  # converted to UTC
    assert "validUntil" not in cred
    assert "credentialStatus" not in cred and "proof" not in cred

    subject = cred["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"] == [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                                      "identityHash": "Nguyễn Thị Thanh Hương"}]  # NFC
    achievement = subject["achievement"]
    for key in ("id", "type", "name", "description", "criteria"):
        assert achievement[key]
    assert achievement["type"] == ["Achievement"]
    assert achievement["criteria"]["narrative"].startswith("Hoàn thành")


def test_valid_until_from_a_date_covers_the_whole_day():
    cred = credential(valid_until=dt.date(2028, 2, 5))
    assert cred["validUntil"] == "2028-02-05T23:59:59Z"


def test_json_keeps_vietnamese():
    text = json.dumps(credential(), ensure_ascii=False)
    assert "Nguyễn Thị Thanh Hương" in text


def test_subject_id_when_known():
    subject = credential(subject_id="mailto:huong@example.vn")["credentialSubject"]
    assert subject["id"] == "mailto:huong@example.vn"


def test_naive_timestamps_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        credential(valid_from=dt.datetime(2026, 2, 5, 9, 30))


def test_missing_required_values_are_refused():
    with pytest.raises(ValueError, match="holder_name"):
        credential(holder_name="  ")
