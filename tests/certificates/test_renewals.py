"""Recertification: the status rule, renewing by re-take and by refresher course, idempotence,
the verification history (superseded, never revoked) and what the reminder job reads."""

import datetime as dt

import pytest
from django.utils import timezone

from backend.audit.models import AuditEntry
from backend.errors import Conflict, DomainError
from certificates import renewals, services
from certificates.api import expiring_certificates, renewal_url, verification_get
from certificates.expiry import certificate_status, renewal_due, renewal_opens_on
from certificates.models import Certificate, CertificateRenewal, RenewalRule
from courses.models import Enrolment, EnrolmentRound, LessonProgress
from tests.certificates.factories import certificate_course, complete, make_template

NOW = timezone.make_aware(dt.datetime(2026, 6, 1, 10, 0))
DAY = dt.date(2026, 6, 1)


# --- the pure rules -----------------------------------------------------------------------------

@pytest.mark.parametrize(("revoked", "superseded", "expires", "expected"), [
    (None, None, None, "valid"),
    (None, None, DAY, "valid"),  # the last day is still valid
    (None, None, DAY - dt.timedelta(days=1), "expired"),
    (None, NOW - dt.timedelta(hours=1), DAY + dt.timedelta(days=30), "superseded"),
    (None, NOW - dt.timedelta(hours=1), DAY - dt.timedelta(days=30), "superseded"),  # over expired
    (NOW, NOW - dt.timedelta(hours=1), None, "revoked"),  # revocation wins over everything
    (NOW, None, DAY - dt.timedelta(days=1), "revoked"),
    (None, NOW + dt.timedelta(hours=1), None, "valid"),  # superseded only from its instant on
])
def test_status_rule_revoked_then_superseded_then_expired(revoked, superseded, expires, expected):
    assert certificate_status(revoked, expires, NOW, superseded) == expected


def test_renewal_window():
    expires = dt.date(2026, 9, 30)
    assert renewal_opens_on(expires, 90) == dt.date(2026, 7, 2)
    assert not renewal_due(expires, 90, dt.date(2026, 7, 1))
    assert renewal_due(expires, 90, dt.date(2026, 7, 2))
    assert renewal_due(expires, 90, dt.date(2027, 1, 1))  # expired: still renewable
    assert renewal_due(expires, 0, expires) and not renewal_due(expires, 0, dt.date(2026, 9, 29))
    assert renewal_opens_on(None, 90) is None and not renewal_due(None, 90, DAY)


# --- the flow ------------------------------------------------------------------------------------

@pytest.fixture
def retake_course(tree):
    course = certificate_course(tree["ministry"])
    make_template(tree["ministry"], course=course, validity_months=24,
                  renewal_rule=RenewalRule.RETAKE, renewal_window_days=60)
    return course


def _expiring(certificate, days_left: int = 10) -> Certificate:
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.localdate() + dt.timedelta(days=days_left))
    certificate.refresh_from_db()
    return certificate


def _first_certificate(course, user, capture) -> Certificate:
    with capture(execute=True):
        complete(course, user)
    return Certificate.objects.get(user=user, course=course)


def test_retake_keeps_history_and_issues_a_new_certificate(
        retake_course, trainee, django_capture_on_commit_callbacks):
    old = _expiring(_first_certificate(retake_course, trainee, django_capture_on_commit_callbacks))
    assert renewals.renewal_offer(old, services.template_for_course(
        services.course_get(retake_course.pk))).due

    renewal = renewals.certificate_renewal_start(actor=trainee, certificate_id=old.pk)
    assert renewal.rule == RenewalRule.RETAKE and renewal.course_id == retake_course.pk
    enrolment = Enrolment.objects.get(user=trainee, course=retake_course)
    assert enrolment.completed_at is None and enrolment.percent == 0  # a new round
    assert not LessonProgress.objects.filter(enrolment=enrolment).exists()
    history = EnrolmentRound.objects.get(enrolment=enrolment)
    assert history.number == 1 and history.completed_at and history.percent == 100
    assert history.progress and history.progress[0]["status"] == "completed"
    # Starting twice is the same renewal; the old certificate is still valid meanwhile.
    assert renewals.certificate_renewal_start(actor=trainee, certificate_id=old.pk).pk == renewal.pk
    old.refresh_from_db()
    assert old.status == "valid"

    with django_capture_on_commit_callbacks(execute=True):
        complete(retake_course, trainee)
    new = Certificate.objects.get(renews=old)
    old.refresh_from_db()
    assert old.status == "superseded" and old.revoked_at is None
    assert new.status == "valid" and new.serial != old.serial and new.code != old.code
    assert new.enrolment_id == old.enrolment_id and new.pdf_ready
    assert new.expires_at > old.expires_at
    renewal.refresh_from_db()
    assert renewal.completed_at is not None
    assert AuditEntry.objects.filter(verb="certificate.renewed", target_id=str(new.pk)).exists()
    # A duplicate delivery of the completion issues nothing twice.
    assert renewals.renewals_complete(user_id=trainee.pk, course_id=retake_course.pk) == []
    assert renewals.certificate_renewal_issue(renewal_id=renewal.pk).pk == new.pk
    assert Certificate.objects.filter(user=trainee).count() == 2
    # The ordinary issue path still finds the enrolment's own (first) certificate.
    found, created = services.certificate_issue(user_id=trainee.pk, course_id=retake_course.pk)
    assert found.pk == old.pk and not created


