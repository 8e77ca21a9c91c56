"""The bell and the notification centre in Chromium: the count in the header on a wide screen and
on a phone, the list in Vietnamese, opening a notification goes to its course, mark all read."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from backend.accounts.demo import DEMO_PASSWORD, seed_accounts
from backend.notifications import job
from courses.models import Course
from tests.courses.factories import build_course, enrol
from tests.e2e.conftest import screenshot, sign_in


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
