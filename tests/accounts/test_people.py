"""Administrators manage people: edit name, e-mail and unit; deactivate (signed out everywhere,
history kept) and reactivate; resend the invitation. backend.accounts.services."""

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError

from backend.accounts import services
from backend.accounts.models import Role, RoleAssignment, User
from backend.audit.models import AuditEntry
from backend.errors import Forbidden
from courses.models import Enrolment
from tests.courses.factories import build_course, enrol
from tests.factories import UserFactory

PASSWORD = "Passw0rd!x"


@pytest.fixture
def person(tree):
    user = UserFactory(organisation=tree["mission"], full_name="Nguyễn Văn Cũ", email="cu@mofa.gov.vn")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def test_edit_name_email_and_unit_is_audited(admin_user, tree, person):
    services.user_update(actor=admin_user, user=person, full_name="  Nguyễn  Văn Mới ",
                         email="Moi@Mofa.gov.vn", organisation=tree["dept"])
    person.refresh_from_db()
    assert (person.full_name, person.search_name, person.email, person.organisation) == (
        "Nguyễn Văn Mới", "nguyen van moi", "moi@mofa.gov.vn", tree["dept"])
    address = EmailAddress.objects.get(user=person)
    assert (address.email, address.primary, address.verified) == ("moi@mofa.gov.vn", True, False)
    entry = AuditEntry.objects.get(verb="user.updated")
    assert entry.details == {"full_name": ["Nguyễn Văn Cũ", "Nguyễn Văn Mới"],
                             "email": ["cu@mofa.gov.vn", "moi@mofa.gov.vn"],
                             "organisation": ["mission", "dept"]}


def test_nothing_changed_writes_nothing(admin_user, person):
    services.user_update(actor=admin_user, user=person, full_name="Nguyễn Văn Cũ", email="CU@mofa.gov.vn")
    assert not AuditEntry.objects.filter(verb="user.updated").exists()
    assert EmailAddress.objects.get(user=person).verified


def test_edit_refuses_a_taken_address_and_a_unit_outside(admin_user, tree, person):
    other = UserFactory(organisation=tree["mission"])
    with pytest.raises(ValidationError) as taken:
        services.user_update(actor=admin_user, user=person, email=other.email.upper())
    assert "email" in taken.value.message_dict
    with pytest.raises(ValidationError) as outside:
        services.user_update(actor=admin_user, user=person, organisation=tree["province"])
    assert "organisation" in outside.value.message_dict
    person.refresh_from_db()
    assert (person.email, person.organisation) == ("cu@mofa.gov.vn", tree["mission"])


def test_a_more_powerful_account_cannot_be_taken_over(admin_user, tree):
    """A unit administrator must not change the e-mail address (then reset the password) of
    someone who holds a role beyond their units, nor deactivate them."""
    boss = UserFactory(organisation=tree["mission"])
    RoleAssignment.objects.create(user=boss, role=Role.ADMINISTRATOR, organisation=None)
    peer = UserFactory(organisation=tree["mission"])
    RoleAssignment.objects.create(user=peer, role=Role.TRAINER, organisation=tree["province"])
    superuser = UserFactory(organisation=tree["mission"], is_superuser=True)
    for target in (boss, peer, superuser):
        with pytest.raises(Forbidden):
            services.user_update(actor=admin_user, user=target, email="hacker@example.vn")
        with pytest.raises(Forbidden):
            services.user_deactivate(actor=admin_user, user=target)
    assert User.objects.filter(email="hacker@example.vn").count() == 0


def test_deactivate_signs_out_everywhere_and_keeps_history(admin_user, tree, person, client, api):
    course = build_course(tree["ministry"], modules=1, lessons=1)
    enrol(course, person)
    assert client.post("/accounts/login/", {"login": person.email, "password": PASSWORD}).status_code == 302
    token = api.post("/_allauth/app/v1/auth/login", {"email": person.email, "password": PASSWORD},
                     format="json").json()["meta"]["session_token"]
    assert api.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 200
    assert UserSession.objects.filter(user=person).count() == 2

    ended = services.user_deactivate(actor=admin_user, user=person, reason="Nghỉ hưu")
    assert ended == 2
    assert not UserSession.objects.filter(user=person).exists()
    assert client.get("/profile/").status_code == 302                      # signed out
    assert api.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code in (401, 403)
    refused = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert refused.status_code != 302 or "/accounts/inactive/" in refused["Location"]
    person.refresh_from_db()
    assert not person.is_active
    assert Enrolment.objects.filter(user=person).exists()                    # history kept
    entry = AuditEntry.objects.get(verb="user.deactivated")
    assert entry.details == {"sessions_ended": 2, "reason": "Nghỉ hưu"}


def test_reactivate_lets_the_person_sign_in_again(admin_user, person, client):
    services.user_deactivate(actor=admin_user, user=person)
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=admin_user, user=person)
    services.user_reactivate(actor=admin_user, user=person)
    assert User.objects.get(pk=person.pk).is_active
    assert client.post("/accounts/login/", {"login": person.email, "password": PASSWORD}).status_code == 302
    assert AuditEntry.objects.filter(verb="user.reactivated").count() == 1
    with pytest.raises(ValidationError):
        services.user_reactivate(actor=admin_user, user=person)


def test_an_administrator_cannot_deactivate_themselves(admin_user):
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=admin_user, user=admin_user)


def test_no_invitation_for_a_deactivated_account(admin_user, tree, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    invited = services.user_create(actor=admin_user, email="moi@mofa.gov.vn", full_name="Mới",
                                   organisation=tree["mission"], invite=False)
    services.user_deactivate(actor=admin_user, user=invited)
    with pytest.raises(ValidationError):
        services.invitation_resend(actor=admin_user, user=invited)
    services.user_reactivate(actor=admin_user, user=invited)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=admin_user, user=invited)
    assert [m.to for m in mailoutbox] == [["moi@mofa.gov.vn"]]
    assert RoleAssignment.objects.filter(user=invited).exists()
