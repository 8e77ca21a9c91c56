"""The auth cache (decision 0069): a warm request reads no user, role or MFA row, and every
change to what the facts hold is seen by the very next request."""

from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from backend.accounts import auth_cache, services, session_user
from backend.accounts.importing import users_import
from backend.accounts.models import Accommodation, Organisation, Role, RoleAssignment, User
from backend.accounts.rest.serializers import MeSerializer, me_payload
from tests.accounts.test_api import PASSWORD, token_for
from tests.factories import UserFactory, user_with_role

ME = "/api/v1/me/"
USERS = "/api/v1/users/"


@pytest.fixture
def admin_of_tree(tree):
    return user_with_role(Role.ADMINISTRATOR, tree["central"])


def me(api, token, **extra):
    return api.get(ME, HTTP_X_SESSION_TOKEN=token, **extra)


def test_the_cache_is_on_in_tests():
    assert settings.AUTH_CACHE_SECONDS > 0 and auth_cache.enabled()


def test_a_warm_request_reads_only_the_session(api, trainee, django_assert_num_queries):
    token = token_for(api, trainee)
    assert me(api, token).status_code == 200  # fills the cache
    with django_assert_num_queries(1):  # the token's session (no user, unit, roles or TOTP)
        body = me(api, token).json()
    assert body["roles"] == ["trainee"] and body["organisation"]["code"] == "mission"


def test_a_cold_request_fills_the_cache_once(api, trainee, django_assert_num_queries):
    token = token_for(api, trainee)
    auth_cache.invalidate_all()
    with django_assert_num_queries(2):  # session; the facts (user, unit, accommodation, roles, TOTP)
        assert me(api, token).status_code == 200
    with django_assert_num_queries(1):
        assert me(api, token).status_code == 200


def test_me_payload_is_what_the_serializer_renders(tree, trainee, admin_of_tree):
    superuser = UserFactory(organisation=None, is_superuser=True)
    for user in (trainee, admin_of_tree, superuser):
        cached = auth_cache.user_from_facts(auth_cache.facts_for(user.pk))
        fresh = User.objects.select_related("organisation").get(pk=user.pk)
        assert me_payload(cached) == MeSerializer(fresh).data == me_payload(fresh)


def _facts_by_the_orm(uid) -> auth_cache.AuthFacts | None:
    """What load_facts read with the ORM before its hand-written statement (three queries)."""
    user = User.objects.select_related("organisation", "accommodation").filter(pk=uid).first()
    if user is None:
        return None
    acc = getattr(user, "accommodation", None) if hasattr(user, "accommodation") else None
    org = user.organisation
    return auth_cache.AuthFacts(
        user=tuple(getattr(user, f) for f in auth_cache.USER_FIELDS),
        organisation=tuple(getattr(org, f) for f in auth_cache.ORGANISATION_FIELDS) if org else None,
        scopes=tuple(RoleAssignment.objects.filter(user_id=uid).order_by("pk").values_list(
            "role", "organisation_id", "organisation__path")),
        has_totp=Authenticator.objects.filter(user_id=uid, type=Authenticator.Type.TOTP).exists(),
        session_auth_hash=user.get_session_auth_hash(),
        accommodation=None if acc is None else (acc.time_factor, acc.extra_attempts, acc.reason),
    )


def test_load_facts_reads_what_the_orm_read(tree, trainee, admin_of_tree):
    """One statement for every kind of person: no unit, several roles (scoped and global), TOTP
    (and a recovery-codes authenticator that is not TOTP), an accommodation, no role at all."""
    several = user_with_role(Role.TRAINER, tree["ministry"], full_name="Hoàng Thị Lan")
    RoleAssignment.objects.create(user=several, role=Role.ADMINISTRATOR, organisation=tree["mission"])
    RoleAssignment.objects.create(user=several, role=Role.TRAINEE, organisation=None)
    Authenticator.objects.create(user=several, type=Authenticator.Type.TOTP, data={"secret": "x"})
    codes_only = UserFactory(organisation=None, is_superuser=True)
    Authenticator.objects.create(user=codes_only, type=Authenticator.Type.RECOVERY_CODES, data={})
    Accommodation.objects.create(user=trainee, time_factor=Decimal("1.50"), extra_attempts=2,
                                 reason="Khiếm thị: thời gian gấp rưỡi")
    nobody = UserFactory()
    for person in (trainee, admin_of_tree, several, codes_only, nobody):
        assert auth_cache.load_facts(person.pk) == _facts_by_the_orm(person.pk)
    facts = auth_cache.load_facts(several.pk)
    assert facts.has_totp and len(facts.scopes) == 3 and ("administrator", tree["mission"].pk,
                                                           tree["mission"].path) in facts.scopes
    assert not auth_cache.load_facts(codes_only.pk).has_totp
    assert auth_cache.load_facts(trainee.pk).accommodation == (
        Decimal("1.50"), 2, "Khiếm thị: thời gian gấp rưỡi")
    assert auth_cache.load_facts(10**12) is None


