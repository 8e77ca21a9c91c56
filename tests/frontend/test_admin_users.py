"""People management pages: edit, deactivate after a confirmation (signed out everywhere),
reactivate, the status filter; the cohort page's name search (no-JS path); the sample CSV."""

import pytest
from django.urls import reverse

from backend.accounts.importing import users_import
from backend.accounts.models import CohortMembership, Role, User
from backend.audit.models import AuditEntry
from tests.factories import CohortFactory, UserFactory, user_with_role


@pytest.fixture
def person(tree):
    return UserFactory(organisation=tree["mission"], full_name="Phạm Thị Lan", email="lan@mofa.gov.vn")


def test_the_user_page_leads_to_edit_and_deactivate(signed_in, admin_user, person):
    html = signed_in(admin_user).get(reverse("admin-user", args=[person.pk])).content.decode()
    assert reverse("admin-user-edit", args=[person.pk]) in html
    assert reverse("admin-user-deactivate", args=[person.pk]) in html
    assert 'aria-current="page">Phạm Thị Lan' in html  # where it sits: Administration › Users › …


def test_edit_saves_and_keeps_input_on_error(signed_in, admin_user, tree, person):
    client = signed_in(admin_user)
    url = reverse("admin-user-edit", args=[person.pk])
    page = client.get(url).content.decode()
    assert 'value="lan@mofa.gov.vn"' in page and "Users</a> ›" in page
    taken = UserFactory(organisation=tree["mission"]).email
    response = client.post(url, {"full_name": "Phạm Thị Lan Anh", "email": taken,
                                 "organisation": tree["dept"].pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "already exists" in html and 'value="Phạm Thị Lan Anh"' in html
    response = client.post(url, {"full_name": "Phạm Thị Lan Anh", "email": "lan.anh@mofa.gov.vn",
                                 "organisation": tree["dept"].pk})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.email, person.organisation) == (
        "Phạm Thị Lan Anh", "lan.anh@mofa.gov.vn", tree["dept"])


def test_deactivate_asks_first_then_signs_out_and_reactivate(signed_in, admin_user, person, client):
    from django.test import Client

    theirs = Client()
    theirs.force_login(person)
    assert theirs.get("/profile/").status_code == 200
    admin = signed_in(admin_user)
    url = reverse("admin-user-deactivate", args=[person.pk])
    confirm = admin.get(url)
    assert confirm.status_code == 200 and "Yes, deactivate the account" in confirm.content.decode()
    assert User.objects.get(pk=person.pk).is_active  # asking changes nothing
    response = admin.post(url, {"reason": "Nghỉ việc"}, follow=True)
    assert "The account has been deactivated" in response.content.decode()
    assert not User.objects.get(pk=person.pk).is_active
    assert theirs.get("/profile/").status_code == 302  # their open session is gone
    listed = admin.get(reverse("admin-users"), {"status": "inactive"}).content.decode()
    assert "Phạm Thị Lan" in listed and "Deactivated" in listed
    assert "Phạm Thị Lan" not in admin.get(reverse("admin-users"), {"status": "active"}).content.decode()
    admin.post(reverse("admin-user-reactivate", args=[person.pk]))
    assert User.objects.get(pk=person.pk).is_active
    assert [e.verb for e in AuditEntry.objects.filter(verb__startswith="user.").order_by("pk")] == [
        "user.deactivated", "user.reactivated"]


def test_reactivate_needs_post(signed_in, admin_user, person):
    assert signed_in(admin_user).get(reverse("admin-user-reactivate", args=[person.pk])).status_code == 405


def test_another_units_administrator_gets_404_on_every_page(signed_in, tree, person):
    client = signed_in(user_with_role(Role.ADMINISTRATOR, tree["province"]))
    for name in ("admin-user", "admin-user-edit", "admin-user-deactivate"):
        assert client.get(reverse(name, args=[person.pk])).status_code == 404, name
    assert client.post(reverse("admin-user-deactivate", args=[person.pk])).status_code == 404
    assert client.post(reverse("admin-user-reactivate", args=[person.pk])).status_code == 404
    assert User.objects.get(pk=person.pk).is_active


def test_no_deactivate_button_for_oneself_or_a_wider_account(signed_in, admin_user, tree):
    from backend.accounts.models import RoleAssignment

    client = signed_in(admin_user)
    own = client.get(reverse("admin-user", args=[admin_user.pk])).content.decode()
    assert reverse("admin-user-deactivate", args=[admin_user.pk]) not in own
    boss = UserFactory(organisation=tree["mission"])
    RoleAssignment.objects.create(user=boss, role=Role.ADMINISTRATOR, organisation=None)
    page = client.get(reverse("admin-user", args=[boss.pk])).content.decode()
    assert reverse("admin-user-deactivate", args=[boss.pk]) not in page
    refused = client.post(reverse("admin-user-deactivate", args=[boss.pk]))
    assert refused.status_code == 200 and "holds a role outside" in refused.content.decode()
    assert User.objects.get(pk=boss.pk).is_active


def test_cohort_members_are_found_by_name_without_accents_and_added(signed_in, admin_user, tree, person):
    cohort = CohortFactory(name="Lớp K5", organisation=tree["ministry"])
    member = UserFactory(organisation=tree["dept"], full_name="Phạm Văn Đã Có")
    CohortMembership.objects.create(cohort=cohort, user=member)
    UserFactory(organisation=tree["province"], full_name="Phạm Ngoài Phạm Vi")
    UserFactory(organisation=tree["mission"], full_name="Phạm Đã Nghỉ", is_active=False)
    client = signed_in(admin_user)
    url = reverse("admin-cohort", args=[cohort.pk])
    html = client.get(url, {"find": "pham"}).content.decode()
    assert "Phạm Thị Lan" in html and 'name="pick"' in html and "1 person found." in html
    for absent in ("Phạm Ngoài", "Phạm Đã Nghỉ"):  # another unit; deactivated
        assert absent not in html
    assert f'name="pick" value="{member.pk}"' not in html  # already a member
    assert 'data-search-url="/api/v1/users/"' in html and "cohort-members.js" in html
    response = client.post(url, {"action": "pick", "pick": [person.pk]}, follow=True)
    assert "1 member added." in response.content.decode()
    assert set(cohort.members.all()) == {member, person}


def test_the_api_behind_the_search_leaves_members_out(signed_in, admin_user, tree, person):
    cohort = CohortFactory(organisation=tree["ministry"])
    CohortMembership.objects.create(cohort=cohort, user=person)
    client = signed_in(admin_user)
    found = client.get("/api/v1/users/", {"search": "pham thi", "exclude_cohort": cohort.pk}).json()
    assert found["results"] == []
    assert client.get("/api/v1/users/", {"search": "pham thi"}).json()["results"][0]["id"] == person.pk


def test_sample_csv_is_vietnamese_utf8_with_bom_and_imports_as_it_is(signed_in, admin_user, tree):
    client = signed_in(admin_user)
    assert reverse("admin-import-sample") in client.get(reverse("admin-import")).content.decode()
    response = client.get(reverse("admin-import-sample"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].decode("utf-8").splitlines()[0]
    assert header == "Địa chỉ e-mail,Họ và tên,Mã đơn vị,Vai trò,Lớp bồi dưỡng"
    result = users_import(actor=admin_user, data=data)
    assert (result.created, result.errors) == (2, 0), result.rows
    assert User.objects.get(email="an.nguyen@example.gov.vn").organisation == tree["ministry"]
