"""The bell on every page (one count query), the centre (list, open, mark read, empty state) and
the settings page from the profile (the account menu)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.notifications.models import Notification, Preference
from tests.courses.factories import build_course, enrol


@pytest.fixture
def signed_in(client, trainee):
    client.force_login(trainee)
    return client


def test_bell_shows_the_unread_count_with_one_query(signed_in, trainee, tree):
    course = build_course(tree["ministry"], modules=1, lessons=1)
    enrol(course, trainee)
    with CaptureQueriesContext(connection) as queries:
        page = signed_in.get("/profile/").content.decode()
    assert 'data-unread="1"' in page and "bell-count" in page
    assert sum("notifications_notification" in q["sql"] for q in queries.captured_queries) == 1


def test_centre_lists_opens_and_marks_read(signed_in, trainee, tree):
    course = build_course(tree["ministry"], modules=1, lessons=1)
    enrol(course, trainee)
    row = Notification.objects.get(recipient=trainee)
    page = signed_in.get("/notifications/").content.decode()
    assert row.title in page and f"/notifications/{row.pk}/open/" in page
    answer = signed_in.get(f"/notifications/{row.pk}/open/")
    assert answer.status_code == 302 and answer["Location"] == f"/courses/{course.pk}/"
    row.refresh_from_db()
    assert row.read_at is not None
    Notification.objects.filter(pk=row.pk).update(read_at=None)
    signed_in.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=trainee, read_at__isnull=True).exists()
    assert "You have read all" in signed_in.get("/notifications/?unread=1").content.decode() or \
        "empty" in signed_in.get("/notifications/?unread=1").content.decode()


def test_someone_elses_notification_is_not_found(signed_in, tree):
    from tests.factories import UserFactory

    other = UserFactory(organisation=tree["mission"])
    enrol(build_course(tree["ministry"], modules=1, lessons=1), other)
    row = Notification.objects.get(recipient=other)
    assert signed_in.get(f"/notifications/{row.pk}/open/").status_code == 404


def test_empty_centre_and_settings_page_from_the_profile(signed_in, trainee):
    assert 'class="empty"' in signed_in.get("/notifications/").content.decode()
    assert "/notifications/settings/" in signed_in.get("/profile/").content.decode()
    signed_in.post("/notifications/settings/", {"course_due": "digest", "enrolled": "site"})
    assert dict(Preference.objects.filter(user=trainee).values_list("kind", "delivery")) == {
        "course_due": "digest", "enrolled": "site"}


def test_platform_administrator_sets_defaults_on_the_page_audited(client, global_admin):
    from backend.audit.models import AuditEntry
    from backend.notifications.models import DefaultPreference

    client.force_login(global_admin)
    assert "/manage/notifications/" in client.get("/manage/").content.decode()
    page = client.get("/manage/notifications/").content.decode()
    assert 'name="course_due"' in page and 'class="breadcrumbs"' in page
    answer = client.post("/manage/notifications/", {"course_due": "digest", "enrolled": "email"})
    assert answer.status_code == 302 and answer["Location"] == "/manage/notifications/"
    assert dict(DefaultPreference.objects.values_list("kind", "delivery")) == {
        "course_due": "digest"}  # the unchanged kind is neither written nor audited
    entries = AuditEntry.objects.filter(verb="notifications.default_changed")
    assert [e.details for e in entries] == [{"kind": "course_due", "delivery": "digest"}]
    assert 'value="digest" checked' in client.get("/manage/notifications/").content.decode()


def test_unit_administrator_sees_the_defaults_read_only(client, admin_user, trainee):
    from backend.notifications.models import DefaultPreference

    DefaultPreference.objects.create(kind="course_due", delivery="site")
    client.force_login(admin_user)
    page = client.get("/manage/notifications/").content.decode()
    assert 'id="defaults-read-only"' in page and "<form" not in page.split("<main")[1]
    assert "In the site only" in page or "Chỉ trên trang" in page
    client.post("/manage/notifications/", {"course_due": "email"})
    assert DefaultPreference.objects.get(kind="course_due").delivery == "site"
    client.force_login(trainee)
    assert client.get("/manage/notifications/").status_code == 403
