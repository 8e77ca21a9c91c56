"""Staff lists at national scale (issue 14, part 5; decision 0072): the grading queue and a
course's learners are paginated, page and API, with query counts pinned here that do not grow
with the number of rows; the learners list downloads whole as CSV/XLSX; the unit roll-up costs
three queries; report reads go to the replica alias when one is configured."""

from __future__ import annotations

import copy
import io
from collections import deque

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments import attempts
from backend.accounts.models import Role
from courses.models import Enrolment
from courses.reports import course_learner_rows, unit_rollup
from tests.assessments.factories import bank_with_questions, enrol, make_quiz, quiz_course
from tests.courses.factories import build_course
from tests.factories import UserFactory, user_with_role
from tests.spreadsheet_checks import PAYLOADS, assert_csv_cell_is_text, csv_rows

# Pinned: the whole request (session, user, roles, navigation, the page) whatever the rows.
GRADING_PAGE_QUERIES = 6
GRADING_API_QUERIES = 4
LEARNERS_PAGE_QUERIES = 8
LEARNERS_API_QUERIES = 3


def queries(client, url) -> int:
    client.get(url)  # warm: what a first request caches (roles, sessions) is not the list's cost
    with CaptureQueriesContext(connections["default"]) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def essay_quiz(tree):
    course, lesson = quiz_course(tree["ministry"])
    _bank, questions = bank_with_questions(tree["ministry"], ["essay"])
    quiz = make_quiz(lesson, questions, max_attempts=1)
    return course, quiz


def submit_essays(course, quiz, organisation, n: int) -> None:
    learners = [user_with_role(Role.TRAINEE, organisation) for _ in range(n)]
    enrol(course, *learners)
    for user in learners:
        start = attempts.attempt_start(user=user, quiz_id=quiz.pk)
        essay = start.responses[0]
        attempts.attempt_submit(user=user, attempt_id=start.attempt.pk,
                                answers=[{"position": essay.position, "answer": f"Bài viết của {user.pk}"}])


def test_grading_queue_page_is_paginated_and_its_queries_do_not_grow(client, api, tree, essay_quiz):
    course, quiz = essay_quiz
    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    trainer.language = "vi"
    trainer.save()
    client.force_login(trainer)
    api.force_authenticate(trainer)
    url, api_url = f"/quiz/{quiz.pk}/grading/", f"/api/v1/quizzes/{quiz.pk}/grading/"
    submit_essays(course, quiz, tree["mission"], 2)
    few = queries(client, url), queries(api, api_url)
    submit_essays(course, quiz, tree["mission"], 21)
    many = queries(client, url), queries(api, api_url)
    assert few == many == (GRADING_PAGE_QUERIES, GRADING_API_QUERIES)

    first = client.get(url).content.decode()
    assert first.count('class="grading-item"') == 20 and "Trang 1 / 2" in first
    second = client.get(url + "?page=2").content.decode()
    assert second.count('class="grading-item"') == 3 and 'rel="prev"' in second
    assert len(api.get(api_url).json()["results"]) == 23  # the API's pages hold 50
    # Grading from page 2 comes back to page 2 (one essay fewer awaits).
    item = quiz.attempts.order_by("finished_at").last().responses.first()
    done = client.post(url + "?page=2", {"response": item.pk, "mark": "0,5"})
    assert done.status_code == 302 and done["Location"].endswith("?page=2")
    assert client.get(url).content.decode().count('class="grading-item"') == 20
    assert client.get(url + "?page=2").content.decode().count('class="grading-item"') == 2


@pytest.fixture
def course_with_learners(tree):
    course = build_course(tree["ministry"], title="Khóa học đại trà")

    def add(n: int, organisation=None):
        users = UserFactory.create_batch(n, organisation=organisation or tree["mission"])
        enrol_users(course, users)
        return users
    return course, add


def enrol_users(course, users):
    from courses.enrolments import enrolments_add

    enrolments_add(actor=None, course_id=course.pk, user_ids=[u.pk for u in users])


def test_learners_list_is_paginated_and_its_queries_do_not_grow(signed_in, api, admin_user,
                                                                course_with_learners):
    course, add = course_with_learners
    client = signed_in(admin_user, "vi")
    api.force_authenticate(admin_user)
    url = reverse("admin-enrolments") + f"?course={course.pk}"
    api_url = f"/api/v1/courses/{course.pk}/enrolments/"
    add(3)
    few = queries(client, url), queries(api, api_url)
    add(60)
    many = queries(client, url), queries(api, api_url)
    assert few == many == (LEARNERS_PAGE_QUERIES, LEARNERS_API_QUERIES)
    page = client.get(url).content.decode()
    assert "Trang 1 / 3" in page
    assert reverse("admin-learners-csv") + f"?course={course.pk}" in page
    assert reverse("admin-learners-xlsx") + f"?course={course.pk}" in page


