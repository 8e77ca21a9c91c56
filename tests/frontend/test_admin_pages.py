"""Administration pages through the Django test client: who may see what, forms that keep
their input, the import job end to end, and the roll-up report's numbers and XLSX."""

import datetime
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from backend.accounts.models import Cohort, Organisation, Role, RoleAssignment, User
from backend.audit.api import audit_record
from backend.jobs.models import Job
from courses.models import Enrolment, Lesson
from tests.courses.factories import build_course, enrol
from tests.factories import CohortFactory, OrganisationFactory, UserFactory, user_with_role
from tests.spreadsheet_checks import PAYLOADS, assert_xlsx_has_no_formula, xlsx_cells

PAGES = ["admin-home", "admin-users", "admin-user-create", "admin-import", "admin-units",
         "admin-unit-create", "admin-cohorts", "admin-cohort-create", "admin-enrolments",
         "admin-report", "admin-audit"]


@pytest.fixture
def outsider(tree):
    """A user of the province: outside the ministry administrator's subtree."""
    return UserFactory(organisation=tree["province"], full_name="Hoàng Thị Ngoài",
                       email="ngoai@quangninh.gov.vn")


# --- access -------------------------------------------------------------------------------------

def test_anonymous_users_are_sent_to_sign_in(client, db):
    response = client.get(reverse("admin-users"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.TRAINER])
def test_non_administrators_get_a_403_page(signed_in, tree, role):
    client = signed_in(user_with_role(role, tree["ministry"]))
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        assert b"administrators only" in response.content


def test_base_menu_links_to_administration_for_administrators_only(signed_in, admin_user, trainee):
    assert reverse("admin-home").encode() in signed_in(admin_user).get("/").content
    assert reverse("admin-home").encode() not in signed_in(trainee).get("/").content


@pytest.mark.parametrize("language, word", [("en", "Users"), ("vi", 'lang="vi"')])
def test_every_page_renders_in_both_languages(signed_in, admin_user, language, word):
    client = signed_in(admin_user, language)
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert f'lang="{language}"'.encode() in response.content
        assert word.encode() in response.content


def test_a_subtree_administrator_sees_nothing_outside_it(signed_in, admin_user, tree, outsider):
    inside = UserFactory(organisation=tree["mission"], full_name="Đỗ Văn Trong")
    cohort = CohortFactory(organisation=tree["province"], name="Lớp Quảng Ninh")
    client = signed_in(admin_user)
    listing = client.get(reverse("admin-users")).content.decode()
    assert inside.full_name in listing and outsider.full_name not in listing
    assert client.get(reverse("admin-user", args=[outsider.pk])).status_code == 404
    assert client.get(reverse("admin-unit-edit", args=[tree["province"].pk])).status_code == 404
    assert "Tỉnh Quảng Ninh" not in client.get(reverse("admin-units")).content.decode()
    assert client.get(reverse("admin-cohort", args=[cohort.pk])).status_code == 404
    assert "Lớp Quảng Ninh" not in client.get(reverse("admin-cohorts")).content.decode()
    assert client.get(reverse("admin-report") + f"?unit={tree['province'].pk}").status_code == 404
    assert client.post(reverse("admin-user-invite", args=[outsider.pk])).status_code == 404


def test_audit_log_shows_only_entries_about_the_subtree(signed_in, admin_user, tree, outsider):
    inside = UserFactory(organisation=tree["dept"])
    audit_record(actor=None, verb="test.inside", target=inside)
    audit_record(actor=None, verb="test.outside", target=outsider)
    page = signed_in(admin_user).get(reverse("admin-audit")).content.decode()
    listed = page.split('id="audit-list"')[1]
    assert inside.full_name in listed and outsider.full_name not in listed
    filtered = signed_in(admin_user).get(reverse("admin-audit") + "?verb=test.inside").content.decode()
    assert inside.full_name in filtered.split('id="audit-list"')[1]


