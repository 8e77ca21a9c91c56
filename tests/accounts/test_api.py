import io

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from backend.accounts.models import Role, User
from tests.factories import user_with_role

PASSWORD = "Passw0rd!x"


def token_for(api, user) -> str:
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True,
                                                                               "primary": True})
    response = api.post("/_allauth/app/v1/auth/login",
                        {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


def test_me_through_the_headless_session_token(api, trainee):
    token = token_for(api, trainee)
    response = api.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == trainee.email
    assert body["full_name"] == trainee.full_name
    assert body["roles"] == ["trainee"]
    assert body["organisation"] == {"id": trainee.organisation.id, "code": "mission",
                                    "name": "Đại sứ quán tại Pháp", "kind": "mission"}


def test_me_needs_authentication_and_answers_in_the_requested_language(api, db):
    response = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code in (401, 403)
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert body["message"] == "Chưa cung cấp thông tin xác thực. Vui lòng đăng nhập."
    english = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["message"] == "Authentication credentials were not provided."


def test_me_patch_changes_name_and_language(api, trainee):
    api.force_authenticate(trainee)
    response = api.patch("/api/v1/me/", {"full_name": "  Hoàng   Thị Mai ", "language": "en"},
                         format="json")
    assert response.status_code == 200
    trainee.refresh_from_db()
    assert (trainee.full_name, trainee.language) == ("Hoàng Thị Mai", "en")


def test_admin_creates_a_user_in_their_subtree(api, admin_user, tree, mailoutbox,
                                               django_capture_on_commit_callbacks):
    api.force_authenticate(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/users/", {"email": "Moi@Mofa.gov.vn", "full_name": "Vũ Đức Mới",
                                               "organisation": "mission", "roles": ["trainee", "trainer"]},
                            format="json")
    assert response.status_code == 201, response.content
    assert response.json()["roles"] == ["trainee", "trainer"]
    assert User.objects.get(email="moi@mofa.gov.vn").organisation == tree["mission"]
    assert mailoutbox[0].to == ["moi@mofa.gov.vn"]


def test_admin_cannot_create_outside_their_subtree(api, admin_user, tree):
    api.force_authenticate(admin_user)
    response = api.post("/api/v1/users/", {"email": "x@x.vn", "full_name": "X", "organisation": "province"},
                        format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]["organisation"] == "You are not an administrator of this unit."
    assert not User.objects.filter(email="x@x.vn").exists()


def test_validation_errors_name_the_field_in_vietnamese(api, admin_user, tree):
    api.force_authenticate(admin_user)
    response = api.post("/api/v1/users/", {"email": "không-phải-email", "full_name": "",
                                           "organisation": "nowhere"}, format="json",
                        HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"email", "full_name", "organisation"}
    assert "hợp lệ" in fields["email"]


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.TRAINER])
def test_only_administrators_create_and_import_users(api, tree, role):
    api.force_authenticate(user_with_role(role, tree["ministry"]))
    assert api.post("/api/v1/users/", {}, format="json").status_code == 403
    assert api.post("/api/v1/users/import/", {}, format="multipart").status_code == 403


def test_import_endpoint_returns_a_result_per_row(api, admin_user, tree):
    api.force_authenticate(admin_user)
    csv_file = io.BytesIO("email,full_name,organisation,role,cohort\n"
                          "a@mofa.gov.vn,Đỗ Thị A,mission,trainee,\n"
                          "bad,Sai,mission,trainee,\n".encode())
    csv_file.name = "users.csv"
    response = api.post("/api/v1/users/import/", {"file": csv_file}, format="multipart")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["errors"]) == (1, 0, 1)
    assert body["rows"][1] == {"row": 3, "status": "error",
                               "message": body["rows"][1]["message"]}


def test_import_endpoint_rejects_an_unreadable_file_with_a_field_error(api, admin_user):
    api.force_authenticate(admin_user)
    bad = io.BytesIO("tên,khác\n".encode("utf-16"))
    bad.name = "users.csv"
    response = api.post("/api/v1/users/import/", {"file": bad}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_file"
    assert "file" in response.json()["fields"]


def test_unknown_api_paths_are_json_404(api, db):
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


class TestMfaForStaff:
    @pytest.fixture(autouse=True)
    def _require(self, settings):
        settings.MFA_REQUIRED_ROLES = ["trainer", "administrator"]

    def test_staff_without_totp_are_stopped_with_a_clear_code(self, api, admin_user):
        api.force_authenticate(admin_user)
        api.handler._force_user = None  # go through real session auth, not the forced user
        api.force_authenticate(None)
        api.force_login(admin_user)
        response = api.post("/api/v1/users/", {}, format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "mfa_required"
        # /me/ stays open so a client can tell the user what to do
        assert api.get("/api/v1/me/").status_code == 200

    def test_staff_with_totp_pass_and_trainees_are_not_asked(self, api, admin_user, trainee):
        Authenticator.objects.create(user=admin_user, type=Authenticator.Type.TOTP, data={"secret": "x"})
        api.force_login(admin_user)
        assert api.post("/api/v1/users/", {}, format="json").status_code == 400
        api.force_login(trainee)
        assert api.get("/api/v1/me/").status_code == 200

    def test_pages_redirect_staff_to_totp_setup(self, client, admin_user):
        client.force_login(admin_user)
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/totp/activate")


def test_me_query_count_is_pinned(api, trainee, django_assert_num_queries):
    api.force_authenticate(trainee)
    with django_assert_num_queries(2):  # the user with their unit, their roles
        assert api.get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize("name", ["\u200b\u200e", "\u202e\u2066 \u200d", "\ufeff\u00ad\u2060"])
def test_a_full_name_of_only_invisible_characters_is_refused(api, trainee, admin_user, tree, name):
    api.force_authenticate(trainee)
    response = api.patch("/api/v1/me/", {"full_name": name}, format="json")
    assert response.status_code == 400 and "full_name" in response.json()["fields"], response.content
    api.force_authenticate(admin_user)
    response = api.post("/api/v1/users/", {"email": "an@mofa.gov.vn", "full_name": name,
                                           "organisation": "mission"}, format="json")
    assert response.status_code == 400 and "full_name" in response.json()["fields"], response.content
    assert not User.objects.filter(email="an@mofa.gov.vn").exists()


def test_invisible_characters_are_removed_from_a_full_name(api, trainee):
    api.force_authenticate(trainee)
    response = api.patch("/api/v1/me/", {"full_name": "Trần\u200b Thị\u202e Mai"}, format="json")
    assert response.status_code == 200 and response.json()["full_name"] == "Trần Thị Mai"


def test_an_imported_row_with_an_invisible_name_is_rejected(api, admin_user, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = "email,full_name,organisation\nan@mofa.gov.vn,\u200b\u200f,mission\n".encode()
    api.force_authenticate(admin_user)
    response = api.post("/api/v1/users/import/",
                        {"file": SimpleUploadedFile("u.csv", data, content_type="text/csv")},
                        format="multipart")
    assert response.status_code == 200 and response.json()["rows"][0]["status"] == "error"
