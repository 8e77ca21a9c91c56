"""Certificate templates, the certificates issued from them, their history and serial books.

One Certificate row per enrolment, ever: revocation and re-issue change that row (a re-issue
first copies it into a CertificateRevision), so "exactly one certificate per enrolment" is a
plain unique constraint that no retry, duplicate delivery or race can get round.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.expiry import CertificateStatus, certificate_status
from certificates.serials import DEFAULT_SERIAL_PATTERN, MAX_SERIAL_LENGTH


class Language(models.TextChoices):
    VI = "vi", _("Vietnamese")
    EN = "en", _("English")


class RenewalRule(models.TextChoices):
    NONE = "none", _("No renewal")
    RETAKE = "retake", _("Re-take the same course")
    REFRESHER = "refresher", _("Take a refresher course")


DEFAULT_RENEWAL_WINDOW_DAYS = 90


class CertificateTemplate(models.Model):
    """Wording and signatory of a course's certificates, or of every course under a unit.

    `organisation` owns the template (and its serial book); with `course` set the template is that
    course's own (and `organisation` is the course's unit), otherwise it serves every course of
    the unit's subtree that has no nearer template.
    """

    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.CASCADE, related_name="+")
    course = models.OneToOneField("courses.Course", verbose_name=_("course"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    issuer_name = models.CharField(_("issuing body"), max_length=255)
    parent_issuer_name = models.CharField(_("parent body"), max_length=255, blank=True)
    place = models.CharField(_("place"), max_length=100, default="Hà Nội")
    signer_title = models.CharField(_("signer's title"), max_length=150)
    signer_name = models.CharField(_("signer's name"), max_length=150)
    signature_image = models.BinaryField(_("signature image"), null=True, blank=True, editable=True)
    seal_image = models.BinaryField(_("seal image"), null=True, blank=True, editable=True)
    validity_months = models.PositiveSmallIntegerField(_("validity (months)"), null=True, blank=True,
                                                       help_text=_("Empty: never expires."))
    course_hours = models.DecimalField(_("course hours"), max_digits=6, decimal_places=1, null=True,
                                       blank=True)
    wording = models.TextField(_("wording"), blank=True)
    serial_pattern = models.CharField(_("serial pattern"), max_length=MAX_SERIAL_LENGTH,
                                      default=DEFAULT_SERIAL_PATTERN)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices,
                                default=Language.VI)
    # Recertification (docs/decisions/0063-recertification.md): what an expiring certificate
    # asks of its holder before a new one is issued, and from how many days before expiry.
    renewal_rule = models.CharField(_("renewal"), max_length=10, choices=RenewalRule.choices,
                                    default=RenewalRule.NONE,
                                    help_text=_("Only for certificates that expire."))
    refresher_course = models.ForeignKey(
        "courses.Course", verbose_name=_("refresher course"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The short course to complete when the renewal asks for a refresher course."))
    renewal_window_days = models.PositiveSmallIntegerField(
        _("renewal opens (days before expiry)"), default=DEFAULT_RENEWAL_WINDOW_DAYS,
        help_text=_("Holders may start the renewal this many days before the last valid day, "
                    "and at any time after it."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], condition=Q(course__isnull=True),
                                    name="certificate_template_one_per_unit"),
        ]

    def __str__(self) -> str:
        return self.issuer_name


class SerialCounter(models.Model):
    """The serial book of one issuing unit for one calendar year (locked while numbering)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE,
                                     related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("serial counter")
        verbose_name_plural = _("serial counters")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"],
                                               name="serial_counter_unit_year")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class CredentialStatusList(models.Model):
    """One W3C Bitstring Status List of an issuing unit (docs/decisions/0066).

    Holds no bits: the list is computed from the revoked_at of the certificates that point at
    it, so it cannot disagree with the verification page. `allocated` counts positions handed
    out; the position of the n-th is (multiplier * n + offset) mod size, a bijection (odd
    multiplier), so positions never collide and do not reveal the order of issue.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    number = models.PositiveIntegerField()
    size = models.PositiveIntegerField(default=131072)
    allocated = models.PositiveIntegerField(default=0)
    multiplier = models.PositiveIntegerField()
    offset = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("credential status list")
        verbose_name_plural = _("credential status lists")
        constraints = [models.UniqueConstraint(fields=["organisation", "number"],
                                               name="status_list_unit_number")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.number}"


class RenderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for its PDF")
    RENDERED = "rendered", _("PDF ready")
    FAILED = "failed", _("PDF failed")


class CertificateQuerySet(models.QuerySet):
    def with_status(self, status: str, today: dt.date | None = None):
        """Filter by the computed status (expiry is a date: valid through its last day)."""
        today = today or timezone.localdate()
        if status == CertificateStatus.REVOKED:
            return self.filter(revoked_at__isnull=False)
        if status == CertificateStatus.SUPERSEDED:
            return self.filter(revoked_at__isnull=True, superseded_at__isnull=False)
        live = self.filter(revoked_at__isnull=True, superseded_at__isnull=True)
        if status == CertificateStatus.EXPIRED:
            return live.filter(expires_at__lt=today)
        if status == CertificateStatus.VALID:
            return live.filter(Q(expires_at__isnull=True) | Q(expires_at__gte=today))
        return self.none()


class Certificate(models.Model):
    # One certificate per enrolment (a unique constraint below), plus one per renewal of it: a
    # renewal row names the certificate it `renews`, and that link is unique too.
    enrolment = models.ForeignKey("courses.Enrolment", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT, related_name="+")
    # The course's unit: administrators of its subtree manage the certificate.
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    # Whose serial book the number comes from (the template owner's unit).
    serial_book = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                    related_name="+")
    template = models.ForeignKey(CertificateTemplate, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    serial = models.CharField(_("serial"), max_length=MAX_SERIAL_LENGTH)
    code = models.CharField(_("verification code"), max_length=24, unique=True)
    holder_name = models.CharField(_("holder"), max_length=255)
    course_title = models.CharField(_("course"), max_length=255)
    issuer_name = models.CharField(_("issuer"), max_length=255)
    # Everything printed that came from the template, frozen at issue / re-issue, so that a
    # re-render of the same revision (a retry) prints exactly the same page.
    layout = models.JSONField(default=dict)
    manual = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # A mistaken revocation undone (docs/decisions/0068-reinstatement-and-file-checks.md): when
    # and why, public like the revocation's reason, so a verifier who saw "revoked" before
    # learns why it reads valid now. Cleared by a later revocation; the audit log keeps each one.
    reinstated_at = models.DateTimeField(_("reinstated"), null=True, blank=True)
    reinstated_reason = models.TextField(_("reason for reinstatement"), blank=True)
    # Recertification: this certificate replaces `renews`, which reads "superseded" from
    # `superseded_at` (set on the old row in the transaction that inserts this one).
    renews = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="renewed_by")
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    pdf = models.FileField(upload_to="certificates/", max_length=255, blank=True)
    pdf_revision = models.PositiveIntegerField(default=0)  # which revision `pdf` shows
    render_status = models.CharField(max_length=10, choices=RenderStatus.choices,
                                     default=RenderStatus.PENDING, db_index=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Signed Open Badges credential (docs/decisions/0066): its place in the issuing unit's status
    # list (allocated once, kept by every revision), the salt of the hashed e-mail identifier,
    # and the credential signed for `credential_revision` (stored so downloads are identical).
    status_list = models.ForeignKey(CredentialStatusList, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="certificates")
    status_index = models.PositiveIntegerField(null=True, blank=True)
    identity_salt = models.CharField(max_length=32, blank=True)
    # The signed credential as served, byte for byte (jsonb would reorder its keys).
    credential = models.TextField(blank=True)
    credential_revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["serial_book", "serial"], name="certificate_serial_unique"),
            models.UniqueConstraint(fields=["enrolment"], condition=Q(renews__isnull=True),
                                    name="certificate_one_per_enrolment"),
            models.UniqueConstraint(fields=["status_list", "status_index"],
                                    condition=Q(status_list__isnull=False),
                                    name="certificate_status_position_unique"),
        ]
        indexes = [models.Index(fields=["course", "issued_at"], name="certificate_course_issued"),
                   # the status list's version: Max(updated_at) over its certificates
                   models.Index(fields=["status_list", "updated_at"],
                                name="certificate_status_list_upd"),
                   # the revoked bits of a list (few rows): served lists and their version
                   models.Index(fields=["status_list", "status_index"],
                                name="certificate_status_revoked",
                                condition=Q(revoked_at__isnull=False))]

    def __str__(self) -> str:
        return f"{self.serial} {self.holder_name}"

    def status_at(self, now: dt.datetime | None = None) -> str:
        return certificate_status(self.revoked_at, self.expires_at,
                                  timezone.localtime(now or timezone.now()), self.superseded_at)

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def pdf_ready(self) -> bool:
        return bool(self.pdf) and self.pdf_revision == self.revision


class CertificateRenewal(models.Model):
    """A holder's renewal of one certificate: which course must be completed (the same course
    again, or the refresher) and from when. At most one per certificate; when the course is
    completed after `started_at`, the new certificate is issued and `completed_at` set."""

    certificate = models.OneToOneField(Certificate, on_delete=models.CASCADE, related_name="renewal")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=10, choices=RenewalRule.choices)
    # The course to complete, and the holder's enrolment in it (a new round of it for a re-take).
    course = models.ForeignKey("courses.Course", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey("courses.Enrolment", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("renewal started"))
    completed_at = models.DateTimeField(_("renewal completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate renewal")
        verbose_name_plural = _("certificate renewals")
        indexes = [models.Index(fields=["user", "course"], name="renewal_user_course",
                                condition=Q(completed_at__isnull=True))]

    def __str__(self) -> str:
        return f"renewal of {self.certificate_id}"


class CertificateRevision(models.Model):
    """What a certificate said before a re-issue replaced it (its PDF file is kept too)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    serial = models.CharField(max_length=MAX_SERIAL_LENGTH)
    holder_name = models.CharField(max_length=255)
    course_title = models.CharField(max_length=255)
    issuer_name = models.CharField(max_length=255)
    layout = models.JSONField(default=dict)
    issued_at = models.DateTimeField()
    pdf = models.CharField(max_length=255, blank=True)
    reason = models.TextField(blank=True)
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("certificate revision")
        verbose_name_plural = _("certificate revisions")
        ordering = ["certificate", "revision"]
        constraints = [models.UniqueConstraint(fields=["certificate", "revision"],
                                               name="certificate_revision_unique")]

    def __str__(self) -> str:
        return f"{self.certificate_id} r{self.revision}"


class BulkIssueChunk(models.Model):
    """One slice of a bulk-issue job. Its counts are *set* (not added) when the slice runs, so a
    re-delivered or resumed slice corrects the job's counters instead of counting twice."""

    job_id = models.UUIDField(db_index=True)
    index = models.PositiveIntegerField()
    done = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    messages = models.JSONField(default=list, blank=True)
    # What "done" was made of: {"created", "already_issued", "skipped", "failed"} (see bulk.py)
    counts = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bulk issue chunk")
        verbose_name_plural = _("bulk issue chunks")
        constraints = [models.UniqueConstraint(fields=["job_id", "index"], name="bulk_chunk_once")]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.index}"
