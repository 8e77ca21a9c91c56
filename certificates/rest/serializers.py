"""Input and output shapes of the certificates API."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.limits import FREE_TEXT_MAX_CHARS
from certificates.expiry import CertificateStatus
from certificates.models import (
    Certificate,
    CertificateRenewal,
    CertificateTemplate,
    Language,
    RenderStatus,
    RenewalRule,
)
from certificates.rendering import verify_url
from certificates.selectors import is_admin_over
from certificates.verdicts import FileKind, Outcome

# A link on this site, relative to it (e.g. /api/v1/certificates/7/pdf/).
SITE_PATH = {"type": "string", "format": "uri-reference", "description": "Path on this site."}


def _successor(obj: Certificate) -> Certificate | None:
    try:
        return obj.renewed_by
    except Certificate.DoesNotExist:
        return None


class CertificateOut(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=CertificateStatus.values, read_only=True,
                                     help_text="`superseded`: renewed; see `superseded_by`.")
    superseded_by = serializers.SerializerMethodField(
        help_text="Id of the certificate that renewed this one (null: none).")
    renews = serializers.IntegerField(source="renews_id", read_only=True, allow_null=True,
                                      help_text="Id of the certificate this one renews.")
    course = serializers.IntegerField(source="course_id", read_only=True)
    verify_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    badge_url = serializers.SerializerMethodField(help_text="Deprecated: same as credential_url.")
    credential_url = serializers.SerializerMethodField()
    pdf_ready = serializers.BooleanField(read_only=True)
    render_status = serializers.ChoiceField(choices=RenderStatus.choices, read_only=True)
    last_error = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["id", "serial", "code", "status", "issued_at", "expires_at", "course",
                  "course_title", "holder_name", "issuer_name", "verify_url", "pdf_url", "badge_url",
                  "credential_url",
                  "revoked_at", "revoked_reason", "reinstated_at", "reinstated_reason", "revision",
                  "manual", "pdf_ready", "render_status", "last_error", "superseded_at",
                  "superseded_by", "renews"]

    def get_superseded_by(self, obj: Certificate) -> int | None:
        successor = _successor(obj) if obj.superseded_at else None
        return successor.pk if successor else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_verify_url(self, obj: Certificate) -> str:
        return verify_url(obj.code)

    @extend_schema_field(SITE_PATH)
    def get_pdf_url(self, obj: Certificate) -> str:
        return reverse("api-certificate-pdf", args=[obj.pk])

    @extend_schema_field(SITE_PATH)
    def get_badge_url(self, obj: Certificate) -> str:
        return reverse("api-certificate-credential", args=[obj.pk])

    @extend_schema_field(SITE_PATH)
    def get_credential_url(self, obj: Certificate) -> str:
        return reverse("api-certificate-credential", args=[obj.pk])

    def get_last_error(self, obj: Certificate) -> str:
        """Technical detail for administrators only; the holder just sees the status."""
        request = self.context.get("request")
        if request is None or not is_admin_over(request.user, obj.organisation.path):
            return ""
        return obj.last_error


class VerificationOut(serializers.Serializer):
    status = serializers.ChoiceField(choices=CertificateStatus.values,
                                     help_text="`superseded`: renewed (not revoked); the new one is "
                                               "`superseded_by_serial` at `superseded_by_url`.")
    holder_name = serializers.CharField()
    course = serializers.CharField(help_text="Title of the course.")
    issuer = serializers.CharField(help_text="The issuing body.")
    serial = serializers.CharField()
    code = serializers.CharField()
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateField(allow_null=True, help_text="Last valid day; null: no expiry.")
    revoked_at = serializers.DateTimeField(allow_null=True)
    revocation_reason = serializers.CharField(allow_blank=True)
    superseded_at = serializers.DateTimeField(allow_null=True)
    superseded_by_serial = serializers.CharField(allow_blank=True)
    superseded_by_url = serializers.SerializerMethodField()
    renews_serial = serializers.CharField(allow_blank=True,
                                          help_text="Serial of the certificate this one renews.")
    renews_url = serializers.SerializerMethodField()
    status_list_credential = serializers.CharField(
        allow_blank=True, help_text="URL of the signed BitstringStatusListCredential that holds "
                                    "this certificate's revocation bit (empty until its first "
                                    "credential is signed).")
    status_list_index = serializers.IntegerField(
        allow_null=True, help_text="Its position in that list (index 0: the first byte's most "
                                   "significant bit).")
    reinstated_at = serializers.DateTimeField(
        allow_null=True, help_text="When an administrator undid a mistaken revocation (null: never, "
                                   "or revoked again since).")
    reinstatement_reason = serializers.CharField(allow_blank=True)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_superseded_by_url(self, obj) -> str | None:
        return verify_url(obj.superseded_by_code) if obj.superseded_by_code else None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_renews_url(self, obj) -> str | None:
        return verify_url(obj.renews_code) if obj.renews_code else None


class VerifyFileIn(serializers.Serializer):
    file = serializers.FileField(help_text="A certificate's PDF (at most "
                                           "CERTIFICATES_VERIFY_FILE_MAX_PDF_BYTES, 10 MB) or its "
                                           "Open Badges credential JSON (at most 1 MB). Told "
                                           "apart by content, not by name; never stored.")


class FileVerdictOut(serializers.Serializer):
    """certificates.verdicts.FileVerdict, with the link to the certificate's own page."""

    kind = serializers.ChoiceField(choices=FileKind.choices)
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        help_text="`tampered`: altered or not signed by us; `unknown`: not a certificate of ours "
                  "(or not readable). The status of an intact file comes from the certificate "
                  "itself, as on its verification page.")
    outcome_label = serializers.SerializerMethodField(help_text="The outcome in words.")
    code = serializers.CharField(allow_blank=True, help_text="Verification code the file carries.")
    serial = serializers.CharField(allow_blank=True)
    holder_name = serializers.CharField(allow_blank=True)
    course = serializers.CharField(allow_blank=True)
    issuer = serializers.CharField(allow_blank=True, help_text="The issuing unit.")
    signed_by = serializers.CharField(allow_blank=True, help_text="The PDF's signer, or the "
                                                                 "credential's verification method.")
    signed_at = serializers.DateTimeField(allow_null=True)
    revision = serializers.IntegerField(allow_null=True, help_text="Revision the file shows.")
    current_revision = serializers.IntegerField(
        allow_null=True, help_text="The certificate's revision today: larger than `revision` "
                                   "when a newer one was issued.")
    detail = serializers.CharField(allow_blank=True, help_text="One sentence: why, what changed.")
    verify_url = serializers.SerializerMethodField()

    def get_outcome_label(self, obj) -> str:
        return str(Outcome(obj.outcome).label)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_verify_url(self, obj) -> str | None:
        known = obj.code and obj.outcome not in (Outcome.UNKNOWN, Outcome.TAMPERED)
        return verify_url(obj.code) if known else None