def visible_users(api, token) -> int:
    response = api.get(USERS, HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 200
    return len(response.json()["results"])


def create_user(api, token, email):
    return api.post(USERS, {"email": email, "full_name": "Lê Văn Cường", "organisation": "mission"},
                    format="json", HTTP_X_SESSION_TOKEN=token)


def test_role_removed_next_request_is_refused(api, tree, admin_of_tree, trainee):
    token = token_for(api, admin_of_tree)
    assert visible_users(api, token) >= 2
    assert create_user(api, token, "cuong@mofa.gov.vn").status_code == 201
    services.role_revoke(actor=None, user=admin_of_tree, role=Role.ADMINISTRATOR,
                         organisation=tree["central"])
    assert visible_users(api, token) == 0
    assert create_user(api, token, "cuong2@mofa.gov.vn").status_code == 403
    assert me(api, token).json()["roles"] == []


def test_role_given_next_request_may(api, tree, trainee):
    token = token_for(api, trainee)
    assert visible_users(api, token) == 0
    services.role_assign(actor=None, user=trainee, role=Role.ADMINISTRATOR, organisation=tree["ministry"])
    assert visible_users(api, token) >= 1


def test_deactivated_next_request_is_401_even_for_a_session_allauth_does_not_track(
        api, client, tree, admin_of_tree, trainee):
    # force_login makes a session allauth's user sessions do not know, so deactivation does
    # not end it: only the facts (is_active) turn it away.
    api.force_login(trainee)
    client.force_login(trainee)
    assert api.get(ME).status_code == 200 and client.get("/profile/").status_code == 200
    services.user_deactivate(actor=admin_of_tree, user=trainee)
    assert api.get(ME).status_code == 401
    assert client.get("/profile/").status_code == 302  # to the sign-in page
    services.user_reactivate(actor=admin_of_tree, user=trainee)
    assert api.get(ME).status_code == 200


def test_deactivated_token_is_401(api, tree, admin_of_tree, trainee):
    token = token_for(api, trainee)
    assert me(api, token).status_code == 200
    services.user_deactivate(actor=admin_of_tree, user=trainee)
    assert me(api, token).status_code == 401


def test_signed_out_token_is_401(api, trainee):
    token = token_for(api, trainee)
    assert me(api, token).status_code == 200
    out = api.delete("/_allauth/app/v1/auth/session", HTTP_X_SESSION_TOKEN=token)
    assert out.status_code == 401  # allauth: "no longer authenticated"
    assert me(api, token).status_code == 401


def test_signed_out_browser_is_anonymous(client, trainee):
    assert client.post("/accounts/login/", {"login": trainee.email, "password": PASSWORD}).status_code == 302
    assert client.get("/profile/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/profile/").status_code == 302


def test_language_change_is_seen(api, client, trainee):
    token = token_for(api, trainee)
    assert me(api, token).json()["language"] == "vi"
    services.user_set_language(user=User.objects.get(pk=trainee.pk), language="en")  # .update()
    assert me(api, token).json()["language"] == "en"
    assert api.patch(ME, {"language": "vi"}, format="json", HTTP_X_SESSION_TOKEN=token).status_code == 200
    assert me(api, token).json()["language"] == "vi"


def test_profile_and_unit_changes_are_seen(api, tree, trainee):
    token = token_for(api, trainee)
    assert me(api, token).json()["organisation"]["name"] == "Đại sứ quán tại Pháp"
    unit = Organisation.objects.get(code="mission")
    unit.name = "Đại sứ quán tại Cộng hòa Pháp"
    unit.save()  # every user's facts: a new generation
    assert me(api, token).json()["organisation"]["name"] == "Đại sứ quán tại Cộng hòa Pháp"
    person = User.objects.get(pk=trainee.pk)
    person.full_name = "Trần Thị Bình"
    person.save()
    assert me(api, token).json()["full_name"] == "Trần Thị Bình"


def test_a_password_change_signs_out_the_other_sessions(client, trainee):
    client.force_login(trainee)
    assert client.get("/profile/").status_code == 200
    person = User.objects.get(pk=trainee.pk)
    person.set_password("Another@Passw0rd")
    person.save()
    assert client.get("/profile/").status_code == 302


def test_totp_added_is_seen_by_the_mfa_rule(api, settings, tree):
    settings.MFA_REQUIRED_ROLES = ["trainer"]
    trainer = user_with_role(Role.TRAINER, tree["ministry"])
    api.force_login(trainer)
    refused = api.get("/api/v1/courses/")
    assert refused.status_code == 403 and refused.json()["code"] == "mfa_required"
    totp = Authenticator.objects.create(user=trainer, type=Authenticator.Type.TOTP,
                                        data={"secret": "JBSWY3DPEHPK3PXP"})
    assert api.get("/api/v1/courses/").status_code == 200
    totp.delete()
    assert api.get("/api/v1/courses/").status_code == 403


def test_a_bulk_import_that_gives_a_role_is_seen(api, tree, admin_user):
    person = UserFactory(organisation=tree["mission"], email="binh@mofa.gov.vn")
    token = token_for(api, person)
    assert me(api, token).json()["roles"] == []
    data = ("email,full_name,organisation,role,cohort\n"
            "binh@mofa.gov.vn,Trần Thị Bình,mission,trainee,\n").encode()
    result = users_import(actor=admin_user, data=data)
    assert result.updated == 1, result
    body = me(api, token).json()
    assert body["roles"] == ["trainee"] and body["full_name"] == "Trần Thị Bình"


def test_a_session_of_another_backend_or_without_its_hash_is_left_to_django(trainee):
    request = RequestFactory().get("/")
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    request.session["_auth_user_id"] = str(trainee.pk)
    request.session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    # No hash: Django refuses (and flushes) such a session; so do we.
    assert isinstance(session_user.get_user(request), AnonymousUser)


def test_off_means_djangos_own_path(api, settings, trainee, django_assert_num_queries):
    settings.AUTH_CACHE_SECONDS = 0
    token = token_for(api, trainee)
    with django_assert_num_queries(4):  # session, user, its unit, roles
        assert me(api, token).status_code == 200


def _settings_of_a_process(**env) -> list[str]:
    """AUTH_CACHE_SECONDS, SESSION_ENGINE and the cache's KEY_PREFIX of a non-test process."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("CACHE_", "AUTH_CACHE", "SESSION_", "DJANGO_TESTING"))}
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.AUTH_CACHE_SECONDS, s.SESSION_ENGINE, s.CACHES['default'].get('KEY_PREFIX'))")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120,
                          env={**base, "DJANGO_SETTINGS_MODULE": "backend.settings", "DJANGO_DEBUG": "1",
                               **env}, check=True)
    return done.stdout.split()


def test_the_cache_is_off_without_a_shared_cache_and_on_with_one():
    assert _settings_of_a_process() == ["0", "django.contrib.sessions.backends.db", "None"]
    assert _settings_of_a_process(CACHE_URL="redis://127.0.0.1:6379/1", CACHE_KEY_PREFIX="site1") == [
        "300", "django.contrib.sessions.backends.cached_db", "site1"]
    assert _settings_of_a_process(CACHE_URL="redis://127.0.0.1:6379/1", AUTH_CACHE_SECONDS="0")[0] == "0"


def test_the_accommodation_travels_with_the_facts_and_a_change_is_seen(trainee, django_assert_num_queries):
    from backend.accounts.api import accommodation_of

    facts = auth_cache.facts_for(trainee.pk)
    assert facts.accommodation is None
    user = auth_cache.user_from_facts(facts)
    with django_assert_num_queries(0):  # known from the facts: no accommodation read
        assert accommodation_of(user) is None
    services.accommodation_set(actor=None, user=User.objects.get(pk=trainee.pk), time_factor="1.5",
                               extra_attempts=2, reason="Khiếm thị")
    user = auth_cache.user_from_facts(auth_cache.facts_for(trainee.pk))  # the save forgot the facts
    with django_assert_num_queries(0):
        acc = accommodation_of(user)
    assert (str(acc.time_factor), acc.extra_attempts, acc.reason, acc.user_id) == ("1.50", 2, "Khiếm thị",
                                                                                  trainee.pk)
    services.accommodation_set(actor=None, user=User.objects.get(pk=trainee.pk), time_factor="2")
    acc = accommodation_of(auth_cache.user_from_facts(auth_cache.facts_for(trainee.pk)))
    assert (str(acc.time_factor), acc.extra_attempts) == ("2.00", 0)
    User.objects.get(pk=trainee.pk).accommodation.delete()
    assert accommodation_of(auth_cache.user_from_facts(auth_cache.facts_for(trainee.pk))) is None


def test_a_user_the_cache_did_not_build_reads_the_accommodation(trainee, django_assert_num_queries):
    from backend.accounts.api import accommodation_of

    services.accommodation_set(actor=None, user=User.objects.get(pk=trainee.pk), time_factor="1.25")
    with django_assert_num_queries(1):
        assert str(accommodation_of(trainee).time_factor) == "1.25"
