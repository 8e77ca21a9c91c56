"""Recertification pages: the holder's renew button (certificates page and dashboard), the
renewal starting and leading to the course, the verification page of a superseded certificate,
the course's renewals for administrators and the renewal rule on the template form."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateRenewal, CertificateTemplate, RenewalRule
from tests.certificates.factories import certificate_course, complete, make_template


@pytest.fixture
def retake(tree):
    course = certificate_course(tree["ministry"], title="Kỹ năng thông tin đối ngoại")
    make_template(tree["ministry"], course=course, validity_months=24,
                  renewal_rule=RenewalRule.RETAKE, renewal_window_days=30)
    return course


@pytest.fixture
def expiring(retake, trainee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complete(retake, trainee)
    certificate = Certificate.objects.get(user=trainee)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.localdate() + dt.timedelta(days=10))
    return certificate


def test_holder_renews_from_the_certificates_page_and_is_led_to_the_course(
        client, trainee, retake, expiring, django_capture_on_commit_callbacks):
    client.force_login(trainee)
    page = client.get(reverse("my-certificates")).content.decode()
    renew_url = reverse("certificate-renew", args=[expiring.pk])
    assert renew_url in page and f'id="certificate-{expiring.pk}"' in page
    assert renew_url in client.get("/").content.decode()  # the dashboard offers it too
    response = client.post(renew_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("course-outline", args=[retake.pk])
    assert CertificateRenewal.objects.filter(certificate=expiring).exists()
    page = client.get(reverse("my-certificates")).content.decode()
    assert renew_url not in page and reverse("course-outline", args=[retake.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        complete(retake, trainee)
    new = Certificate.objects.get(renews=expiring)
    page = client.get(reverse("my-certificates")).content.decode()
    assert "status-superseded" in page and f"#certificate-{new.pk}" in page


def test_verification_page_shows_superseded_with_the_new_certificate(
        client, trainee, retake, expiring, django_capture_on_commit_callbacks):
    from certificates.api import certificate_renewal_start

    certificate_renewal_start(actor=trainee, certificate_id=expiring.pk)
    with django_capture_on_commit_callbacks(execute=True):
        complete(retake, trainee)
    new = Certificate.objects.get(renews=expiring)
    page = client.get(reverse("verify-certificate", args=[expiring.code])).content.decode()
    assert 'data-status="superseded"' in page and new.serial in page
    assert reverse("verify-certificate", args=[new.code]) in page
    assert 'data-status="revoked"' not in page
    newer = client.get(reverse("verify-certificate", args=[new.code])).content.decode()
    assert 'data-status="valid"' in newer and reverse("verify-certificate", args=[expiring.code]) in newer


def test_someone_else_cannot_renew(client, tree, expiring):
    from tests.factories import UserFactory

    client.force_login(UserFactory(organisation=tree["mission"]))
    assert client.post(reverse("certificate-renew", args=[expiring.pk])).status_code == 404
    assert not CertificateRenewal.objects.exists()


def test_course_certificates_page_lists_renewals(client, admin_user, trainee, retake, expiring):
    from certificates.api import certificate_renewal_start

    certificate_renewal_start(actor=trainee, certificate_id=expiring.pk)
    client.force_login(admin_user)
    page = client.get(reverse("course-certificates", args=[retake.pk])).content.decode()
    assert 'id="renewals"' in page and expiring.serial in page and trainee.full_name in page


def test_template_form_sets_the_refresher_rule(client, admin_user, tree):
    course = certificate_course(tree["ministry"])
    refresher = certificate_course(tree["ministry"], title="Cập nhật kiến thức")
    client.force_login(admin_user)
    url = reverse("admin-certificate-template-create") + f"?course={course.pk}"
    assert 'name="renewal_rule"' in client.get(url).content.decode()
    response = client.post(url, {
        "issuer_name": "Trường", "signer_title": "Hiệu trưởng", "signer_name": "Trần Văn Minh",
        "place": "Hà Nội", "validity_months": "24", "serial_pattern": "{seq:04d}/{year}/GCN",
        "language": "vi", "renewal_rule": "refresher", "refresher_course": str(refresher.pk),
        "renewal_window_days": "45"})
    assert response.status_code == 302, response.content.decode()[:3000]
    template = CertificateTemplate.objects.get(course_id=course.pk)
    assert (template.renewal_rule, template.refresher_course_id, template.renewal_window_days) == (
        "refresher", refresher.pk, 45)
