"""The bell and the notification centre in Chromium: the count in the header on a wide screen and
on a phone, the list in Vietnamese, opening a notification goes to its course, mark all read; the
daily digest (a trainee who chose it gets one Vietnamese e-mail listing the items, and sees them
under the bell) and the administrators' weekly overdue list leading to the report."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from backend.notifications import job
from backend.notifications.models import Notification, Preference
from courses.models import Course
from tests.courses.factories import build_course, enrol
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import UserFactory, user_with_role


def test_bell_count_list_open_and_mark_all_read(page):
    seed_accounts()
    from django.contrib.auth import get_user_model

    trainee = get_user_model().objects.get(email="trainee@demo.local")
    course = build_course(trainee.organisation, modules=1, lessons=1, title="Làm việc với báo chí")
    Course.objects.filter(pk=course.pk).update(due_at=timezone.now() + timedelta(hours=20))
    enrol(course, trainee)
    job.run()  # the 1-day reminder
    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)
    page.goto("/")
    bell = page.locator("a.bell:visible")
    assert bell.count() == 1 and bell.get_attribute("data-unread") == "2"
    assert bell.locator(".bell-count").inner_text().startswith("2")
    bell.click()
    page.wait_for_url("**/notifications/")
    items = page.locator(".notification-list .notification")
    assert items.count() == 2
    assert page.locator(".breadcrumbs").is_visible()
    assert "Làm việc với báo chí" in items.first.inner_text()
    screenshot(page, "notifications-centre")
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.locator("a.bell:visible").count() == 1  # beside the brand while the menu is closed
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "notifications-centre", phone=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator(".notification-title a").first.click()
    page.wait_for_url(f"**/courses/{course.pk}/")
    assert page.locator("a.bell:visible").get_attribute("data-unread") == "1"
    page.goto("/notifications/")
    page.click("text=Đánh dấu tất cả là đã đọc") if page.locator(
        "text=Đánh dấu tất cả là đã đọc").count() else page.click(".notification-tools form button")
    page.wait_for_url("**/notifications/")
    assert page.locator("a.bell:visible").get_attribute("data-unread") == "0"
    assert page.locator(".notification.unread").count() == 0


def test_daily_digest_email_bell_and_the_weekly_overdue_list(page, mailoutbox):
    users = seed_accounts()
    trainee = users["trainee@demo.local"]
    for kind in ("enrolled", "course_due"):
        Preference.objects.create(user=trainee, kind=kind, delivery="digest")
    # The job runs at 08:00 tomorrow (after the 07:00 digest hour): the course is due 20 hours
    # later (the 1-day reminder) and another course passed its due date two days before.
    run_at = (timezone.localtime() + timedelta(days=1)).replace(hour=8, minute=0, second=0,
                                                                 microsecond=0)
    course = build_course(trainee.organisation, modules=1, lessons=1, title="Phát ngôn báo chí")
    Course.objects.filter(pk=course.pk).update(due_at=run_at + timedelta(hours=20))
    enrol(course, trainee)
    late = build_course(trainee.organisation, modules=1, lessons=1, title="Quản lý thông tin")
    Course.objects.filter(pk=late.pk).update(due_at=run_at - timedelta(days=2))
    enrol(late, UserFactory(organisation=trainee.organisation, full_name="Phạm Văn Trễ"))
    assert not [m for m in mailoutbox if trainee.email in m.to]  # digest: nothing at once
    report = job.run(now=run_at)
    assert report.digests == 1 and report.created["overdue_digest"] >= 1

    digests = [m for m in mailoutbox if m.to == [trainee.email]]
    assert len(digests) == 1, [m.subject for m in mailoutbox]
    mail = digests[0]
    assert "2 thông báo" in mail.subject
    assert "Kính gửi Nguyễn Thị Học" in mail.body
    assert f"Thông báo của anh/chị ngày {run_at:%d/%m/%Y}:" in mail.body
    assert "- Anh/chị đã được ghi danh vào khóa học “Phát ngôn báo chí”" in mail.body
    assert mail.body.count("Phát ngôn báo chí") == 2  # the enrolment and the 1-day reminder
    assert f"/courses/{course.pk}/" in mail.body and "/notifications/" in mail.body
    assert not Notification.objects.filter(recipient=trainee, digested_at__isnull=True).exists()

    sign_in(page, "trainee@demo.local", DEMO_PASSWORD)
    page.goto("/")
    assert page.locator("a.bell:visible").get_attribute("data-unread") == "2"
    page.locator("a.bell:visible").click()
    page.wait_for_url("**/notifications/")
    items = page.locator(".notification-list .notification")
    assert items.count() == 2
    assert all("Phát ngôn báo chí" in items.nth(i).inner_text() for i in range(2))

    page.context.clear_cookies()
    sign_in(page, "admin@demo.local", DEMO_PASSWORD)
    page.goto("/")
    assert int(page.locator("a.bell:visible").get_attribute("data-unread")) >= 1
    page.goto("/notifications/")
    weekly = page.locator(".notification", has_text="quá hạn khóa học")
    assert weekly.count() == 1
    assert "1 học viên trong đơn vị của anh/chị đã quá hạn khóa học" in weekly.inner_text()
    screenshot(page, "notifications-overdue-digest")
    weekly.locator(".notification-title a").click()
    page.wait_for_url("**/manage/report/**")
    assert page.locator("h1").is_visible()


def test_notification_defaults_page_from_the_administration_menu(page):
    from backend.accounts.api import Role
    from backend.audit.models import AuditEntry
    from backend.notifications.models import DefaultPreference

    seed_accounts()
    platform = user_with_role(Role.ADMINISTRATOR, None, email="nen-tang@demo.local")
    sign_in(page, platform.email, "Passw0rd!x")
    page.goto("/manage/")
    page.locator(".admin-nav a[href='/manage/notifications/']").click()
    page.wait_for_url("**/manage/notifications/")
    assert page.locator(".breadcrumbs").is_visible()
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "notification-defaults", phone=True)
    page.check("input[name=course_due][value=digest]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/manage/notifications/")
    assert page.locator("input[name=course_due][value=digest]").is_checked()
    assert DefaultPreference.objects.get(kind="course_due").delivery == "digest"
    assert AuditEntry.objects.filter(verb="notifications.default_changed", actor=platform).count() == 1

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "admin@demo.local", DEMO_PASSWORD)  # administrator of a unit tree: read-only
    page.goto("/manage/notifications/")
    assert page.locator("#defaults-read-only").is_visible()
    # Who can change them (its Vietnamese is in locale/pending/finish.json until merged).
    assert page.locator("#defaults-read-only p").inner_text().strip()
    assert page.locator("main input[type=radio]").count() == 0
