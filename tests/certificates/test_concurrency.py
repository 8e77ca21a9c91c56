"""Races on a real database: two issuers of one enrolment, many issuers of one serial book.

Threads each get their own connection, so these need row locks: PostgreSQL. SQLite serialises
whole write transactions instead, which proves nothing about select_for_update; skipped there.
"""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from certificates import tasks
from certificates.models import Certificate, CredentialStatusList, SerialCounter
from certificates.services import certificate_issue
from tests.certificates.factories import certificate_course, complete, make_template
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races need PostgreSQL (set DATABASE_URL); SQLite has no "
                    "SELECT ... FOR UPDATE and serialises whole transactions")


def _race(workers) -> list:
    """Start every worker at the same instant; collect results or exceptions."""
    barrier = threading.Barrier(len(workers))
    results: list = [None] * len(workers)

    def run(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # the test inspects it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.fixture
def quiet_completion():
    """Complete enrolments without the automatic issue (each test then races the issue itself);
    outside a test transaction on_commit would otherwise run it at once."""
    from certificates.receivers import connect
    from courses.api import enrolment_completed

    enrolment_completed.disconnect(dispatch_uid="certificates.issue")
    yield
    connect()


@pytest.fixture
def course():
    unit = OrganisationFactory()
    make_template(unit)
    return certificate_course(unit)


def test_two_issuers_of_one_enrolment_make_one_certificate(course, quiet_completion):
    user = UserFactory(organisation=course.organisation)
    complete(course, user)
    results = _race([lambda: certificate_issue(user_id=user.pk, course_id=course.pk)
                     for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(created for _c, created in results) == [False, False, False, True]
    assert len({c.pk for c, _created in results}) == 1
    assert Certificate.objects.count() == 1 and SerialCounter.objects.get().last == 1


def test_duplicate_task_deliveries_at_once_make_one_certificate(course, settings, quiet_completion):
    user = UserFactory(organisation=course.organisation)
    complete(course, user)
    results = _race([lambda: tasks.issue_certificate.apply(args=[user.pk, course.pk]).result
                     for _ in range(3)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1
    certificate = Certificate.objects.get()
    assert certificate.pdf_ready
    assert len(list((settings.MEDIA_ROOT / "certificates").rglob("*.pdf"))) == 1


def test_serials_stay_gap_free_and_unique_under_concurrent_issue(course, quiet_completion):
    users = [UserFactory(organisation=course.organisation) for _ in range(8)]
    for user in users:
        complete(course, user)
    results = _race([lambda u=u: certificate_issue(user_id=u.pk, course_id=course.pk)
                     for u in users])
    assert not [r for r in results if isinstance(r, Exception)], results
    year = timezone.localdate().year
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert serials == [f"{n:04d}/{year}/GCN" for n in range(1, 9)]
    assert SerialCounter.objects.get().last == 8
    # Status list positions (decision 0066): the unit's first list is created by whichever
    # issuer gets there first, and the eight positions are distinct.
    positions = set(Certificate.objects.values_list("status_list_id", "status_index"))
    assert len(positions) == 8 and CredentialStatusList.objects.get().allocated == 8


def test_two_completions_racing_issue_once(course):
    """The same person finishing the last lesson in two tabs at once."""
    from courses import learning
    from tests.courses.factories import enrol, lessons_in_order

    user = UserFactory(organisation=course.organisation)
    enrol(course, user)
    (lesson,) = lessons_in_order(course)
    results = _race([lambda: learning.lesson_complete(user=user, lesson_id=lesson.pk)
                     for _ in range(2)])
    assert not [r for r in results if isinstance(r, Exception)], results
    certificate = Certificate.objects.get(user=user)  # issued by the automatic path, once
    assert certificate.pdf_ready