def test_learners_export_lists_every_learner_of_the_list(signed_in, admin_user, tree, course_with_learners):
    course, add = course_with_learners
    inside = add(30)
    UserFactory(organisation=tree["dept"], full_name=PAYLOADS[0])  # not enrolled
    named = UserFactory(organisation=tree["dept"], full_name="Nguyễn Thị Hương")
    enrol_users(course, [named])
    withdrawn = inside[0]
    Enrolment.objects.filter(course=course, user=withdrawn).update(status="withdrawn")
    client = signed_in(admin_user, "vi")

    response = client.get(reverse("admin-learners-csv") + f"?course={course.pk}")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "learners" in response["Content-Disposition"]
    body = response.getvalue()
    assert body.startswith("\ufeff".encode())  # Excel reads it as UTF-8: diacritics stay
    rows = csv_rows(body)
    assert rows[0][:3] == ["Họ và tên", "Địa chỉ e-mail", "Đơn vị"]
    emails = {row[1] for row in rows[1:]}
    assert emails == {u.email for u in [*inside[1:], named]}
    assert any(row[0] == "Nguyễn Thị Hương" and row[2] == tree["dept"].name for row in rows)

    xlsx = client.get(reverse("admin-learners-xlsx") + f"?course={course.pk}")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == len(rows) and values[0][0] == "Họ và tên"
    assert {row[1] for row in values[1:]} == emails


def test_learners_export_quotes_formula_like_names_and_refuses_other_courses(
        signed_in, admin_user, tree, course_with_learners):
    course, _add = course_with_learners
    enrol_users(course, [UserFactory(organisation=tree["dept"], full_name=PAYLOADS[1])])
    client = signed_in(admin_user)
    rows = csv_rows(client.get(reverse("admin-learners-csv") + f"?course={course.pk}").getvalue())
    assert_csv_cell_is_text(rows, PAYLOADS[1])
    assert client.get(reverse("admin-learners-csv")).status_code == 404
    assert client.get(reverse("admin-learners-csv") + "?course=999999").status_code == 404
    other = build_course(tree["province"], title="Khóa của tỉnh")
    assert client.get(reverse("admin-learners-xlsx") + f"?course={other.pk}").status_code == 404
    trainee = user_with_role(Role.TRAINEE, tree["dept"])
    refused = signed_in(trainee).get(reverse("admin-learners-csv") + f"?course={course.pk}")
    assert refused.status_code in (302, 403)


def test_learner_rows_read_in_chunks_with_a_flat_query_count(admin_user, course_with_learners,
                                                             django_assert_num_queries):
    course, add = course_with_learners
    add(25)
    # Two for "is this person the course's staff" (roles, the course's unit), then one for the
    # rows however many chunks they come in (a server-side cursor fetches them).
    with django_assert_num_queries(3):
        assert len(list(course_learner_rows(admin_user, course, chunk_size=10))) == 25


def test_unit_rollup_costs_three_queries_whatever_the_tree(tree, course_with_learners,
                                                         django_assert_num_queries):
    _course, add = course_with_learners
    add(5)
    add(3, tree["dept"])
    add(2, tree["province"])
    with django_assert_num_queries(3):
        everywhere = unit_rollup(scope_paths=None)
    assert everywhere.total.enrolments == 10
    assert everywhere.for_unit(tree["ministry"].path).enrolments == 8
    with django_assert_num_queries(3):
        ministry = unit_rollup(scope_paths=[tree["ministry"].path])
    assert ministry.total.enrolments == 8 and ministry.for_unit(tree["province"].path).enrolments == 0


@pytest.fixture
def replica(db, monkeypatch):
    """A "replica" alias as a deployment with DATABASE_REPLICA_URL has: here the default
    connection lent under that name (the same transaction, so it sees the test's rows) with a
    query log of its own, so a test can tell which alias a query went to."""
    default = connections["default"]
    default.ensure_connection()
    lent = copy.copy(default)
    lent.alias = "replica"
    lent.queries_log = deque(maxlen=default.queries_limit)
    lent.execute_wrappers = []
    monkeypatch.setitem(django_settings.DATABASES, "replica",
                        {**django_settings.DATABASES["default"], "TEST": {"MIRROR": "default"}})
    connections["replica"] = lent
    yield lent
    del connections["replica"]


def test_reports_and_exports_read_from_the_replica_when_one_is_configured(
        replica, signed_in, admin_user, tree, course_with_learners):
    from backend.db import reporting_alias

    course, add = course_with_learners
    add(4)
    assert reporting_alias() == "replica"
    with CaptureQueriesContext(replica) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_default:
        rollup = unit_rollup(scope_paths=None)
        rows = list(course_learner_rows(admin_user, course))
    assert rollup.total.enrolments == 4 and len(rows) == 4
    assert len(on_replica) == 4  # the roll-up's three and the learners' rows
    assert all("courses_enrolment" not in q["sql"] for q in on_default)  # only the staff check
    # Through the pages too: the report and the export read the replica.
    client = signed_in(admin_user)
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("admin-report")).status_code == 200
        assert client.get(reverse("admin-learners-csv") + f"?course={course.pk}").getvalue()
    assert len(on_replica) == 4


def test_without_a_replica_reports_read_the_default_database():
    from backend.db import reporting_alias

    assert reporting_alias() == "default"
