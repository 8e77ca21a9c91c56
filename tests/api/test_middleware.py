"""Request input outside the REST bodies that used to end in a 500 (on PostgreSQL) or an HTML page:
NUL in query strings, paths and forms; deep or non-object JSON sent to allauth's headless
endpoints and to the pages' fetch calls; ids beyond 64 bits in paths and query strings."""

import pytest
from django.test import Client

from backend.accounts.models import Role, User
from tests.factories import user_with_role

DEEP = "[" * 100_000
HUGE = 2**63
HEADLESS_LOGINS = ["/_allauth/app/v1/auth/login", "/_allauth/browser/v1/auth/login"]


def as_user(api, user):
    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def api_refusal(response, field: str) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"], body


@pytest.mark.parametrize("url, field", [
    ("/api/v1/courses/?search=%00", "search"),
    ("/api/v1/courses/?status=draft%00", "status"),
    ("/api/v1/certificates/?status=%00", "status"),
    ("/api/v1/certificates/?render_status=%00", "render_status"),
    ("/api/v1/courses/?a%00b=1", "a\x00b"),
    ("/api/v1/verify/AB%00CD/", "path"),
])
def test_nul_in_a_query_string_or_path_is_a_400_naming_it(api, trainee, url, field):
    api_refusal(as_user(api, trainee).get(url, HTTP_ACCEPT_LANGUAGE="en"), field)


def test_nul_in_a_page_query_string_is_the_400_page(client, trainee):
    client.force_login(trainee)
    response = client.get("/learn/?q=%00")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_nul_in_a_page_form_is_the_400_page_and_nothing_is_saved(client, db):
    response = Client().post("/accounts/login/", {"login": "a\x00@example.vn", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", HEADLESS_LOGINS)
@pytest.mark.parametrize("body", [DEEP, "[1]", "null", '"x"', '{"email": "a\\u0000@x.vn", "password": "x"}',
                                  '{"email": 1e999, "password": "x"}'])
def test_headless_login_answers_json_400_in_allauths_shape(db, path, body):
    response = Client().post(path, body, content_type="application/json")
    assert response.status_code == 400, response.content[:200]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()
    assert error["status"] == 400 and error["errors"][0]["message"]


def test_a_page_fetch_with_deep_json_gets_a_json_400(client, tree):
    from tests.courses.factories import build_course

    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    course = build_course(tree["ministry"], publish=False)
    client.force_login(trainer)
    response = client.post(f"/teach/courses/{course.pk}/reorder/", DEEP, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


# --- ids beyond 64 bits -----------------------------------------------------------------------------

@pytest.mark.parametrize("url, field", [
    (f"/api/v1/certificates/?course={HUGE}", "course"),
    ("/api/v1/certificates/?course=%C2%B2", "course"),  # "²" passes str.isdigit() but not int()
])
def test_an_id_filter_out_of_range_is_a_400(api, trainee, url, field):
    api_refusal(as_user(api, trainee).get(url), field)


def test_progress_and_zip_filters_out_of_range_are_400(api, tree, trainee, global_admin):
    from tests.certificates.factories import certificate_course

    course = certificate_course(tree["ministry"])
    as_user(api, global_admin)
    api_refusal(api.get(f"/api/v1/courses/{course.pk}/progress/?user={HUGE}"), "user")
    api_refusal(api.get(f"/api/v1/courses/{course.pk}/certificates/zip/?cohort={HUGE}"), "cohort")


def test_xapi_export_with_a_user_out_of_range_is_a_400_not_a_truncated_body(api, tree):
    from tests.h5p.factories import build_h5p_course

    h5p = build_h5p_course(tree["ministry"])
    response = as_user(api, h5p.trainer).get(f"/api/v1/lessons/{h5p.lesson.pk}/xapi/export/?user={HUGE}")
    api_refusal(response, "user")


def test_an_id_out_of_range_in_a_path_is_a_404(api, tree, trainee):
    from tests.courses.factories import build_course

    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    course = build_course(tree["ministry"])
    response = as_user(api, trainer).delete(f"/api/v1/courses/{course.pk}/enrolments/{HUGE}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_page_filters_with_ids_out_of_range_do_not_fail(client, tree):
    from tests.assessments.factories import bank_with_questions

    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    bank, _questions = bank_with_questions(tree["ministry"], ["true_false"])
    client.force_login(trainer)
    for query in (f"category={HUGE}", f"tag={HUGE}", "category=%C2%B2"):
        assert client.get(f"/teach/banks/{bank.pk}/?{query}").status_code in (200, 404), query


def test_a_page_json_endpoint_sent_a_form_answers_400(client, tree):
    from tests.courses.factories import build_course

    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    course = build_course(tree["ministry"], publish=False)
    client.force_login(trainer)
    response = client.post(f"/teach/courses/{course.pk}/reorder/", {"modules": "x"})
    assert response.status_code == 400