@pytest.mark.django_db
def test_audit_log_speaks_in_sentences_with_links_and_filters(signed_in, admin_user, tree, trainee):
    """Who did what to whom, in words: no verb codes, ids or None; dd/mm/yyyy HH:MM; the
    certificate links to its course's certificates page; filter by unit of the person who acted."""
    from certificates.services import certificate_issue, certificate_revoke
    from tests.certificates.factories import certificate_course, complete, make_template

    make_template(tree["central"])
    course = certificate_course(tree["ministry"], title="Kỹ năng phát ngôn")
    complete(course, trainee)
    certificate, _new = certificate_issue(user_id=trainee.pk, course_id=course.pk)
    certificate_revoke(actor=admin_user, certificate_id=certificate.pk, reason="Sai tên")
    client = signed_in(admin_user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admin-audit"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    listed = page.split('id="audit-list"')[1]
    sentence = (f"<strong>{admin_user.full_name}</strong> revoked certificate "
                f'<a href="/courses/{course.pk}/certificates/">no. {certificate.serial} of '
                f"{certificate.holder_name}</a>")
    assert sentence in listed
    assert "Reason: Sai tên" in listed
    assert re.search(r">\d{2}/\d{2}/\d{4} \d{2}:\d{2}</time>", listed)
    for raw in ("certificate.revoked", "None", "course_id", "#"):
        assert raw not in listed, raw
    assert '<option value="certificate.revoked">Certificate revoked</option>' in page
    # Filter by the unit of the person who acted: the administrator's unit has it, another not.
    ours = client.get(reverse("admin-audit") + f"?unit={admin_user.organisation_id}").content.decode()
    assert "revoked certificate" in ours.split('id="audit-list"')[1]
    other = client.get(reverse("admin-audit") + f"?unit={tree['mission'].pk}").content.decode()
    assert "revoked certificate" not in other.split('id="audit-list"')[1]


# --- users ---------------------------------------------------------------------------------------

def test_search_ignores_accents_and_filters_by_unit_and_role(signed_in, admin_user, tree):
    UserFactory(organisation=tree["mission"], full_name="Nguyễn Thị Hương", email="huong@a.vn")
    trainer = UserFactory(organisation=tree["dept"], full_name="Nguyễn Hưng", email="hung@a.vn")
    RoleAssignment.objects.create(user=trainer, role=Role.TRAINER, organisation=tree["dept"])
    client = signed_in(admin_user)
    page = client.get(reverse("admin-users") + "?q=nguyen+thi+huong").content.decode()
    assert "Nguyễn Thị Hương" in page and "Nguyễn Hưng" not in page
    page = client.get(reverse("admin-users") + "?q=HUNG@A.VN").content.decode()
    assert "Nguyễn Hưng" in page
    page = client.get(reverse("admin-users") + f"?unit={tree['mission'].pk}").content.decode()
    assert "Nguyễn Thị Hương" in page and "Nguyễn Hưng" not in page
    page = client.get(reverse("admin-users") + "?role=trainer").content.decode()
    assert "Nguyễn Hưng" in page and "Nguyễn Thị Hương" not in page


def test_create_user_keeps_the_input_and_shows_the_error(signed_in, admin_user, tree, outsider,
                                                        django_capture_on_commit_callbacks,
                                                        mailoutbox):
    client = signed_in(admin_user)
    form = {"email": outsider.email, "full_name": "Vũ Thị Nhập Lại", "roles": ["trainee"],
            "organisation": tree["mission"].pk, "language": "vi", "invite": "on"}
    response = client.post(reverse("admin-user-create"), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "already exists" in html and 'value="Vũ Thị Nhập Lại"' in html

    form["email"] = "nhap.lai@mofa.gov.vn"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin-user-create"), form)
    user = User.objects.get(email="nhap.lai@mofa.gov.vn")
    assert response.status_code == 302 and response["Location"] == reverse("admin-user", args=[user.pk])
    assert [m.to for m in mailoutbox] == [["nhap.lai@mofa.gov.vn"]]


def test_create_user_outside_the_subtree_is_not_offered(signed_in, admin_user, tree):
    response = signed_in(admin_user).post(reverse("admin-user-create"), {
        "email": "x@a.vn", "full_name": "X", "roles": ["trainee"],
        "organisation": tree["province"].pk, "language": "vi"})
    assert response.status_code == 200 and not User.objects.filter(email="x@a.vn").exists()
    assert "Select a valid choice" in response.content.decode()


def test_user_detail_assigns_and_revokes_roles_and_resends_the_invitation(
        signed_in, admin_user, tree, django_capture_on_commit_callbacks, mailoutbox):
    person = UserFactory(organisation=tree["mission"], password=None)
    person.set_unusable_password()
    person.save()
    client = signed_in(admin_user)
    url = reverse("admin-user", args=[person.pk])
    client.post(url, {"action": "assign", "role": "trainer", "organisation": tree["mission"].pk})
    assignment = RoleAssignment.objects.get(user=person, role="trainer")
    asked = client.post(reverse("admin-user-role-revoke", args=[person.pk, assignment.pk]))
    assert asked.status_code == 200 and 'name="confirmed" value="1"' in asked.content.decode()
    assert RoleAssignment.objects.filter(user=person, role="trainer").exists()  # asked first
    client.post(reverse("admin-user-role-revoke", args=[person.pk, assignment.pk]), {"confirmed": "1"})
    assert not RoleAssignment.objects.filter(user=person, role="trainer").exists()
    for _ in range(2):  # a lost link: sent again each time
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("admin-user-invite", args=[person.pk]))
    assert len(mailoutbox) == 2
    cohort = CohortFactory(organisation=tree["ministry"])
    client.post(url, {"action": "cohort", "cohort": cohort.pk})
    assert cohort.members.filter(pk=person.pk).exists()
    assert cohort.name in client.get(url).content.decode()


# --- import ---------------------------------------------------------------------------------------

def test_import_page_runs_the_job_and_shows_a_result_per_row(
        signed_in, admin_user, tree, django_capture_on_commit_callbacks):
    client = signed_in(admin_user)
    data = ("email,full_name,organisation,role,cohort\n"
            "tam@mofa.gov.vn,Đặng Thị Tâm,mission,trainee,Lớp K1\n"
            "sai-dia-chi,Sai Địa Chỉ,mission,trainee,\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin-import"), {
            "file": SimpleUploadedFile("u.csv", data, content_type="text/csv")})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin-import-job", args=[job.id])
    html = client.get(response["Location"]).content.decode()
    assert 'value="100"' in html and "Created: 1 · Updated: 0 · Errors: 1" in html
    assert "tam@mofa.gov.vn" in html and "not a valid e-mail address" in html
    assert User.objects.get(email="tam@mofa.gov.vn").full_name == "Đặng Thị Tâm"
    # The page polls the job endpoint; another administrator cannot follow this job.
    assert client.get(f"/api/v1/jobs/{job.id}/").json()["status"] == "done"
    other = signed_in(user_with_role(Role.ADMINISTRATOR, tree["ministry"]))
    assert other.get(reverse("admin-import-job", args=[job.id])).status_code == 404


