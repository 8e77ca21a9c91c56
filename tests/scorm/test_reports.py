"""SCORM attempts in reports: the per-lesson attempts export (CSV/XLSX, one row per attempt),
who may export what, what courses.scorm.api publishes, and the trainer's analytics page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from backend.accounts.models import Role, User
from courses import enrolments
from courses.scorm import api as scorm_api
from courses.scorm.results import EXPORT_COLUMNS, status_label
from tests.factories import user_with_role
from tests.scorm.factories import build_scorm_course, item, make_package
from tests.spreadsheet_checks import PAYLOADS, assert_xlsx_has_no_formula, csv_rows


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


@pytest.fixture
def played(tree, api):
    made = build_scorm_course(tree["ministry"])
    make_package(made.lesson, version="1.2", items=[item("intro", title="Giới thiệu chung"),
                                                    item("quiz", title="Kiểm tra cuối bài")])
    made.trainee.full_name = "Trần Thị Ánh"
    made.trainee.save()
    url = f"/api/v1/lessons/{made.lesson.pk}/scorm/cmi/"
    as_user(api, made.trainee)
    api.put(url, {"sco": "quiz", "attempt": 1, "seq": 1, "terminated": True, "cmi": {
        "cmi.core.lesson_status": "failed", "cmi.core.score.raw": "40", "cmi.core.session_time": "00:12:30"}},
        format="json")
    api.get(url, {"sco": "quiz"})
    api.put(url, {"sco": "quiz", "attempt": 2, "seq": 1, "cmi": {
        "cmi.core.lesson_status": "passed", "cmi.core.score.raw": "95"}}, format="json")
    api.put(url, {"sco": "intro", "attempt": 1, "seq": 1, "cmi": {"cmi.core.lesson_status": "completed"}},
            format="json")
    return made


def export(api, made, **params):
    return api.get(f"/api/v1/lessons/{made.lesson.pk}/scorm/attempts/export/", params)


def test_staff_export_csv_has_one_row_per_attempt_with_diacritics(api, played):
    response = export(as_user(api, played.trainer), played, format="csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = csv_rows(b"".join(response.streaming_content))
    with translation.override(response["Content-Language"]):  # headers and words in the reader's language
        assert rows[0] == [str(c) for c in EXPORT_COLUMNS]
        completed, failed, passed = (status_label(w) for w in ("completed", "failed", "passed"))
    body = [[cell.replace(",", ".") if i in (8, 9) else cell for i, cell in enumerate(r[:11])]
            for r in rows[1:]]  # the decimal mark follows the site's number format
    unit = played.trainee.organisation.name
    assert body == [
        ["Trần Thị Ánh", played.trainee.email, unit, "intro", "Giới thiệu chung", "1", completed, "", "",
         "", "0000:00:00"],
        ["Trần Thị Ánh", played.trainee.email, unit, "quiz", "Kiểm tra cuối bài", "1", failed, failed,
         "40.0", "40.0", "0000:12:30"],
        ["Trần Thị Ánh", played.trainee.email, unit, "quiz", "Kiểm tra cuối bài", "2", passed, passed,
         "95.0", "95.0", "0000:00:00"],
    ]
    assert all(r[11] and r[12] for r in rows[1:]) and rows[2][13] and not rows[3][13]


def test_staff_export_xlsx(api, played):
    response = export(as_user(api, played.trainer), played, format="xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    with translation.override(response["Content-Language"]):
        assert values[0] == [str(c) for c in EXPORT_COLUMNS]
    assert len(values) == 4 and values[1][0] == "Trần Thị Ánh" and values[3][8] == 95.0


def test_formula_like_names_stay_text(api, played):
    played.trainee.full_name = PAYLOADS[0]
    played.trainee.save()
    response = export(as_user(api, played.trainer), played, format="xlsx")
    assert_xlsx_has_no_formula(b"".join(response.streaming_content), PAYLOADS[0])


def test_a_learner_exports_only_their_own(api, tree, played):
    other = user_with_role(Role.TRAINEE, tree["ministry"])
    enrolments.enrolments_add(actor=None, course_id=played.course.pk, user_ids=[other.pk])
    rows = csv_rows(b"".join(export(as_user(api, other), played).streaming_content))
    assert rows[1:] == []
    assert export(api, played, user=played.trainee.pk).status_code == 403
    mine = csv_rows(b"".join(export(as_user(api, played.trainee), played).streaming_content))
    assert len(mine) == 4


def test_staff_filter_by_user_and_refusals(api, tree, played):
    as_user(api, played.trainer)
    rows = csv_rows(b"".join(export(api, played, user=played.trainer.pk).streaming_content))
    assert rows[1:] == []
    bad = export(api, played, format="pdf")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_format"
    assert "format" in bad.json()["fields"]
    stranger = user_with_role(Role.TRAINEE, tree["ministry"])
    assert export(as_user(api, stranger), played).status_code == 404


def test_api_publishes_result_and_attempts(played):
    result = scorm_api.result_for(user_id=played.trainee.pk, lesson_id=played.lesson.pk)
    assert result.completed is True and result.attempts == 3
    assert result.score == pytest.approx(0.95)  # the quiz's best; intro has no score and is left out
    attempts = scorm_api.attempts_for(user_id=played.trainee.pk, lesson_id=played.lesson.pk)
    assert [(a.sco, a.number, a.success_status) for a in attempts] == [
        ("quiz", 1, "failed"), ("quiz", 2, "passed"), ("intro", 1, "")]
    assert attempts[0].total_time_seconds == 750


def test_analytics_lists_the_scorm_lesson_with_its_export(client, played):
    client.force_login(User.objects.get(pk=played.trainer.pk))
    page = client.get(reverse("authoring-analytics", args=[played.course.pk])).content.decode()
    export_url = reverse("api-lesson-scorm-attempts-export", args=[played.lesson.pk])
    assert f"{export_url}?format=csv" in page and f"{export_url}?format=xlsx" in page
    assert f'<option value="{played.lesson.pk}"' in page  # a scored lesson in the score filter
