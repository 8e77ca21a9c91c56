"""REST: administrators list, read, correct, deactivate and reactivate people of their units,
and resend invitations; an administrator of another unit gets 404."""

import pytest

from backend.accounts.models import Role, User
from tests.factories import UserFactory, user_with_role


@pytest.fixture
def person(tree):
    return UserFactory(organisation=tree["mission"], full_name="Trần Thị Hương", email="huong@mofa.gov.vn")


@pytest.fixture
def as_admin(api, admin_user):
    api.force_authenticate(admin_user)
    return api


URLS = ["/api/v1/users/{id}/", "/api/v1/users/{id}/deactivate/", "/api/v1/users/{id}/reactivate/",
        "/api/v1/users/{id}/resend-invitation/"]


def test_list_searches_names_without_accents(as_admin, tree, person):
    outsider = UserFactory(organisation=tree["province"], full_name="Hoàng Thị Ngoài")
    UserFactory(organisation=tree["dept"], full_name="Lê Văn Nam")
    found = as_admin.get("/api/v1/users/", {"search": "tran thi HUONG"}).json()["results"]
    assert [u["email"] for u in found] == ["huong@mofa.gov.vn"]
    assert as_admin.get("/api/v1/users/", {"search": "ngoai"}).json()["results"] == []  # other unit
    everyone = {u["email"] for u in as_admin.get("/api/v1/users/").json()["results"]}
    assert outsider.email not in everyone and person.email in everyone


def test_patch_corrects_name_email_and_unit(as_admin, tree, person):
    response = as_admin.patch(f"/api/v1/users/{person.pk}/", {
        "full_name": "Trần Thị Hường", "email": "huong.tran@mofa.gov.vn", "organisation": "dept"},
        format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["full_name"], body["email"], body["organisation"]["code"]) == (
        "Trần Thị Hường", "huong.tran@mofa.gov.vn", "dept")


def test_patch_errors_name_the_field(as_admin, tree, person):
    response = as_admin.patch(f"/api/v1/users/{person.pk}/", {"email": "không-hợp-lệ"},
                              format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "email" in response.json()["fields"]
    response = as_admin.patch(f"/api/v1/users/{person.pk}/", {"organisation": "province"},
                              format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["fields"]["organisation"] == "You are not an administrator of this unit."


def test_deactivate_then_reactivate(as_admin, person):
    response = as_admin.post(f"/api/v1/users/{person.pk}/deactivate/", {"reason": "Chuyển công tác"},
                             format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["user"]["is_active"] is False and response.json()["sessions_ended"] == 0
    assert as_admin.get("/api/v1/users/", {"active": "false"}).json()["results"][0]["id"] == person.pk
    again = as_admin.post(f"/api/v1/users/{person.pk}/deactivate/", format="json")
    assert again.status_code == 400 and "user" in again.json()["fields"]
    response = as_admin.post(f"/api/v1/users/{person.pk}/reactivate/")
    assert response.status_code == 200 and response.json()["is_active"] is True


def test_resend_invitation(as_admin, person, mailoutbox, django_capture_on_commit_callbacks):
    person.set_unusable_password()
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert as_admin.post(f"/api/v1/users/{person.pk}/resend-invitation/").status_code == 204
    assert mailoutbox[0].to == [person.email]
    person.set_password("Passw0rd!x")
    person.save()
    response = as_admin.post(f"/api/v1/users/{person.pk}/resend-invitation/")
    assert response.status_code == 409 and response.json()["code"] == "invitation_not_needed"


@pytest.mark.parametrize("url", URLS)
def test_an_administrator_of_another_unit_gets_404(api, tree, person, url):
    api.force_authenticate(user_with_role(Role.ADMINISTRATOR, tree["province"]))
    method = api.get if url == URLS[0] else api.post
    response = method(url.format(id=person.pk))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api.patch(URLS[0].format(id=person.pk), {"full_name": "X"}, format="json").status_code == 404
    assert User.objects.get(pk=person.pk).is_active


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.TRAINER])
def test_only_administrators(api, tree, person, role):
    """Reads show each caller only what they may see (nobody, here); writes need the role."""
    api.force_authenticate(user_with_role(role, tree["ministry"]))
    assert api.get("/api/v1/users/").json()["results"] == []
    assert api.get(f"/api/v1/users/{person.pk}/").status_code == 404
    for action in ("deactivate", "reactivate", "resend-invitation"):
        assert api.post(f"/api/v1/users/{person.pk}/{action}/").status_code == 403
    assert api.patch(f"/api/v1/users/{person.pk}/", {"full_name": "X"}, format="json").status_code == 403


def test_a_person_with_a_wider_role_is_refused_with_403(as_admin, tree, person):
    from backend.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=person, role=Role.ADMINISTRATOR, organisation=None)
    response = as_admin.post(f"/api/v1/users/{person.pk}/deactivate/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403 and "user" in response.json()["fields"]
    assert User.objects.get(pk=person.pk).is_active