def test_import_page_shows_a_file_error_in_the_form(signed_in, admin_user):
    response = signed_in(admin_user).post(reverse("admin-import"), {
        "file": SimpleUploadedFile("u.csv", b"email,name\n", content_type="text/csv")})
    assert response.status_code == 200 and "Missing columns" in response.content.decode()
    assert not Job.objects.exists()


# --- units, cohorts, enrolments ---------------------------------------------------------------------

def test_unit_tree_counts_members_and_units_can_be_created_renamed_and_moved(
        signed_in, admin_user, tree):
    UserFactory.create_batch(2, organisation=tree["mission"])
    client = signed_in(admin_user)
    page = client.get(reverse("admin-units")).content.decode()
    assert "<details" in page and "Đại sứ quán tại Pháp" in page
    assert "2 / 2" in page  # the mission: directly / with sub-units
    assert "1 / 3" in page  # the ministry: its administrator, plus the mission's two

    response = client.post(reverse("admin-unit-create"), {
        "name": "Lãnh sự quán tại Lyon", "code": "lsq-lyon", "kind": "mission",
        "parent": tree["ministry"].pk})
    assert response.status_code == 302
    lyon = Organisation.objects.get(code="lsq-lyon")
    # Move the mission (with nothing below) under the department, and rename it.
    client.post(reverse("admin-unit-edit", args=[tree["dept"].pk]), {
        "name": "Vụ Báo chí", "kind": "department", "parent": lyon.pk})
    tree["dept"].refresh_from_db()
    assert tree["dept"].name == "Vụ Báo chí" and tree["dept"].path.startswith(lyon.path)
    # Moving under a unit outside one's subtree is refused, input kept.
    response = client.post(reverse("admin-unit-create"), {
        "name": "Ngoài", "code": "ngoai", "kind": "department", "parent": tree["province"].pk})
    assert response.status_code == 200 and 'value="Ngoài"' in response.content.decode()


def test_cohort_members_by_email_and_by_unit_then_removed(signed_in, admin_user, tree, outsider):
    members = UserFactory.create_batch(2, organisation=tree["mission"])
    client = signed_in(admin_user)
    client.post(reverse("admin-cohort-create"), {"name": "Lớp TTĐN K2", "code": "ttdn-k2",
                                                 "organisation": tree["ministry"].pk})
    cohort = Cohort.objects.get(code="ttdn-k2")
    url = reverse("admin-cohort", args=[cohort.pk])
    response = client.post(url, {"e-emails": f"{members[0].email}, {outsider.email}"}, follow=True)
    assert outsider.email in response.content.decode()  # reported as not found
    assert set(cohort.members.all()) == {members[0]}
    client.post(url, {"u-organisation": tree["mission"].pk})
    assert set(cohort.members.all()) == set(members)
    asked = client.post(reverse("admin-cohort-remove", args=[cohort.pk]), {"user": [members[0].pk]})
    assert f'name="user" value="{members[0].pk}"' in asked.content.decode()  # the page repeats the choice
    assert set(cohort.members.all()) == set(members)
    client.post(reverse("admin-cohort-remove", args=[cohort.pk]), {"user": [members[0].pk], "confirmed": "1"})
    assert set(cohort.members.all()) == {members[1]}


