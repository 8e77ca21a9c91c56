"""An administrator in Chromium: imports users from a CSV (progress bar to 100 %, a per-row
table with an error row), puts them in a cohort and enrols the cohort in the demo course.
(The certificates part of this journey is added by the certificates pages.)"""

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from backend.accounts.models import Cohort, User
from courses.demo import seed_course
from courses.models import Enrolment
from tests.e2e.conftest import screenshot, sign_in

CSV = (
    "email,full_name,organisation,role,cohort\n"
    "le.thu@mofa.gov.vn,Lê Thị Thu,dsq-phap,trainee,\n"
    "sai-dia-chi,Sai Địa Chỉ,dsq-phap,trainee,\n"
    "pham.duc@mofa.gov.vn,Phạm Văn Đức,dsq-nhat-ban,trainee,\n"
)


def test_administrator_imports_users_and_enrols_a_cohort(page, transactional_db, tmp_path):
    users = seed_accounts()
    course = seed_course(users)
    sign_in(page, "admin@demo.local", DEMO_PASSWORD)

    page.click("nav a[href='/manage/']")
    page.click(".admin-nav a[href='/manage/import/']")
    upload = tmp_path / "nguoi-dung.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.set_input_files("input[name=file]", str(upload))
    page.click("main form button[type=submit]")

    page.wait_for_function("document.getElementById('import-progress').value === 100")
    table = page.locator("#import-rows")
    table.wait_for()
    assert table.locator("tbody tr").count() == 3
    error_row = table.locator("tr.status-error")
    assert error_row.count() == 1 and error_row.locator("td").first.inner_text() == "3"
    assert "sai-dia-chi" in error_row.inner_text()
    assert User.objects.get(email="pham.duc@mofa.gov.vn").full_name == "Phạm Văn Đức"
    screenshot(page, "admin-import")
    screenshot(page, "admin-import", phone=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 800})

    # A cohort for the imported people, filled by e-mail.
    page.goto("/manage/cohorts/new/")
    page.fill("input[name=name]", "Lớp TTĐN khóa 2")
    page.fill("input[name=code]", "ttdn-k2")
    page.select_option("select[name=organisation]", label="\u2003Bộ Ngoại giao")
    page.click("main form button[type=submit]")
    page.fill("textarea[name=e-emails]", "le.thu@mofa.gov.vn\npham.duc@mofa.gov.vn")
    page.locator("textarea[name=e-emails]").locator("xpath=ancestor::form").locator(
        "button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    cohort = Cohort.objects.get(code="ttdn-k2")
    assert cohort.members.count() == 2
    assert page.locator("main table tbody tr").count() == 2

    # Enrol the cohort into the demo course.
    page.click("text=" + page.locator("a[href*='/manage/enrolments/?cohort=']").inner_text())
    page.select_option("select[name=course]", value=str(course.pk))
    page.click("form.filters button[type=submit]")
    page.select_option("select[name=cohort]", value=str(cohort.pk))
    page.locator("form.narrow-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert Enrolment.objects.filter(course=course, user__cohorts=cohort).count() == 2
    assert page.locator(".messages li").first.is_visible()
    assert page.locator("main table tbody tr").count() >= 2
    screenshot(page, "admin-enrolments")
