"""Issuing: automatic on completion, idempotent, gap-free serials, template inheritance, audit."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from backend.audit.models import AuditEntry
from backend.errors import Conflict
from certificates import services
from certificates.models import Certificate, CertificateRevision, RenderStatus, SerialCounter
from tests.certificates.factories import certificate_course, complete, make_template
from tests.courses.factories import enrol
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def course(tree):
    make_template(tree["central"])
    return certificate_course(tree["ministry"])


def test_completion_issues_one_certificate_after_commit_with_pdf(
        course, trainee, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        enrol(course, trainee)  # its notice is mailed from the notifications outbox
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        complete(course, trainee)
        assert not Certificate.objects.exists()  # nothing happens before the completion commits
    assert len(callbacks) == 2  # the issue, then (in it) the notice's e-mail from the outbox
    certificate = Certificate.objects.get()
    year = timezone.localdate().year
    assert (certificate.user_id, certificate.course_id) == (trainee.pk, course.pk)
    assert certificate.serial == f"0001/{year}/GCN"
    assert certificate.holder_name == trainee.full_name
    assert certificate.status == "valid" and certificate.expires_at is None
    assert certificate.render_status == RenderStatus.RENDERED and certificate.pdf_ready
    assert certificate.pdf.read().startswith(b"%PDF")
    assert AuditEntry.objects.filter(verb="certificate.issued", target_id=str(certificate.pk)).count() == 1
    assert len(mailoutbox) == 1 and certificate.code in mailoutbox[0].body
    assert not mailoutbox[0].attachments


def test_course_without_certificates_issues_nothing(tree, trainee, django_capture_on_commit_callbacks):
    make_template(tree["central"])
    course = certificate_course(tree["ministry"])
    course.issues_certificate = False
    course.save()
    with django_capture_on_commit_callbacks(execute=True):
        complete(course, trainee)
    assert not Certificate.objects.exists()


def test_issue_is_idempotent_and_serials_gap_free(course, tree):
    users = [UserFactory(organisation=tree["dept"]) for _ in range(3)]
    for user in users:
        complete(course, user)
    first, created = services.certificate_issue(user_id=users[0].pk, course_id=course.pk)
    again, created_again = services.certificate_issue(user_id=users[0].pk, course_id=course.pk)
    assert created and not created_again and again.pk == first.pk
    batch = services.certificates_issue(course_id=course.pk, user_ids=[u.pk for u in users])
    assert len(batch.created) == 2 and [c.pk for c in batch.existing] == [first.pk]
    seqs = sorted(int(c.serial.split("/")[0]) for c in Certificate.objects.all())
    assert seqs == [1, 2, 3]
    assert SerialCounter.objects.get().last == 3
    assert Certificate.objects.count() == 3


def test_not_completed_is_refused_unless_named_by_an_administrator(course, tree, admin_user):
    user = UserFactory(organisation=tree["dept"])
    enrol(course, user)
    with pytest.raises(Conflict):
        services.certificate_issue(user_id=user.pk, course_id=course.pk)
    certificate, created = services.certificate_issue(user_id=user.pk, course_id=course.pk,
                                                      actor=admin_user, manual=True)
    assert created and certificate.manual and certificate.completed_at is None
    stranger = UserFactory(organisation=tree["dept"])
    with translation.override("en"):
        batch = services.certificates_issue(course_id=course.pk, user_ids=[stranger.pk],
                                            actor=admin_user, manual=True)
    assert batch.refused == {stranger.pk: "Not enrolled in this course."}


def test_template_inheritance_nearest_unit_then_course(tree):
    make_template(tree["central"], issuer_name="Ban Trung ương")
    make_template(tree["ministry"], issuer_name="Học viện Ngoại giao", serial_pattern="{org_code}-{seq:03d}")
    from certificates.selectors import template_for_course
    from courses.api import course_get

    in_dept = certificate_course(tree["dept"])
    in_province = certificate_course(tree["province"])
    assert template_for_course(course_get(in_dept.pk)).issuer_name == "Học viện Ngoại giao"
    assert template_for_course(course_get(in_province.pk)).issuer_name == "Ban Trung ương"
    make_template(course=in_dept, issuer_name="Lớp riêng")
    assert template_for_course(course_get(in_dept.pk)).issuer_name == "Lớp riêng"
    user = UserFactory(organisation=tree["dept"])
    complete(in_province, user)
    certificate, _ = services.certificate_issue(user_id=user.pk, course_id=in_province.pk)
    assert certificate.issuer_name == "Ban Trung ương"


def test_serial_pattern_with_org_code_and_per_book_counters(tree):
    make_template(tree["ministry"], serial_pattern="{seq:03d}/{year}/{org_code}")
    make_template(tree["province"])
    a, b = certificate_course(tree["dept"]), certificate_course(tree["province"])
    user = UserFactory(organisation=tree["dept"])
    complete(a, user)
    complete(b, user)
    year = timezone.localdate().year
    ca, _ = services.certificate_issue(user_id=user.pk, course_id=a.pk)
    cb, _ = services.certificate_issue(user_id=user.pk, course_id=b.pk)
    assert ca.serial == f"001/{year}/ministry" and cb.serial == f"0001/{year}/GCN"


def test_validity_period_sets_expiry_and_status_is_computed(tree, trainee):
    make_template(tree["central"], validity_months=12)
    course = certificate_course(tree["ministry"])
    complete(course, trainee)
    certificate, _ = services.certificate_issue(user_id=trainee.pk, course_id=course.pk)
    issued = timezone.localtime(certificate.issued_at).date()
    assert certificate.expires_at.year == issued.year + 1
    later = timezone.make_aware(dt.datetime.combine(certificate.expires_at + dt.timedelta(days=1),
                                                    dt.time(9)))
    assert certificate.status_at(later) == "expired"
    assert list(Certificate.objects.with_status("valid")) == [certificate]
    day_after = certificate.expires_at + dt.timedelta(days=1)
    assert list(Certificate.objects.with_status("expired", today=day_after)) == [certificate]


def test_revoke_needs_reason_is_audited_and_final(course, trainee, admin_user):
    from django.core.exceptions import ValidationError

    complete(course, trainee)
    certificate, _ = services.certificate_issue(user_id=trainee.pk, course_id=course.pk)
    with pytest.raises(ValidationError):
        services.certificate_revoke(actor=admin_user, certificate_id=certificate.pk, reason="  ")
    services.certificate_revoke(actor=admin_user, certificate_id=certificate.pk, reason="Gian lận")
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revoked_reason == "Gian lận"
    assert AuditEntry.objects.filter(verb="certificate.revoked").count() == 1
    with pytest.raises(Conflict):
        services.certificate_revoke(actor=admin_user, certificate_id=certificate.pk, reason="x")
    with pytest.raises(Conflict):
        services.certificate_reissue(actor=admin_user, certificate_id=certificate.pk)
    # A late duplicate of the issue task must not bring it back.
    again, created = services.certificate_issue(user_id=trainee.pk, course_id=course.pk)
    assert not created and again.status == "revoked"


def test_revoke_by_an_administrator_of_another_subtree_is_refused(course, trainee, tree):
    from backend.accounts.models import Role
    from backend.errors import Forbidden
    from tests.factories import user_with_role

    complete(course, trainee)
    certificate, _ = services.certificate_issue(user_id=trainee.pk, course_id=course.pk)
    outsider = user_with_role(Role.ADMINISTRATOR, tree["province"])
    with pytest.raises(Forbidden):
        services.certificate_revoke(actor=outsider, certificate_id=certificate.pk, reason="x")


def test_reissue_keeps_code_and_history_with_new_name_serial_and_pdf(
        course, trainee, admin_user, django_capture_on_commit_callbacks):
    complete(course, trainee)
    certificate, _ = services.certificate_issue(user_id=trainee.pk, course_id=course.pk)
    from certificates.rendering import render_one

    render_one(certificate)
    certificate.refresh_from_db()
    old_pdf, old_serial, code = certificate.pdf.name, certificate.serial, certificate.code
    trainee.full_name = "Nguyễn Thị Thanh Hương"
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reissue(actor=admin_user, certificate_id=certificate.pk,
                                     reason="Sửa họ tên")
    certificate.refresh_from_db()
    assert certificate.code == code and certificate.revision == 2
    assert certificate.holder_name == "Nguyễn Thị Thanh Hương" and certificate.serial != old_serial
    assert certificate.pdf_ready and certificate.pdf.name != old_pdf
    revision = CertificateRevision.objects.get(certificate=certificate)
    assert (revision.revision, revision.serial, revision.pdf) == (1, old_serial, old_pdf)
    assert revision.holder_name == "Nguyễn Văn Thử" or revision.holder_name != certificate.holder_name
    storage = Certificate._meta.get_field("pdf").storage
    assert storage.exists(old_pdf)  # history keeps the old file
    assert AuditEntry.objects.filter(verb="certificate.reissued").count() == 1


def test_no_template_is_a_clear_conflict(trainee):
    course = certificate_course(OrganisationFactory())
    from courses.models import Enrolment  # noqa: F401

    complete(course, trainee)
    with pytest.raises(Conflict) as info:
        services.certificate_issue(user_id=trainee.pk, course_id=course.pk)
    assert info.value.code == "no_template"