def test_old_serial_verifies_as_superseded_with_a_link_to_the_new_one(
        retake_course, trainee, django_capture_on_commit_callbacks):
    old = _expiring(_first_certificate(retake_course, trainee, django_capture_on_commit_callbacks))
    renewals.certificate_renewal_start(actor=trainee, certificate_id=old.pk)
    with django_capture_on_commit_callbacks(execute=True):
        complete(retake_course, trainee)
    new = Certificate.objects.get(renews=old)
    data = verification_get(old.code)
    assert data.status == "superseded" and data.serial == old.serial
    assert data.superseded_by_serial == new.serial and data.superseded_by_code == new.code
    assert data.revoked_at is None and data.revocation_reason == ""
    newer = verification_get(new.code)
    assert newer.status == "valid" and newer.renews_serial == old.serial


def test_refresher_course_enrols_and_its_completion_renews(tree, trainee,
                                                           django_capture_on_commit_callbacks):
    main = certificate_course(tree["ministry"])
    refresher = certificate_course(tree["ministry"], self_enrolment=False)
    refresher.issues_certificate = False
    refresher.save()
    make_template(tree["ministry"], course=main, validity_months=12,
                  renewal_rule=RenewalRule.REFRESHER, refresher_course_id=refresher.pk)
    old = _expiring(_first_certificate(main, trainee, django_capture_on_commit_callbacks), -5)
    assert old.status == "expired"  # an expired certificate can still be renewed

    renewal = renewals.certificate_renewal_start(actor=trainee, certificate_id=old.pk)
    assert renewal.course_id == refresher.pk
    assert Enrolment.objects.filter(user=trainee, course=refresher, completed_at__isnull=True).exists()
    main_enrolment = Enrolment.objects.get(user=trainee, course=main)
    assert main_enrolment.completed_at is not None  # the main course is not taken again

    with django_capture_on_commit_callbacks(execute=True):
        complete(refresher, trainee)
    new = Certificate.objects.get(renews=old)
    assert new.course_id == main.pk and new.course_title == old.course_title
    assert not Certificate.objects.filter(course=refresher).exists()
    old.refresh_from_db()
    assert old.status == "superseded"


def test_renewal_refusals(retake_course, trainee, admin_user, django_capture_on_commit_callbacks):
    certificate = _first_certificate(retake_course, trainee, django_capture_on_commit_callbacks)
    with pytest.raises(Conflict) as not_open:  # 24 months left, window 60 days
        renewals.certificate_renewal_start(actor=trainee, certificate_id=certificate.pk)
    assert not_open.value.code == "renewal_not_open"
    _expiring(certificate)
    with pytest.raises(DomainError) as other:  # only the holder renews
        renewals.certificate_renewal_start(actor=admin_user, certificate_id=certificate.pk)
    assert other.value.status == 404
    services.certificate_revoke(actor=None, certificate_id=certificate.pk, reason="Sai sót")
    with pytest.raises(Conflict) as revoked:
        renewals.certificate_renewal_start(actor=trainee, certificate_id=certificate.pk)
    assert revoked.value.code == "not_renewable"
    assert not CertificateRenewal.objects.exists()


def test_course_without_renewal_rule_offers_none(tree, trainee, django_capture_on_commit_callbacks):
    make_template(tree["central"], validity_months=12)
    course = certificate_course(tree["ministry"])
    certificate = _expiring(_first_certificate(course, trainee, django_capture_on_commit_callbacks))
    with pytest.raises(Conflict) as refused:
        renewals.certificate_renewal_start(actor=trainee, certificate_id=certificate.pk)
    assert refused.value.code == "no_renewal"