class RenewalOut(serializers.ModelSerializer):
    certificate = serializers.IntegerField(source="certificate_id", read_only=True)
    rule = serializers.ChoiceField(choices=RenewalRule.choices, read_only=True)
    course = serializers.IntegerField(source="course_id", read_only=True,
                                      help_text="The course to complete for the new certificate.")
    course_url = serializers.SerializerMethodField()

    class Meta:
        model = CertificateRenewal
        fields = ["id", "certificate", "rule", "course", "course_url", "started_at", "completed_at"]

    @extend_schema_field(SITE_PATH)
    def get_course_url(self, obj) -> str:
        return f"/courses/{obj.course_id}/"


class RevokeIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReinstateIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the revocation was a mistake "
                                                              "(public, like a revocation's).")


class ReissueIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class BulkIssueIn(serializers.Serializer):
    cohort = serializers.IntegerField(required=False, allow_null=True, default=None,
                                      help_text="Only members of this cohort.")
    user_ids = serializers.ListField(child=serializers.IntegerField(), required=False,
                                     max_length=50000, help_text="Name people (manual issue).")
    emails = serializers.ListField(child=serializers.EmailField(), required=False, max_length=50000,
                                   help_text="Name people by e-mail (manual issue).")


class JobOut(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    errors = serializers.IntegerField()
    url = serializers.CharField(help_text="Poll this for progress.")


class TemplateOut(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    course = serializers.IntegerField(source="course_id", read_only=True, allow_null=True)
    refresher_course = serializers.IntegerField(source="refresher_course_id", read_only=True,
                                                allow_null=True)
    has_signature_image = serializers.SerializerMethodField()
    has_seal_image = serializers.SerializerMethodField()

    class Meta:
        model = CertificateTemplate
        fields = ["id", "organisation", "course", "issuer_name", "parent_issuer_name", "place",
                  "signer_title", "signer_name", "validity_months", "course_hours", "wording",
                  "serial_pattern", "language", "renewal_rule", "refresher_course",
                  "renewal_window_days", "has_signature_image", "has_seal_image",
                  "created_at", "updated_at"]

    def get_has_signature_image(self, obj) -> bool:
        return bool(obj.signature_image)

    def get_has_seal_image(self, obj) -> bool:
        return bool(obj.seal_image)


class TemplateFieldsIn(serializers.Serializer):
    issuer_name = serializers.CharField(max_length=255)
    parent_issuer_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    signer_title = serializers.CharField(max_length=150)
    signer_name = serializers.CharField(max_length=150)
    validity_months = serializers.IntegerField(min_value=1, max_value=1200, required=False,
                                               allow_null=True)
    course_hours = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0,
                                            required=False, allow_null=True)
    wording = serializers.CharField(required=False, allow_blank=True, max_length=FREE_TEXT_MAX_CHARS)
    serial_pattern = serializers.CharField(max_length=64, required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    renewal_rule = serializers.ChoiceField(choices=RenewalRule.choices, required=False,
                                           help_text="What renewing an expiring certificate asks.")
    refresher_course = serializers.IntegerField(required=False, allow_null=True,
                                                help_text="Course id, for `renewal_rule` refresher.")
    renewal_window_days = serializers.IntegerField(min_value=0, max_value=3650, required=False,
                                                   help_text="Renewal opens this many days before "
                                                             "expiry.")
    signature_image = serializers.FileField(required=False, allow_null=True,
                                            help_text="PNG or JPEG up to 1 MB (multipart); null removes it.")
    seal_image = serializers.FileField(required=False, allow_null=True,
                                       help_text="PNG or JPEG up to 1 MB (multipart); null removes it.")

    def to_service(self) -> dict:
        values = dict(self.validated_data)
        if "refresher_course" in values:
            values["refresher_course_id"] = values.pop("refresher_course")
        for name in ("signature_image", "seal_image"):
            if name in values:
                upload = values[name]
                values[name] = upload.read(1024 * 1024 + 1) if upload else None
        return values


class TemplateCreateIn(TemplateFieldsIn):
    organisation = serializers.CharField(required=False, help_text="Code of the unit (its default).")
    course = serializers.IntegerField(required=False, help_text="Or a course id (its own template).")


class TemplateUpdateIn(TemplateFieldsIn):
    issuer_name = serializers.CharField(max_length=255, required=False)
    signer_title = serializers.CharField(max_length=150, required=False)
    signer_name = serializers.CharField(max_length=150, required=False)
