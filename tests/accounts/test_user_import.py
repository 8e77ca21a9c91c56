import pytest
from django.utils import translation

from backend.accounts.importing import users_import
from backend.accounts.models import Cohort, Role, RoleAssignment, User
from backend.accounts.user_csv import CsvFileError
from backend.audit.models import AuditEntry

HEADER = "email,full_name,organisation,role,cohort\n"


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    data = (header + "\n".join(rows) + "\n").encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


def test_valid_rows_create_users_roles_and_cohorts(admin_user, tree, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    data = csv_bytes(
        "an.nguyen@mofa.gov.vn,Nguyễn Văn An,mission,trainee,Lớp TTĐN K1",
        "binh.tran@mofa.gov.vn,Trần Thị Bình,dept,trainer,",
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = users_import(actor=admin_user, data=data)

    assert (result.created, result.updated, result.errors) == (2, 0, 0)
    an = User.objects.get(email="an.nguyen@mofa.gov.vn")
    assert an.full_name == "Nguyễn Văn An" and an.search_name == "nguyen van an"
    assert an.organisation == tree["mission"] and not an.has_usable_password()
    assert RoleAssignment.objects.filter(user=an, role=Role.TRAINEE,
                                         organisation=tree["mission"]).exists()
    assert Cohort.objects.get(name="Lớp TTĐN K1").members.filter(pk=an.pk).exists()
    assert sorted(m.to[0] for m in mailoutbox) == ["an.nguyen@mofa.gov.vn", "binh.tran@mofa.gov.vn"]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert AuditEntry.objects.filter(verb="users.imported").count() == 1


def test_bad_rows_are_reported_by_row_number_and_good_rows_still_import(admin_user, tree):
    data = csv_bytes(
        "ok@mofa.gov.vn,Lê Văn Ổn,mission,trainee,",            # row 2
        ",Không Có Thư,mission,trainee,",                        # row 3: missing e-mail
        "not-an-email,Sai Địa Chỉ,mission,trainee,",             # row 4
        "ok@mofa.gov.vn,Trùng Lặp,mission,trainee,",             # row 5: duplicate of row 2
        "x@mofa.gov.vn,Đơn Vị Lạ,nowhere,trainee,",              # row 6: unknown unit
        "y@mofa.gov.vn,Vai Trò Lạ,mission,emperor,",             # row 7: unknown role
        "z@mofa.gov.vn,Ngoài Phạm Vi,province,trainee,",         # row 8: outside admin's subtree
    )
    with translation.override("en"):
        result = users_import(actor=admin_user, data=data)

    assert (result.created, result.errors) == (1, 6)
    errors = {r["row"]: r["message"] for r in result.rows if r["status"] == "error"}
    assert set(errors) == {3, 4, 5, 6, 7, 8}
    assert "row 2" in errors[5]
    assert "nowhere" in errors[6]
    assert "emperor" in errors[7]
    assert User.objects.filter(email__in=["x@mofa.gov.vn", "y@mofa.gov.vn", "z@mofa.gov.vn"]).count() == 0


def test_all_or_nothing_writes_nothing_when_any_row_is_bad(admin_user, tree, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    data = csv_bytes("ok@mofa.gov.vn,Lê Văn Ổn,mission,trainee,", "bad,Sai,mission,trainee,")
    with django_capture_on_commit_callbacks(execute=True):
        result = users_import(actor=admin_user, data=data, all_or_nothing=True)
    assert result.errors == 1 and not result.written
    assert not User.objects.filter(email="ok@mofa.gov.vn").exists()
    assert mailoutbox == []


def test_semicolons_bom_and_vietnamese_headers_are_understood(admin_user, tree):
    header = "Địa chỉ e-mail;Họ và tên;Mã đơn vị;Vai trò;Lớp\n"
    data = csv_bytes("c@mofa.gov.vn;Phạm Thị Chi;mission;học viên;", header=header, bom=True)
    result = users_import(actor=admin_user, data=data)
    assert result.created == 1, result.rows
    assert User.objects.get(email="c@mofa.gov.vn").full_name == "Phạm Thị Chi"


def test_a_row_in_another_encoding_is_an_error_for_that_row(admin_user, tree):
    data = csv_bytes("ok@mofa.gov.vn,Lê Văn Ổn,mission,trainee,") + \
        "cp@mofa.gov.vn,Nguyễn Văn Cũ,mission,trainee,\n".encode("cp1258", errors="replace")
    result = users_import(actor=admin_user, data=data)
    assert result.created == 1
    assert result.rows[1]["row"] == 3 and result.rows[1]["status"] == "error"
    assert "UTF-8" in result.rows[1]["message"]


def test_existing_users_are_updated_not_duplicated(admin_user, tree):
    users_import(actor=admin_user, data=csv_bytes("u@mofa.gov.vn,Nguyen Van U,mission,trainee,"))
    result = users_import(actor=admin_user,
                          data=csv_bytes("U@mofa.gov.vn,Nguyễn Văn Ú,dept,trainer,"))
    assert (result.created, result.updated) == (0, 1)
    user = User.objects.get(email="u@mofa.gov.vn")
    assert user.full_name == "Nguyễn Văn Ú" and user.organisation == tree["dept"]
    assert set(user.role_assignments.values_list("role", flat=True)) == {"trainee", "trainer"}


def test_missing_columns_reject_the_file(admin_user):
    with pytest.raises(CsvFileError, match="organisation"):
        users_import(actor=admin_user, data=b"email,full_name\na@b.vn,A\n")


def test_a_thousand_rows_with_a_few_bad_ones(admin_user, tree, django_assert_max_num_queries):
    rows = [f"user{i}@mofa.gov.vn,Nguyễn Thị Hồng {i},mission,trainee,Khóa {i % 3}" for i in range(1000)]
    rows[10] = "broken-email,Lỗi,mission,trainee,"
    rows[500] = "user499@mofa.gov.vn,Trùng,mission,trainee,"
    with django_assert_max_num_queries(60):  # bulk statements, not a query per row
        result = users_import(actor=admin_user, data=csv_bytes(*rows))
    assert (result.created, result.errors) == (998, 2)
    assert [r["row"] for r in result.rows if r["status"] == "error"] == [12, 502]
    assert User.objects.filter(email__endswith="@mofa.gov.vn").count() == 998


def test_a_file_with_nul_characters_is_refused_as_a_whole(admin_user):
    """UTF-16 (or a binary file) is full of NUL, which PostgreSQL cannot store or even compare."""
    data = b"email,full_name,organisation\nan@mofa.gov.vn,An,mis\x00sion\n"
    with pytest.raises(CsvFileError, match="NUL"):
        users_import(actor=admin_user, data=data)
    with pytest.raises(CsvFileError, match="NUL"):
        users_import(actor=admin_user, data="email,full_name,organisation\n".encode("utf-16"))


# --- cohorts are classes, not per-unit copies (decision 0051) --------------------------------------

THREE_UNITS = ("a@mofa.gov.vn,Nguyễn Văn A,dept,trainee,Lớp TTĐN K1",
               "b@mofa.gov.vn,Trần Thị B,mission,trainee,Lớp TTĐN K1",
               "c@mofa.gov.vn,Lê Văn C,ministry,trainee,Lớp TTĐN K1")


def test_one_cohort_name_for_people_of_three_units_is_one_cohort_of_the_importers_unit(admin_user, tree):
    result = users_import(actor=admin_user, data=csv_bytes(*THREE_UNITS))
    assert result.errors == 0
    cohort = Cohort.objects.get(name="Lớp TTĐN K1")  # exactly one
    assert cohort.organisation == tree["ministry"]   # the administrator's unit
    assert cohort.members.count() == 3
    assert result.cohorts == [{"id": cohort.pk, "name": "Lớp TTĐN K1", "code": cohort.code,
                               "organisation": {"id": tree["ministry"].pk, "code": "ministry",
                                                "name": "Bộ Ngoại giao", "kind": "ministry"},
                               "size": 3, "new": True}]
    assert AuditEntry.objects.filter(verb="cohort.created", target_id=str(cohort.pk)).exists()


def test_slices_of_one_import_job_share_the_cohort(global_admin, tree, settings,
                                                  django_capture_on_commit_callbacks):
    from backend.accounts.import_jobs import users_import_start
    from backend.jobs.api import job_get

    settings.USER_IMPORT_CHUNK_ROWS = 2
    rows = [f"p{n}@mofa.gov.vn,Người {n},{'dept' if n % 2 else 'mission'},trainee,Lớp K2" for n in range(7)]
    with django_capture_on_commit_callbacks(execute=True):
        job = users_import_start(actor=global_admin, data=csv_bytes(*rows))
    cohort = Cohort.objects.get(name="Lớp K2")
    assert cohort.organisation == tree["ministry"]   # global: the unit above all its people
    assert cohort.members.count() == 7
    assert [(c["id"], c["size"], c["new"]) for c in job_get(job.id).result["cohorts"]] == [
        (cohort.pk, 7, True)]


def test_an_existing_cohort_above_the_rows_is_reused_and_its_size_reported(admin_user, tree):
    from tests.factories import CohortFactory

    existing = CohortFactory(name="Lớp TTĐN K1", organisation=tree["ministry"], code="ttdn-k1")
    first = users_import(actor=admin_user, data=csv_bytes(THREE_UNITS[1]))
    assert first.cohorts[0]["id"] == existing.pk and first.cohorts[0]["new"] is False
    again = users_import(actor=admin_user, data=csv_bytes(*THREE_UNITS))
    assert Cohort.objects.filter(name="Lớp TTĐN K1").count() == 1
    assert again.cohorts[0]["size"] == 3


def test_a_cohort_spanning_two_separate_subtrees_of_the_importer_is_refused(tree):
    from tests.factories import user_with_role

    admin = user_with_role(Role.ADMINISTRATOR, tree["dept"])
    RoleAssignment.objects.create(user=admin, role=Role.ADMINISTRATOR, organisation=tree["mission"])
    with translation.override("en"):
        result = users_import(actor=admin, data=csv_bytes(*THREE_UNITS[:2]))
    assert result.errors == 2 and result.created == 0
    assert "belongs to one unit" in result.rows[0]["message"]
    assert not Cohort.objects.exists()
