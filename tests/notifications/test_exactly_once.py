"""Exactly once on PostgreSQL: two job runs at the same instant, in two threads with their own
connections, leave one notification and one outbox row per (person, thing, kind, offset)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from backend.notifications import job
from backend.notifications.models import Notification, OutboxEmail
from courses.models import Course
from tests.courses.factories import build_course, enrol
from tests.factories import UserFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_make_one_notification_and_one_email_per_key(tree):
    now = timezone.now()
    course = build_course(tree["ministry"], modules=1, lessons=1)
    Course.objects.filter(pk=course.pk).update(due_at=now + timedelta(hours=20))
    people = [UserFactory(organisation=tree["mission"]) for _ in range(30)]
    enrol(course, *people)
    barrier = threading.Barrier(2)
    errors = []

    def one_run():
        try:
            barrier.wait()
            job.run(now=now)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Notification.objects.filter(kind="course_due").count() == 30
    assert OutboxEmail.objects.filter(kind="course_due").count() == 30
    assert Notification.objects.filter(kind="course_due", offset="1d").values(
        "recipient_id").distinct().count() == 30
    job.run(now=now + timedelta(minutes=15))
    assert Notification.objects.filter(kind="course_due").count() == 30
