"""backend.jobs.api reads for the dashboard, and accounts' never-signed-in count."""

import datetime as dt

from django.utils import timezone

from backend.accounts.api import users_never_signed_in
from backend.accounts.models import Role
from backend.jobs.api import job_create, job_finish, job_is_stuck, jobs_to_watch
from backend.jobs.models import Job
from tests.factories import user_with_role


def test_jobs_to_watch_are_the_starters_live_and_recently_failed_ones(tree, settings):
    admin = user_with_role(Role.ADMINISTRATOR, tree["ministry"])
    other = user_with_role(Role.ADMINISTRATOR, tree["ministry"])
    live = job_create(kind="users.import", started_by=admin, total=3)
    failed = job_create(kind="users.import", started_by=admin)
    job_finish(failed.id, failed=True)
    done = job_create(kind="users.import", started_by=admin)
    job_finish(done.id)
    job_create(kind="users.import", started_by=other)
    now = timezone.now()
    ids = {j.id for j in jobs_to_watch(started_by_id=admin.pk, since=now - dt.timedelta(days=1))}
    assert ids == {live.id, failed.id}
    assert not job_is_stuck(live, now)
    Job.objects.filter(pk=live.id).update(heartbeat_at=now - dt.timedelta(
        seconds=settings.JOBS_STALE_AFTER_SECONDS + 5))
    stale = next(j for j in jobs_to_watch(started_by_id=admin.pk, since=now) if j.id == live.id)
    assert job_is_stuck(stale, now)


def test_users_never_signed_in_counts_active_accounts_in_the_subtree(tree):
    signed = user_with_role(Role.TRAINEE, tree["mission"])
    signed.last_login = timezone.now()
    signed.save(update_fields=["last_login"])
    user_with_role(Role.TRAINEE, tree["mission"])
    gone = user_with_role(Role.TRAINEE, tree["mission"])
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    user_with_role(Role.TRAINEE, tree["province"])
    assert users_never_signed_in([tree["ministry"].path]) == 1
    assert users_never_signed_in(None) == 2
