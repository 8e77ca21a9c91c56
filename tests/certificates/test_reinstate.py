"""Reinstatement: an administrator of the course's unit undoes a mistaken revocation, with a reason;
the certificate then reads as its dates say everywhere, re-issue works again, and the audit log
keeps the revocation it undid (decision 0068)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation

from backend.accounts.models import Role
from backend.audit.describe import describe
from backend.audit.models import AuditEntry
from backend.errors import Conflict, DomainError, Forbidden
from certificates.api import verification_get
from certificates.expiry import CertificateStatus
from certificates.models import Certificate
from certificates.services import (
    certificate_reinstate,
    certificate_reissue,
    certificate_revoke,
)
from tests.certificates.factories import issued_certificate
from tests.factories import user_with_role


@pytest.fixture
def issued(tree, trainee):
    return issued_certificate(tree, trainee, render=False)


@pytest.fixture
def revoked(issued, admin_user):
    return certificate_revoke(actor=admin_user, certificate_id=issued.pk, reason="Cấp nhầm người")


def test_reinstating_makes_it_valid_again_everywhere_the_status_is_read(revoked, admin_user):
    before = Certificate.objects.get(pk=revoked.pk)
    assert before.status == CertificateStatus.REVOKED
    assert verification_get(revoked.code).status == CertificateStatus.REVOKED

    certificate_reinstate(actor=admin_user, certificate_id=revoked.pk,
                          reason="  Thu hồi nhầm:  đúng người học  ")
    row = Certificate.objects.get(pk=revoked.pk)
    assert row.status == CertificateStatus.VALID
    assert row.revoked_at is None and row.revoked_reason == "" and row.revoked_by is None
    assert row.reinstated_reason == "Thu hồi nhầm: đúng người học"  # normalised like revoke's
    assert row.reinstated_at is not None
    # The status list is computed from revoked_at; the save moved updated_at with it.
    assert row.updated_at > before.updated_at
    assert Certificate.objects.with_status(CertificateStatus.VALID).filter(pk=row.pk).exists()
    assert not Certificate.objects.with_status(CertificateStatus.REVOKED).filter(pk=row.pk).exists()
    public = verification_get(row.code)
    assert public.status == CertificateStatus.VALID
    assert public.revoked_at is None and public.revocation_reason == ""
    assert public.reinstated_at == row.reinstated_at
    assert public.reinstatement_reason == "Thu hồi nhầm: đúng người học"


def test_the_audit_entry_keeps_the_revocation_it_undid(revoked, admin_user):
    first = Certificate.objects.get(pk=revoked.pk)
    certificate_reinstate(actor=admin_user, certificate_id=revoked.pk, reason="Thu hồi nhầm")
    entry = AuditEntry.objects.get(verb="certificate.reinstated")
    assert entry.actor_id == admin_user.pk and entry.target_id == str(revoked.pk)
    assert entry.details["reason"] == "Thu hồi nhầm"
    assert entry.details["serial"] == revoked.serial
    assert entry.details["revoked_reason"] == "Cấp nhầm người"
    assert entry.details["revoked_by"] == admin_user.pk
    assert entry.details["revoked_by_name"] == admin_user.full_name
    assert dt.datetime.fromisoformat(entry.details["revoked_at"]) == first.revoked_at

    with translation.override("en"):
        described = describe(entry)
    assert described.sentence.startswith(admin_user.full_name)
    assert "reinstated certificate" in described.sentence and revoked.serial in described.sentence
    details = dict(described.details)
    assert details["Reason"] == "Thu hồi nhầm"
    assert details["Reason for revocation"] == "Cấp nhầm người"
    assert details["Revoked by"] == admin_user.full_name
    with translation.override("vi"):  # a date and time as people read it, not an ISO string
        shown = dict(describe(entry).details)[translation.gettext("Revoked on")]
        assert shown == formats.date_format(timezone.localtime(first.revoked_at),
                                            "SHORT_DATETIME_FORMAT")
    assert re.fullmatch(r"\d{2}:\d{2} \d{2}/\d{2}/\d{4}", shown)  # HH:MM dd/mm/yyyy


def test_only_administrators_of_the_course_unit_may_reinstate(revoked, tree, trainee):
    outsider = user_with_role(Role.ADMINISTRATOR, tree["province"])
    for actor in (outsider, trainee):
        with pytest.raises(Forbidden):
            certificate_reinstate(actor=actor, certificate_id=revoked.pk, reason="Thu hồi nhầm")
    with pytest.raises(DomainError) as unknown:
        certificate_reinstate(actor=outsider, certificate_id=revoked.pk + 1000, reason="x")
    assert unknown.value.status == 404
    assert Certificate.objects.get(pk=revoked.pk).revoked_at is not None
    assert not AuditEntry.objects.filter(verb="certificate.reinstated").exists()


def test_a_reason_is_required(revoked, admin_user):
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as refused:
            certificate_reinstate(actor=admin_user, certificate_id=revoked.pk, reason=reason)
        assert "reason" in refused.value.message_dict
    assert Certificate.objects.get(pk=revoked.pk).revoked_at is not None


def test_a_certificate_that_is_not_revoked_cannot_be_reinstated(issued, admin_user):
    with pytest.raises(Conflict) as refused:
        certificate_reinstate(actor=admin_user, certificate_id=issued.pk, reason="Thu hồi nhầm")
    assert refused.value.code == "not_revoked"
    assert not AuditEntry.objects.filter(verb="certificate.reinstated").exists()


def test_re_issue_is_refused_while_revoked_and_works_after_reinstatement(
        revoked, admin_user, django_capture_on_commit_callbacks):
    with pytest.raises(Conflict) as refused:
        certificate_reissue(actor=admin_user, certificate_id=revoked.pk, reason="Đổi tên")
    assert refused.value.code == "revoked"
    certificate_reinstate(actor=admin_user, certificate_id=revoked.pk, reason="Thu hồi nhầm")
    with django_capture_on_commit_callbacks(execute=True):
        again = certificate_reissue(actor=admin_user, certificate_id=revoked.pk, reason="Đổi tên")
    assert again.revision == 2 and again.code == revoked.code
    # The reinstatement stays part of the certificate's public story after a re-issue.
    assert verification_get(again.code).reinstated_at is not None


def test_a_later_revocation_clears_the_reinstatement(revoked, admin_user):
    certificate_reinstate(actor=admin_user, certificate_id=revoked.pk, reason="Thu hồi nhầm")
    certificate_revoke(actor=admin_user, certificate_id=revoked.pk, reason="Lần này đúng là sai")
    row = Certificate.objects.get(pk=revoked.pk)
    assert row.status == CertificateStatus.REVOKED
    assert row.reinstated_at is None and row.reinstated_reason == ""
    public = verification_get(row.code)
    assert public.reinstated_at is None and public.revocation_reason == "Lần này đúng là sai"
    assert AuditEntry.objects.filter(verb="certificate.revoked", target_id=str(row.pk)).count() == 2


def test_reinstated_certificates_read_as_their_dates_say(revoked, admin_user):
    """Past its last valid day a reinstated certificate reads expired, not valid."""
    Certificate.objects.filter(pk=revoked.pk).update(
        expires_at=timezone.localdate() - dt.timedelta(days=1))
    certificate_reinstate(actor=admin_user, certificate_id=revoked.pk, reason="Thu hồi nhầm")
    assert verification_get(revoked.code).status == CertificateStatus.EXPIRED
    Certificate.objects.filter(pk=revoked.pk).update(superseded_at=timezone.now())
    assert Certificate.objects.get(pk=revoked.pk).status == CertificateStatus.SUPERSEDED