def test_template_refuses_a_refresher_rule_without_its_course(tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        make_template(tree["central"], validity_months=12, renewal_rule=RenewalRule.REFRESHER)
    assert "refresher_course" in refused.value.message_dict
    with pytest.raises(ValidationError) as no_expiry:
        make_template(tree["central"], renewal_rule=RenewalRule.RETAKE)
    assert "renewal_rule" in no_expiry.value.message_dict


def test_expiring_certificates_for_the_reminder_job(retake_course, trainee, tree,
                                                    django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    soon = _expiring(_first_certificate(retake_course, trainee, django_capture_on_commit_callbacks), 7)
    other = UserFactory(organisation=tree["dept"])
    later = _expiring(_first_certificate(retake_course, other, django_capture_on_commit_callbacks), 40)
    today = timezone.localdate()
    rows = list(expiring_certificates(today, today + dt.timedelta(days=30)))
    assert [r["id"] for r in rows] == [soon.pk]
    assert rows[0]["user_id"] == trainee.pk and rows[0]["expires_at"] == soon.expires_at
    assert renewal_url(soon.pk).startswith("/certificates/")
    renewals.certificate_renewal_start(actor=trainee, certificate_id=soon.pk)
    assert not list(expiring_certificates(today, today + dt.timedelta(days=30)))  # being renewed
    assert [r["id"] for r in expiring_certificates(today, today + dt.timedelta(days=60))] == [later.pk]


# --- REST -----------------------------------------------------------------------------------------

def _as(api, user):
    from backend.accounts.models import User

    api.force_authenticate(User.objects.get(pk=user.pk))
    return api


def test_rest_renew_by_the_holder_then_superseded_in_list_and_verification(
        api, retake_course, trainee, admin_user, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()
    old = _expiring(_first_certificate(retake_course, trainee, django_capture_on_commit_callbacks))
    url = f"/api/v1/certificates/{old.pk}/renew/"
    assert _as(api, admin_user).post(url).status_code == 403  # sees it, may not renew it
    response = _as(api, trainee).post(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rule"] == "retake" and body["course"] == retake_course.pk
    assert body["completed_at"] is None and body["course_url"] == f"/courses/{retake_course.pk}/"
    assert _as(api, trainee).post(url).json()["id"] == body["id"]  # idempotent

    with django_capture_on_commit_callbacks(execute=True):
        complete(retake_course, trainee)
    new = Certificate.objects.get(renews=old)
    rows = {r["id"]: r for r in _as(api, trainee).get("/api/v1/certificates/").json()["results"]}
    assert rows[old.pk]["status"] == "superseded" and rows[old.pk]["superseded_by"] == new.pk
    assert rows[new.pk]["status"] == "valid" and rows[new.pk]["renews"] == old.pk
    assert rows[new.pk]["superseded_by"] is None
    only = _as(api, trainee).get("/api/v1/certificates/?status=superseded").json()["results"]
    assert [r["id"] for r in only] == [old.pk]
    valid = _as(api, trainee).get("/api/v1/certificates/?status=valid").json()["results"]
    assert [r["id"] for r in valid] == [new.pk]

    verified = api.get(f"/api/v1/verify/{old.code}/").json()
    assert verified["status"] == "superseded" and verified["revoked_at"] is None
    assert verified["superseded_by_serial"] == new.serial
    assert verified["superseded_by_url"].endswith(f"/verify/{new.code}/")
    assert api.get(f"/api/v1/verify/{new.code}/").json()["renews_serial"] == old.serial
    again = _as(api, trainee).post(url)  # renewed already: the same (completed) renewal
    assert again.status_code == 200 and again.json()["completed_at"] is not None


def test_rest_renew_refusals_name_the_reason(api, retake_course, trainee,
                                             django_capture_on_commit_callbacks):
    certificate = _first_certificate(retake_course, trainee, django_capture_on_commit_callbacks)
    response = _as(api, trainee).post(f"/api/v1/certificates/{certificate.pk}/renew/")
    assert response.status_code == 409 and response.json()["code"] == "renewal_not_open"
    assert _as(api, trainee).post("/api/v1/certificates/999999/renew/").status_code == 404


def test_rest_template_takes_the_renewal_rule(api, tree, admin_user):
    refresher = certificate_course(tree["ministry"])
    course = certificate_course(tree["ministry"])
    response = _as(api, admin_user).post("/api/v1/certificate-templates/", {
        "course": course.pk, "issuer_name": "Trường", "signer_title": "Hiệu trưởng",
        "signer_name": "Trần Văn Minh", "validity_months": 24, "renewal_rule": "refresher",
        "refresher_course": refresher.pk, "renewal_window_days": 30}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["renewal_rule"], body["refresher_course"], body["renewal_window_days"]) == (
        "refresher", refresher.pk, 30)
    bad = _as(api, admin_user).patch(f"/api/v1/certificate-templates/{body['id']}/",
                                     {"refresher_course": None}, format="json")
    assert bad.status_code == 400 and "refresher_course" in str(bad.json())


def test_superseded_certificate_is_not_reissued_but_can_be_revoked(
        retake_course, trainee, django_capture_on_commit_callbacks):
    old = _expiring(_first_certificate(retake_course, trainee, django_capture_on_commit_callbacks))
    renewals.certificate_renewal_start(actor=trainee, certificate_id=old.pk)
    with django_capture_on_commit_callbacks(execute=True):
        complete(retake_course, trainee)
    with pytest.raises(Conflict) as refused:
        services.certificate_reissue(actor=None, certificate_id=old.pk)
    assert refused.value.code == "superseded"
    services.certificate_revoke(actor=None, certificate_id=old.pk, reason="Gian lận")
    old.refresh_from_db()
    assert old.status == "revoked"  # revocation wins over superseded
    assert verification_get(old.code).status == "revoked"
