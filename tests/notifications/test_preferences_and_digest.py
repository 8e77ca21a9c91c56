"""Preferences (own, defaults), the daily digest e-mail, and the REST endpoints."""

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.notifications import job
from backend.notifications.models import DefaultPreference, Notification, OutboxEmail, Preference
from backend.notifications.services import build_digests
from courses.models import Course, Enrolment
from tests.courses.factories import build_course, enrol

NOW = timezone.make_aware(timezone.datetime(2026, 12, 1, 6, 0))  # before the 07:00 digest


@pytest.fixture
def two_courses(tree, trainee):
    courses = [build_course(tree["ministry"], modules=1, lessons=1, title=t)
               for t in ("Báo chí nước ngoài", "Quảng bá hình ảnh quốc gia")]
    for course in courses:
        Course.objects.filter(pk=course.pk).update(due_at=NOW + timedelta(hours=20))
        enrol(course, trainee)
    return courses


def test_digest_groups_pending_items_into_one_email_a_day(two_courses, trainee, mailoutbox):
    Preference.objects.create(user=trainee, kind="course_due", delivery="digest")
    mailoutbox.clear()
    job.run(now=NOW)  # reminders created; digest not yet due (before 07:00)
    assert Notification.objects.filter(recipient=trainee, kind="course_due",
                                       delivery="digest").count() == 2
    assert not OutboxEmail.objects.filter(kind="digest").exists()
    job.run(now=NOW + timedelta(hours=2))  # 08:00: the digest
    job.run(now=NOW + timedelta(hours=3))  # again the same day: no second digest
    (digest,) = OutboxEmail.objects.filter(recipient=trainee, kind="digest")
    assert digest.dedup_key == "digest:2026-12-01"
    (mail,) = [m for m in mailoutbox if m.subject == digest.subject]
    assert "Báo chí nước ngoài" in mail.body and "Quảng bá hình ảnh quốc gia" in mail.body
    assert "01/12/2026" in mail.body and "/notifications/" in mail.body


def test_digest_leaves_out_what_is_no_longer_true(two_courses, trainee, mailoutbox):
    Preference.objects.create(user=trainee, kind="course_due", delivery="digest")
    job.run(now=NOW)
    Enrolment.objects.filter(user=trainee, course=two_courses[0]).update(
        completed_at=NOW, status="completed")
    assert build_digests(now=NOW + timedelta(hours=2)) == 1
    body = OutboxEmail.objects.get(kind="digest").body
    assert "Quảng bá hình ảnh quốc gia" in body and "Báo chí nước ngoài" not in body


def test_digest_is_written_in_the_recipients_language(two_courses, trainee):
    trainee.language = "en"
    trainee.save()
    Preference.objects.create(user=trainee, kind="course_due", delivery="digest")
    job.run(now=NOW + timedelta(hours=2))
    digest = OutboxEmail.objects.get(kind="digest")
    assert "notification" in digest.subject and "Your notifications for 01/12/2026" in digest.body


def test_administrator_default_applies_until_the_person_chooses(two_courses, trainee, api):
    DefaultPreference.objects.create(kind="course_due", delivery="site")
    api.force_authenticate(trainee)
    got = {p["kind"]: p["delivery"] for p in api.get(
        "/api/v1/me/notification-preferences/").json()["preferences"]}
    assert got["course_due"] == "site" and got["enrolled"] == "email"
    answer = api.patch("/api/v1/me/notification-preferences/",
                       {"preferences": {"course_due": "digest"}}, format="json")
    assert answer.status_code == 200
    assert Preference.objects.get(user=trainee, kind="course_due").delivery == "digest"
    bad = api.patch("/api/v1/me/notification-preferences/",
                    {"preferences": {"no_such_kind": "email"}}, format="json")
    assert bad.status_code == 400 and "no_such_kind" in str(bad.json())


def test_only_a_platform_administrator_changes_defaults(api, admin_user, global_admin):
    api.force_authenticate(admin_user)
    body = {"defaults": {"course_due": "digest"}}
    assert api.patch("/api/v1/notification-defaults/", body, format="json").status_code == 403
    api.force_authenticate(global_admin)
    answer = api.patch("/api/v1/notification-defaults/", body, format="json")
    assert answer.status_code == 200 and answer.json()["defaults"]["course_due"] == "digest"
    from backend.audit.models import AuditEntry

    assert AuditEntry.objects.filter(verb="notifications.default_changed").exists()


def test_list_own_unread_filter_mark_read_and_read_all(two_courses, trainee, tree, api):
    from tests.factories import UserFactory

    other = UserFactory(organisation=tree["mission"])
    enrol(two_courses[0], other)
    job.run(now=NOW)
    api.force_authenticate(trainee)
    page = api.get("/api/v1/notifications/").json()
    assert page["count"] == 4 and page["unread_count"] == 4  # two enrolments, two reminders
    assert {r["kind"] for r in page["results"]} == {"enrolled", "course_due"}
    assert all(set(r) >= {"id", "kind", "created_at", "read_at", "title", "url"}
               for r in page["results"])
    first = page["results"][0]["id"]
    assert api.post(f"/api/v1/notifications/{first}/read/").json()["read_at"]
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 3
    theirs = Notification.objects.filter(recipient=other).first().pk
    assert api.post(f"/api/v1/notifications/{theirs}/read/").status_code == 404
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 3, "unread_count": 0}
    assert api.get("/api/v1/notifications/?unread=maybe").status_code == 400
