"""A trainer of exactly one unit may leave `organisation` out when creating a course or a bank
(backend.accounts.api.organisation_default_for); otherwise a 400 names the field."""

import pytest

from assessments.models import QuestionBank
from backend.accounts.models import Role, RoleAssignment
from courses.models import Course
from tests.factories import user_with_role

ENDPOINTS = {
    "course": ("/api/v1/courses/", Course, lambda row: row.organisation_id),
    "bank": ("/api/v1/question-banks/", QuestionBank, lambda row: row.organisation_id),
}


@pytest.fixture(params=sorted(ENDPOINTS))
def endpoint(request):
    return ENDPOINTS[request.param]


def create(api, user, url, **extra):
    api.force_authenticate(user)
    return api.post(url, {"title": "Kỹ năng phát ngôn", **extra}, format="json",
                    HTTP_ACCEPT_LANGUAGE="en")


def test_a_trainer_of_one_unit_may_leave_the_unit_out(api, tree, endpoint):
    url, model, unit_of = endpoint
    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    # Nested scopes count as their outer unit; another role elsewhere does not count.
    RoleAssignment.objects.create(user=trainer, role=Role.TRAINER, organisation=tree["mission"])
    RoleAssignment.objects.create(user=trainer, role=Role.ADMINISTRATOR, organisation=tree["province"])
    response = create(api, trainer, url)
    assert response.status_code == 201, response.json()
    assert unit_of(model.objects.get(pk=response.json()["id"])) == tree["ministry"].pk


@pytest.mark.parametrize("scopes", [("ministry", "province"), (None,)])
def test_several_units_or_everywhere_is_a_400_naming_the_field(api, tree, endpoint, scopes):
    url, model, _unit_of = endpoint
    trainer = user_with_role(Role.TRAINER, tree[scopes[0]] if scopes[0] else None)
    for code in scopes[1:]:
        RoleAssignment.objects.create(user=trainer, role=Role.TRAINER, organisation=tree[code])
    response = create(api, trainer, url)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]["organisation"] == (
        "You work in more than one unit: give the code of the unit this belongs to.")
    assert not model.objects.exists()
    # Naming the unit still works.
    assert create(api, trainer, url, organisation="province" if scopes[0] else "dept").status_code == 201


def test_someone_who_is_no_trainer_is_refused_not_asked_for_a_unit(api, tree, endpoint):
    url, model, _unit_of = endpoint
    response = create(api, user_with_role(Role.ADMINISTRATOR, tree["ministry"]), url)
    assert response.status_code == 403
    assert not model.objects.exists()