def test_enrol_a_cohort_and_a_unit_then_unenrol(signed_in, admin_user, tree):
    course = build_course(tree["ministry"], title="Khóa học TTĐN")
    cohort = CohortFactory(organisation=tree["ministry"])
    learners = UserFactory.create_batch(2, organisation=tree["mission"])
    cohort.members.add(learners[0])
    client = signed_in(admin_user)
    url = reverse("admin-enrolments") + f"?course={course.pk}"
    response = client.post(url, {"cohort": cohort.pk}, follow=True)
    assert "Enrolled: 1 new, 0 re-enrolled, 0 already enrolled." in response.content.decode()
    response = client.post(url, {"organisation": tree["mission"].pk}, follow=True)
    assert "Enrolled: 1 new, 0 re-enrolled, 1 already enrolled." in response.content.decode()
    asked = client.post(reverse("admin-unenrol", args=[course.pk, learners[0].pk]))
    assert asked.status_code == 200 and learners[0].full_name in asked.content.decode()
    assert Enrolment.objects.get(user=learners[0]).status != "withdrawn"  # nothing done yet
    client.post(reverse("admin-unenrol", args=[course.pk, learners[0].pk]), {"confirmed": "1"})
    assert Enrolment.objects.get(user=learners[0]).status == "withdrawn"
    response = client.post(url, {}, follow=True)
    assert "Choose who to enrol" in response.content.decode()


# --- the roll-up report ------------------------------------------------------------------------------

@pytest.fixture
def report_data(tree):
    """Two courses; by hand:
    dept: 3 learners in course A (2 completed), 1 in quiz course Q (completed)
    mission: 2 learners in A (0 completed) + 1 withdrawn before completing (not counted),
             2 in Q (1 completed)
    province: 1 learner in A (completed) — outside the ministry administrator's subtree."""
    course_a = build_course(tree["central"], title="Khóa A")
    course_q = build_course(tree["central"], title="Khóa có bài kiểm tra")
    quiz = Lesson.objects.filter(course=course_q).first()
    Lesson.objects.filter(pk=quiz.pk).update(kind="quiz", published={**quiz.published, "kind": "quiz"})
    dept = UserFactory.create_batch(3, organisation=tree["dept"])
    mission = UserFactory.create_batch(3, organisation=tree["mission"])
    province = UserFactory(organisation=tree["province"])
    enrol(course_a, *dept, *mission, province)
    enrol(course_q, dept[0], mission[0], mission[1])
    now = timezone.now()
    done = {"completed_at": now, "status": "completed", "percent": 100}
    Enrolment.objects.filter(course=course_a, user__in=[*dept[:2], province]).update(**done)
    Enrolment.objects.filter(course=course_a, user=mission[0]).update(percent=50)
    Enrolment.objects.filter(course=course_a, user=mission[2]).update(status="withdrawn",
                                                                     withdrawn_at=now)
    Enrolment.objects.filter(course=course_q, user__in=[dept[0], mission[0]]).update(**done)
    return {"a": course_a, "q": course_q}


def _row(html: str, label: str) -> list[str]:
    """The cells of the report row whose header contains `label`."""
    import re

    table = html[html.index('<table class="report'):]  # the chart above names the units too
    row = table[table.index(label):].split("</tr>")[0]
    return [re.sub(r"\s+", " ", c).strip() for c in re.findall(r'<td class="num"[^>]*>(.*?)</td>', row, re.S)]


