"""Trainer authoring pages against a real database, through Django's test client.

Page text is checked in English (the Vietnamese catalogue for these msgids is merged later from
locale/pending/authoring.json); Vietnamese *data* (titles, lesson names) is checked as is.
"""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from backend.accounts.models import Role
from courses import api as courses_api
from courses import learning, services
from courses.models import Course, Enrolment, Lesson, LessonProgress
from tests.courses.factories import build_course, enrol, lessons_in_order
from tests.factories import user_with_role
from tests.spreadsheet_checks import (
    PAYLOADS,
    assert_csv_cell_is_text,
    assert_xlsx_has_no_formula,
    csv_rows,
)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.MFA_REQUIRED_ROLES = []  # as in demo mode: these tests are about authoring, not MFA
    with translation.override("en"):
        yield


@pytest.fixture
def trainer(tree):
    return user_with_role(Role.TRAINER, tree["ministry"], language="en")


@pytest.fixture
def other_trainer(tree):
    return user_with_role(Role.TRAINER, tree["province"])


@pytest.fixture
def as_trainer(client, trainer):
    client.force_login(trainer)  # a signed-in person's saved language (English) wins
    return client


@pytest.fixture
def draft(tree):
    return build_course(tree["ministry"], modules=2, lessons=2, publish=False,
                        title="Kỹ năng trả lời phỏng vấn báo chí nước ngoài")


def _page(response) -> str:
    """The page, without the stacked tables' cell labels (docs/design.md), so cells read plainly."""
    return re.sub(r' data-label="[^"]*"', "", response.content.decode())


# --- access ---------------------------------------------------------------------------------------

def test_my_courses_lists_only_courses_of_my_units(as_trainer, draft, tree):
    elsewhere = build_course(tree["province"], title="Khóa học của tỉnh", publish=False)
    page = _page(as_trainer.get(reverse("authoring-home")))
    assert "Kỹ năng trả lời phỏng vấn báo chí nước ngoài" in page
    assert elsewhere.title not in page
    assert "Unpublished changes" in page and "Draft" in page


@pytest.mark.parametrize("name", ["authoring-structure", "authoring-settings", "authoring-preview",
                                  "authoring-publish", "authoring-analytics", "authoring-archive"])
def test_trainee_and_trainer_of_another_unit_are_refused(client, trainee, other_trainer, draft, name):
    url = reverse(name, args=[draft.pk])
    client.force_login(trainee)
    assert client.get(url).status_code in (403, 404)
    assert client.get(reverse("authoring-home")).status_code == 403
    client.force_login(other_trainer)
    assert client.get(url).status_code == 404
    assert client.post(reverse("authoring-publish", args=[draft.pk])).status_code == 404
    assert Course.objects.get(pk=draft.pk).release == 0


def test_other_trainer_cannot_edit_lessons_or_reorder(client, other_trainer, draft):
    lesson = lessons_in_order(draft)[0]
    client.force_login(other_trainer)
    assert client.post(reverse("authoring-lesson", args=[lesson.pk]),
                       {"title": "x", "version": draft.version}).status_code == 404
    assert client.post(reverse("authoring-reorder", args=[draft.pk]), "{}",
                       content_type="application/json").status_code == 404
    assert Lesson.objects.get(pk=lesson.pk).title == lesson.title


