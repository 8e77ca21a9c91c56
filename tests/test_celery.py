"""The invitation task runs eagerly by default and through a real Redis broker and worker."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from backend.accounts.models import User
from backend.accounts.tasks import send_invitations
from backend.celery import app
from tests.factories import UserFactory

REDIS_URL = os.environ.get("REDIS_TEST_URL") or os.environ.get("CELERY_BROKER_URL")


def test_invitation_is_sent_once_even_if_the_task_runs_twice(db):
    user = UserFactory(password=None)
    assert send_invitations.delay([user.pk]).get() == 1
    assert send_invitations.delay([user.pk]).get() == 0
    assert len(mail.outbox) == 1
    assert User.objects.get(pk=user.pk).invited_at is not None


@pytest.fixture
def redis_worker(transactional_db):
    if not REDIS_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must provide REDIS_TEST_URL or CELERY_BROKER_URL")
        pytest.skip("no Redis broker configured (set REDIS_TEST_URL to run this test)")
    keys = ("broker_url", "task_always_eager")
    old = {k: app.conf[k] for k in keys}
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    _drop_connections()
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            yield
    finally:
        app.conf.update(old)
        _drop_connections()


def _drop_connections() -> None:
    """The app caches its producer pool; a new broker URL needs a new pool."""
    app._pool = None
    app.amqp._producer_pool = None


def test_invitation_through_redis_and_a_worker(redis_worker):
    user = UserFactory(password=None)
    send_invitations.delay([user.pk])
    for _ in range(300):  # the worker thread picks the message from Redis; wait up to 30 s
        if User.objects.get(pk=user.pk).invited_at is not None:
            break
        time.sleep(0.1)
    assert User.objects.get(pk=user.pk).invited_at is not None
    assert mail.outbox[-1].to == [user.email]