def test_rollup_numbers_match_a_hand_count(signed_in, admin_user, tree, report_data):
    client = signed_in(admin_user)
    html = client.get(reverse("admin-report")).content.decode()
    # Ministry subtree: A 5 counted (2 completed), Q 3 (2 completed) -> 8 enrolments, 4 completed.
    # Progress: 2x100 + 50 (A) + 2x100 (Q) = 450 / 8 = 56.25; pass rate (Q only): 2/3.
    assert _row(html, "Total") == ["8", "4", "50.0%", "66.7%", "56.2%"]
    assert _row(html, "Bộ Ngoại giao") == ["8", "4", "50.0%", "66.7%", "56.2%"]

    html = client.get(reverse("admin-report") + f"?unit={tree['ministry'].pk}").content.decode()
    assert _row(html, "Vụ Thông tin Báo chí") == ["4", "3", "75.0%", "100.0%", "75.0%"]
    assert _row(html, "Đại sứ quán tại Pháp") == ["4", "1", "25.0%", "50.0%", "37.5%"]
    assert _row(html, "Placed directly in this unit") == ["0", "0", "—", "—", "—"]
    assert "Pass rate = completed ÷ enrolments" in html  # the definition is on the page

    html = client.get(reverse("admin-report") + f"?course={report_data['a'].pk}").content.decode()
    assert _row(html, "Total") == ["5", "2", "40.0%", "—", "50.0%"]

    # A global administrator starts from the top of the tree and sees the province too.
    html = signed_in(user_with_role(Role.ADMINISTRATOR, None)).get(reverse("admin-report")).content.decode()
    assert _row(html, "Ban Trung ương") == ["9", "5", "55.6%", "66.7%", "61.1%"]


def test_rollup_query_count_does_not_grow_with_the_units_shown(signed_in, admin_user, tree,
                                                             report_data):
    client = signed_in(admin_user)
    url = reverse("admin-report") + f"?unit={tree['ministry'].pk}"
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(12):
        unit = OrganisationFactory(parent=tree["ministry"], kind="mission", name=f"Đại sứ quán {n}")
        enrol(report_data["a"], UserFactory(organisation=unit))
    client.get(url)  # warm again: a new unit invalidates the cached auth facts (decision 0069)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert "Đại sứ quán 11" in html
    assert len(many) == len(few), [q["sql"] for q in many]


def test_xlsx_export_keeps_vietnamese_names_exactly(signed_in, admin_user, tree, report_data):
    response = signed_in(admin_user, "vi").get(reverse("admin-report-xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.getvalue()))
    sheet = book.worksheets[0]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Đại sứ quán tại Pháp"][1:5] == ("mission", 4, 1, 25.0)
    assert rows["Vụ Thông tin Báo chí"][2] == 4
    assert "Bộ Ngoại giao" in rows and "Tỉnh Quảng Ninh" not in rows
    assert len(book.worksheets) == 2


def test_report_chart_and_xlsx_labels_and_total(signed_in, admin_user, tree, report_data):
    """The chart draws each unit's rates (SVG, no script); the XLSX has the page's column labels
    and a total row that counts each enrolment once (not the sum of nested units' rows)."""
    client = signed_in(admin_user, "vi")
    html = client.get(reverse("admin-report") + f"?unit={tree['ministry'].pk}").content.decode()
    chart = html[html.index('class="report-chart"'):html.index('<table class="report')]
    assert "<script" not in chart and chart.count('class="chart-bars"') == 2
    assert 'width="75.0" height="5" class="chart-completion"' in chart  # Vụ Thông tin Báo chí
    page_labels = re.findall(r'<th scope="col" class="num">(.*?)</th>', html)
    book = load_workbook(BytesIO(client.get(reverse("admin-report-xlsx")).getvalue()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Đơn vị")
    assert list(header[2:2 + len(page_labels)]) == page_labels and "completion_rate" not in header
    total = rows[rows.index(header) + 1]
    # 8 enrolments in the ministry's subtree; the rows (ministry 8 + dept 4 + mission 4) add to 16.
    assert total[2:5] == (8, 4, 50.0)
    assert sum(r[2] for r in rows[rows.index(header) + 2:] if r and isinstance(r[2], int)) == 16
    assert book.worksheets[0].cell(row=rows.index(header) + 2, column=5).number_format == '0.0"%"'
    generated = book.worksheets[0].cell(row=3, column=2)  # a real date, shown as in the pages
    assert isinstance(rows[2][1], datetime.datetime) and generated.number_format == "hh:mm dd/mm/yyyy"


def test_xlsx_export_never_writes_names_as_formulas(signed_in, admin_user, tree, report_data):
    """Unit names and course titles come from users: a spreadsheet must show them, not run them."""
    OrganisationFactory(parent=tree["ministry"], kind="mission", code="evil", name=PAYLOADS[0])
    course = build_course(tree["central"], title=PAYLOADS[3])
    response = signed_in(admin_user).get(reverse("admin-report-xlsx") + f"?course={course.pk}")
    assert response.status_code == 200
    body = response.getvalue()  # a streamed file: read once
    assert_xlsx_has_no_formula(body, PAYLOADS[0], PAYLOADS[3])
    numbers = [c for c in xlsx_cells(body) if c.row > 5 and c.column in (3, 4)]
    assert numbers and all(c.data_type == "n" for c in numbers)