def test_anonymous_is_sent_to_sign_in(client, draft):
    response = client.get(reverse("authoring-structure", args=[draft.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- create and edit --------------------------------------------------------------------------------

def _course_post(tree, **overrides):
    data = {"title": "Thông tin đối ngoại cơ bản", "summary": "Tóm tắt khóa học",
            "language": "vi", "organisation": tree["dept"].pk, "self_enrolment": "on",
            "enrolment_opens_at": "", "enrolment_closes_at": "", "due_at": "",
            "completion_rule": "all_required", "completion_percent": "100"}
    data.update(overrides)
    return data


def test_create_course(as_trainer, trainer, tree):
    response = as_trainer.post(reverse("authoring-create"), _course_post(tree))
    course = Course.objects.get(title="Thông tin đối ngoại cơ bản")
    assert response.status_code == 302
    assert response["Location"] == reverse("authoring-structure", args=[course.pk])
    assert course.organisation == tree["dept"] and course.self_enrolment
    assert course.created_by == trainer and course.status == "draft"


def test_create_with_errors_keeps_the_input(as_trainer, tree):
    response = as_trainer.post(reverse("authoring-create"), _course_post(
        tree, title="", summary="Giữ nguyên nội dung đã nhập"))
    assert response.status_code == 200
    page = _page(response)
    assert "This field is required." in page
    assert "Giữ nguyên nội dung đã nhập" in page
    # A rule checked by the service (window order) comes back on its field, input kept.
    response = as_trainer.post(reverse("authoring-create"), _course_post(
        tree, enrolment_opens_at="2026-05-02T08:00", enrolment_closes_at="2026-05-01T08:00"))
    page = _page(response)
    assert "Enrolment must close after it opens." in page
    assert 'value="2026-05-02T08:00"' in page and "Thông tin đối ngoại cơ bản" in page
    assert not Course.objects.filter(title="Thông tin đối ngoại cơ bản").exists()


def test_create_refuses_a_unit_outside_my_subtrees(as_trainer, tree):
    response = as_trainer.post(reverse("authoring-create"), _course_post(
        tree, organisation=tree["province"].pk))
    assert response.status_code == 200
    assert not Course.objects.exists()


def _settings_post(course, **overrides):
    data = {"title": course.title, "summary": course.summary, "language": course.language,
            "completion_rule": course.completion_rule,
            "completion_percent": str(course.completion_percent), "version": str(course.version),
            "enrolment_opens_at": "", "enrolment_closes_at": "", "due_at": ""}
    if course.self_enrolment:
        data["self_enrolment"] = "on"
    data.update(overrides)
    return data


def test_edit_settings_sends_only_what_changed(as_trainer, tree):
    course = build_course(tree["ministry"])
    assert not course.has_unpublished_changes
    response = as_trainer.post(reverse("authoring-settings", args=[course.pk]),
                               _settings_post(course, issues_certificate="on"))
    assert response.status_code == 302
    course.refresh_from_db()
    # A setting applies at once and is not "unpublished content".
    assert course.issues_certificate and not course.has_unpublished_changes


def test_stale_settings_form_shows_the_conflict_and_keeps_input(as_trainer, tree):
    course = build_course(tree["ministry"], publish=False)
    stale = _settings_post(course, summary="Tôi sửa phần tóm tắt")
    services.course_update(actor=None, course_id=course.pk, version=course.version,
                           title="Người khác đã đổi tên")
    response = as_trainer.post(reverse("authoring-settings", args=[course.pk]), stale)
    assert response.status_code == 200
    page = _page(response)
    assert "Someone else changed this course" in page
    assert "Tôi sửa phần tóm tắt" in page
    course.refresh_from_db()
    assert course.title == "Người khác đã đổi tên" and course.summary != "Tôi sửa phần tóm tắt"
    assert f'name="version" value="{course.version}"' in page
    # Saving the kept input again is a deliberate overwrite, and it works.
    again = dict(stale, version=str(course.version))
    assert as_trainer.post(reverse("authoring-settings", args=[course.pk]), again).status_code == 302
    course.refresh_from_db()
    assert course.summary == "Tôi sửa phần tóm tắt"


# --- structure ------------------------------------------------------------------------------------

def test_add_module_and_lesson_then_delete_with_confirm(as_trainer, draft):
    as_trainer.post(reverse("authoring-module-add", args=[draft.pk]), {"title": "Chuyên đề mới"})
    module = draft.modules.get(title="Chuyên đề mới")
    response = as_trainer.post(reverse("authoring-lesson-add", args=[module.pk]),
                               {"title": "Bài đọc thêm", "kind": "file"})
    lesson = Lesson.objects.get(title="Bài đọc thêm")
    assert response["Location"] == reverse("authoring-lesson", args=[lesson.pk])
    confirm = as_trainer.get(reverse("authoring-module-delete", args=[module.pk]))
    assert "Bài đọc thêm" in _page(confirm)  # the confirm page lists what goes with it
    assert draft.modules.filter(pk=module.pk, deleted_at__isnull=True).exists()
    as_trainer.post(reverse("authoring-module-delete", args=[module.pk]))
    assert not draft.modules.filter(pk=module.pk, deleted_at__isnull=True).exists()
    assert Lesson.objects.get(pk=lesson.pk).deleted_at is not None


def test_drag_reorder_saves_through_the_service(as_trainer, draft):
    (m1, m2) = list(draft.modules.order_by("position"))
    a, b, c, d = lessons_in_order(draft)
    body = {"version": draft.version, "modules": [{"id": m2.pk, "lessons": [d.pk, a.pk]},
                                                  {"id": m1.pk, "lessons": [b.pk, c.pk]}]}
    response = as_trainer.post(reverse("authoring-reorder", args=[draft.pk]), json.dumps(body),
                               content_type="application/json")
    assert response.status_code == 200
    assert response.json()["version"] == draft.version + 1
    assert [ls.title for ls in lessons_in_order(draft)] == ["Bài 2.2", "Bài 1.1", "Bài 1.2", "Bài 2.1"]
    # The same body again is stale now.
    response = as_trainer.post(reverse("authoring-reorder", args=[draft.pk]), json.dumps(body),
                               content_type="application/json")
    assert response.status_code == 409 and "Someone else changed" in response.json()["message"]


def test_keyboard_move_crosses_into_the_previous_module(as_trainer, draft):
    first_of_second = lessons_in_order(draft)[2]
    response = as_trainer.post(reverse("authoring-move", args=[draft.pk]), {
        "what": "lesson", "id": first_of_second.pk, "direction": "up", "version": draft.version})
    assert response["Location"].endswith(f"#lesson-{first_of_second.pk}")
    assert [ls.title for ls in lessons_in_order(draft)] == ["Bài 1.1", "Bài 1.2", "Bài 2.1", "Bài 2.2"]
    moved = Lesson.objects.get(pk=first_of_second.pk)
    assert moved.module.title == "Chuyên đề 1" and moved.position == 3
    draft.refresh_from_db()
    m2 = draft.modules.get(title="Chuyên đề 2")
    as_trainer.post(reverse("authoring-move", args=[draft.pk]), {
        "what": "module", "id": m2.pk, "direction": "up", "version": draft.version})
    assert list(draft.modules.order_by("position").values_list("title", flat=True)) == [
        "Chuyên đề 2", "Chuyên đề 1"]


def test_rich_text_is_sanitised_on_the_server_and_shown_as_saved(as_trainer, draft):
    lesson = lessons_in_order(draft)[0]
    other = lessons_in_order(draft)[1]
    body = ('<h2>Nguyên tắc</h2><p onclick="steal()">Chủ động, kịp thời<script>alert(1)</script>'
            '</p><a href="javascript:alert(1)">xấu</a>')
    response = as_trainer.post(reverse("authoring-lesson", args=[lesson.pk]), {
        "title": "Nguyên tắc thông tin đối ngoại", "body": body, "required": "on",
        "prerequisites": [other.pk], "version": draft.version}, follow=True)
    lesson.refresh_from_db()
    assert "<script" not in lesson.body and "onclick" not in lesson.body
    assert "javascript:" not in lesson.body
    assert "<h2>Nguyên tắc</h2>" in lesson.body and "Chủ động, kịp thời" in lesson.body
    assert list(lesson.prerequisites.values_list("pk", flat=True)) == [other.pk]
    page = _page(response)
    assert "Some formatting was removed for safety" in page
    assert "alert(1)" not in page.split('id="saved-h"')[1]


def test_lesson_form_errors_keep_input(as_trainer, draft):
    lesson = lessons_in_order(draft)[0]
    response = as_trainer.post(reverse("authoring-lesson", args=[lesson.pk]), {
        "title": "", "body": "<p>Nội dung tôi vừa gõ</p>", "version": draft.version})
    assert response.status_code == 200
    assert "Nội dung tôi vừa gõ" in _page(response)


def test_file_lesson_shows_limits_and_refuses_wrong_types(as_trainer, draft, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.COURSES_FILE_MAX_BYTES = 2 * 1024 * 1024
    module = draft.modules.first()
    lesson = services.lesson_create(actor=None, module_id=module.pk, kind="file", title="Tài liệu")
    page = _page(as_trainer.get(reverse("authoring-lesson", args=[lesson.pk])))
    assert "At most 2 MB" in page and "pdf" in page
    draft.refresh_from_db()
    response = as_trainer.post(reverse("authoring-lesson", args=[lesson.pk]), {
        "title": "Tài liệu", "version": draft.version,
        "upload": SimpleUploadedFile("virus.exe", b"MZ...")})
    assert "are not accepted" in _page(response)
    draft.refresh_from_db()
    response = as_trainer.post(reverse("authoring-lesson", args=[lesson.pk]), {
        "title": "Tài liệu", "version": draft.version,
        "upload": SimpleUploadedFile("Hướng dẫn.pdf", b"%PDF-1.4 test")})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.file_name == "Hướng dẫn.pdf" and lesson.file_size == 13


# --- preview, publish, archive ------------------------------------------------------------------------

def test_preview_renders_the_draft_without_enrolling_or_recording(as_trainer, draft, trainer):
    lesson = lessons_in_order(draft)[0]
    services.lesson_update(actor=None, lesson_id=lesson.pk, body="<p>Bản nháp chưa xuất bản</p>")
    before = (Enrolment.objects.count(), LessonProgress.objects.count())
    outline = _page(as_trainer.get(reverse("authoring-preview", args=[draft.pk])))
    assert "Bài 1.1" in outline and "Chuyên đề 2" in outline
    page = _page(as_trainer.get(reverse("authoring-lesson-preview", args=[lesson.pk])))
    assert "Bản nháp chưa xuất bản" in page and "Nothing is recorded" in page
    assert (Enrolment.objects.count(), LessonProgress.objects.count()) == before
    assert not Enrolment.objects.filter(user=trainer).exists()


def test_publish_shows_what_changes_then_publishes(as_trainer, tree):
    course = build_course(tree["ministry"], modules=1, lessons=3)
    a, b, _c = lessons_in_order(course)
    services.lesson_update(actor=None, lesson_id=a.pk, body="<p>Sửa lại</p>")
    services.lesson_delete(actor=None, lesson_id=b.pk)
    services.lesson_create(actor=None, module_id=a.module_id, kind="text", title="Bài mới")
    page = _page(as_trainer.get(reverse("authoring-publish", args=[course.pk])))
    assert "1 lesson added" in page and "1 lesson edited" in page and "1 lesson removed" in page
    changes = courses_api.course_publish_changes(course_id=course.pk)
    assert (changes.added, changes.edited, changes.removed) == (1, 1, 1)
    course.refresh_from_db()
    response = as_trainer.post(reverse("authoring-publish", args=[course.pk]),
                               {"version": course.version})
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.release == 2 and not course.has_unpublished_changes
    titles = [ls["title"] for m in course.published["modules"] for ls in m["lessons"]]
    assert titles == ["Bài 1.1", "Bài 1.3", "Bài mới"]
    assert not courses_api.course_publish_changes(course_id=course.pk).any


def test_publishing_an_empty_course_says_why(as_trainer, tree):
    course = services.course_create(actor=None, organisation_id=tree["ministry"].pk, title="Trống")
    response = as_trainer.post(reverse("authoring-publish", args=[course.pk]),
                               {"version": course.version}, follow=True)
    assert "Add at least one lesson before publishing." in _page(response)
    assert Course.objects.get(pk=course.pk).status == "draft"


def test_archive_and_restore(as_trainer, tree):
    course = build_course(tree["ministry"])
    assert "Yes, archive" in _page(as_trainer.get(reverse("authoring-archive", args=[course.pk])))
    as_trainer.post(reverse("authoring-archive", args=[course.pk]))
    assert Course.objects.get(pk=course.pk).status == "archived"
    as_trainer.post(reverse("authoring-restore", args=[course.pk]))
    assert Course.objects.get(pk=course.pk).status == "published"


def test_publish_changes_query_count_is_fixed(tree, django_assert_num_queries):
    course = build_course(tree["ministry"], modules=3, lessons=4)
    # The course row, three for the draft outline, one count of removed lessons.
    with django_assert_num_queries(5):
        courses_api.course_publish_changes(course_id=course.pk)


# --- analytics ---------------------------------------------------------------------------------------

@pytest.fixture
def taught(tree):
    """3 trainees on a published 2x2 course; numbers below are worked out by hand:
    lesson 1.1 done by all 3, 1.2 by 2, 2.1 by 1, 2.2 by none; one withdrawn trainee is ignored;
    scores 0.2, 0.5, 0.75 on lesson 1.1 and 1.0 on lesson 1.2."""
    course = build_course(tree["ministry"], modules=2, lessons=2,
                          title="Phát ngôn và trả lời phỏng vấn")
    l11, l12, l21, _l22 = lessons_in_order(course)
    people = [user_with_role(Role.TRAINEE, tree["mission"]) for _ in range(4)]
    enrol(course, *people)
    a, b, c, gone = people
    for user, lessons in ((a, [l11, l12, l21]), (b, [l11, l12]), (c, [l11]), (gone, [l11, l12])):
        for lesson in lessons:
            learning.lesson_complete(user=user, lesson_id=lesson.pk)
    for user, lesson, score in ((a, l11, 0.2), (b, l11, 0.5), (c, l11, 0.75), (a, l12, 1.0),
                                (gone, l11, 0.95)):
        courses_api.lesson_record_result(user_id=user.pk, lesson_id=lesson.pk, score=score,
                                         completed=True)
    Enrolment.objects.filter(user=gone).update(status="withdrawn")
    return course


def test_analytics_numbers(taught, django_assert_num_queries):
    # The course row, then one aggregate each: enrolment counts, funnel, scores, enrolments by day.
    with django_assert_num_queries(5):
        data = courses_api.course_analytics(course_id=taught.pk)
    assert data.enrolled == 3 and data.completed == 0
    assert [(r.lesson_title, r.completed) for r in data.funnel] == [
        ("Bài 1.1", 3), ("Bài 1.2", 2), ("Bài 2.1", 1), ("Bài 2.2", 0)]
    assert [b.count for b in data.scores] == [0, 0, 1, 0, 0, 1, 0, 1, 0, 1]
    assert data.scored == 4
    assert len(data.enrolments) == 1 and data.enrolments[0].count == 4
    only = courses_api.course_analytics(course_id=taught.pk, lesson_id=data.funnel[1].lesson_id)
    assert [b.count for b in only.scores] == [0] * 9 + [1]


def test_analytics_page_shows_tables_under_the_charts(as_trainer, taught):
    page = _page(as_trainer.get(reverse("authoring-analytics", args=[taught.pk])))
    assert 'id="chart-funnel"' in page and 'id="table-funnel"' in page
    assert ('<th scope="row">Chuyên đề 1</th><td>Bài 1.1</td><td>Reading</td><td>yes</td>'
            "<td>3</td><td>100 %</td>") in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert json.loads(page.split('id="au-chart-data" type="application/json">')[1].split("</script>")[0])[
        "funnel"]["values"] == [3, 2, 1, 0]


def test_csv_export_has_a_bom_and_vietnamese(as_trainer, taught):
    response = as_trainer.get(reverse("authoring-analytics-export", args=[taught.pk, "funnel", "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    raw = response.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Module", "Lesson", "Kind", "Required", "Completed", "Of enrolled"]
    assert rows[1] == ["Chuyên đề 1", "Bài 1.1", "Reading", "yes", "3", "100 %"]
    assert rows[3][1:5] == ["Bài 2.1", "Reading", "yes", "1"]


def test_xlsx_export_keeps_vietnamese(as_trainer, taught):
    response = as_trainer.get(reverse("authoring-analytics-export", args=[taught.pk, "scores", "xlsx"]))
    book = load_workbook(io.BytesIO(response.getvalue()))
    sheet = book.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Phát ngôn và trả lời phỏng vấn"
    assert values[1] == ["Score", "Results"]
    assert values[2 + 7] == ["70–80 %", 1]
    response = as_trainer.get(reverse("authoring-analytics-export",
                                      args=[taught.pk, "enrolments", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.cell(row=3, column=2).value == 4


def test_export_refuses_unknown_reports(as_trainer, taught):
    assert as_trainer.get(reverse("authoring-analytics-export",
                                  args=[taught.pk, "secrets", "csv"])).status_code == 404


def test_exports_never_write_titles_as_formulas(as_trainer, taught):
    """Course, module and lesson titles are the trainers' text: quoted, in CSV and XLSX alike."""
    lesson = lessons_in_order(taught)[0]
    services.lesson_update(actor=None, lesson_id=lesson.pk, title=PAYLOADS[1])
    services.module_update(actor=None, module_id=lesson.module_id, title=PAYLOADS[2])
    Course.objects.filter(pk=taught.pk).update(title=PAYLOADS[0])
    services.course_publish(actor=None, course_id=taught.pk)
    url = reverse("authoring-analytics-export", args=[taught.pk, "funnel", "csv"])
    rows = csv_rows(as_trainer.get(url).getvalue())
    assert_csv_cell_is_text(rows, PAYLOADS[1])
    assert_csv_cell_is_text(rows, PAYLOADS[2])
    assert rows[1][4:] == ["3", "100 %"]
    url = reverse("authoring-analytics-export", args=[taught.pk, "funnel", "xlsx"])
    assert_xlsx_has_no_formula(as_trainer.get(url).getvalue(), *PAYLOADS[:3])
