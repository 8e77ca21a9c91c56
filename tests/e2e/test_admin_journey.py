"""An administrator in Chromium: imports users from a CSV (progress bar to 100 %, a per-row
table with an error row), puts them in a cohort and enrols the cohort in the demo course.
Then the cohort completes the course (through the services, quickly), the administrator issues
their certificates in bulk from the course's certificates page watching the live progress bar
reach 100 %, revokes one with a reason, and its public verification page says it was revoked."""

from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from backend.accounts.models import Cohort, User
from certificates.models import Certificate, CertificateTemplate
from courses import api as courses_api
from courses.demo import seed_course
from courses.models import Enrolment
from tests.e2e.conftest import screenshot, sign_in

CSV = (
    "email,full_name,organisation,role,cohort\n"
    "le.thu@mofa.gov.vn,Lê Thị Thu,dsq-phap,trainee,\n"
    "sai-dia-chi,Sai Địa Chỉ,dsq-phap,trainee,\n"
    "pham.duc@mofa.gov.vn,Phạm Văn Đức,dsq-nhat-ban,trainee,\n"
)


def vietnamese(msgid: str) -> str:
    with translation.override("vi"):
        return translation.gettext(msgid)


def complete_course(course_id: int, user_ids) -> None:
    """Every required lesson of the published course recorded as done (not through the pages)."""
    for _module_id, _title, lessons in courses_api.module_lessons(course_id=course_id):
        for lesson in lessons:
            if lesson.required:
                for user_id in user_ids:
                    courses_api.lesson_record_result(user_id=user_id, lesson_id=lesson.id,
                                                     score=1.0, completed=True, passed=True)


def test_administrator_imports_users_and_enrols_a_cohort(page, transactional_db, tmp_path, settings):
    settings.CERTIFICATES_BULK_CHUNK = 1  # one chunk per person: the bar moves in steps
    users = seed_accounts()
    course = seed_course(users)
    sign_in(page, "admin@demo.local", DEMO_PASSWORD)

    page.click("nav a[href='/manage/']")
    page.click(".admin-nav a[href='/manage/import/']")
    upload = tmp_path / "nguoi-dung.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.set_input_files("input[name=file]", str(upload))
    page.click("main form button[type=submit]")

    page.wait_for_function("() => document.getElementById('import-progress').value === 100")
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

    # The cohort completes the course before the unit has a certificate template, so nobody
    # holds a certificate yet (the automatic issue finds no template and leaves it).
    member_ids = list(cohort.members.values_list("pk", flat=True))
    complete_course(course.pk, member_ids)
    assert Enrolment.objects.filter(course=course, user__cohorts=cohort,
                                    completed_at__isnull=False).count() == 2
    assert not Certificate.objects.filter(course_id=course.pk).exists()

    # The administrator now gives the top unit its certificate template, on its page.
    page.goto("/manage/")
    page.click(".admin-nav a[href='/manage/certificate-templates/']")
    page.click("main a[href='/manage/certificate-templates/new/']")
    page.select_option("select[name=organisation]", value=str(course.organisation_id))
    for name, value in {"issuer_name": "Ban Tuyên giáo Trung ương",
                        "parent_issuer_name": "Ban Chấp hành Trung ương Đảng",
                        "signer_title": "TM. Ban Tổ chức lớp bồi dưỡng",
                        "signer_name": "Nguyễn Văn Mẫu", "validity_months": "24"}.items():
        page.fill(f"#template-form [name={name}]", value)
    page.click("#template-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#certificate-templates tbody tr")).to_have_count(1)
    screenshot(page, "admin-certificate-templates")
    assert CertificateTemplate.objects.get(organisation_id=course.organisation_id).validity_months == 24

    # Bulk issue from the course's certificates page, watching the live progress bar.
    page.goto(f"/courses/{course.pk}/certificates/")
    option = page.locator(f"#bulk-cohort option[value='{cohort.pk}']")
    assert "Lớp TTĐN khóa 2" in option.inner_text() and "Bộ Ngoại giao" in option.inner_text()
    page.select_option("#bulk-cohort", value=str(cohort.pk))  # only this cohort (unit shown)
    page.click("#bulk-issue")
    expect(page.locator("#bulk-progress")).to_be_visible()
    page.wait_for_function("() => document.getElementById('bulk-bar').value === 100")
    assert page.locator("#bulk-bar").get_attribute("data-status") == "done"
    assert "2" in page.locator("#bulk-text").inner_text()
    screenshot(page, "admin-bulk-issue-done")
    page.wait_for_selector("table.certificate-table tbody tr:nth-child(2)")  # the page reloads
    assert set(Certificate.objects.filter(course_id=course.pk).values_list("user_id", flat=True)) \
        == set(member_ids)

    # Revoke Phạm Văn Đức's certificate with a reason.
    certificate = Certificate.objects.get(course_id=course.pk, user__email="pham.duc@mofa.gov.vn")
    page.fill(f"#reason-{certificate.pk}", "Cấp nhầm người học")
    page.locator(f"#reason-{certificate.pk}").locator("xpath=ancestor::form").locator(
        "button[type=submit]").click()
    page.locator("dialog[open] button[value=ok]").click()  # revoking asks first
    page.wait_for_load_state("networkidle")
    assert page.locator(".messages li").first.inner_text() == vietnamese("The certificate was revoked.")
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    row = page.locator("table.certificate-table tbody tr", has_text="Phạm Văn Đức")
    assert "Cấp nhầm người học" in row.inner_text()
    screenshot(page, "admin-certificate-revoked")

    # The public verification page (no sign-in needed) says it was revoked, when and why.
    page.context.clear_cookies()
    page.goto(f"/verify/{certificate.code}/")
    assert page.locator("[data-status=revoked]").inner_text() == vietnamese("Revoked")
    assert "Cấp nhầm người học" in page.content()
    with translation.override("vi"):
        day = formats.date_format(timezone.localtime(certificate.revoked_at), "SHORT_DATE_FORMAT")
    assert day in page.locator("main").inner_text()
    assert "Phạm Văn Đức" in page.content()
    screenshot(page, "admin-verify-revoked")
