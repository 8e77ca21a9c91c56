"""Django admin: templates, and certificates with their PDF state (failed renders first)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from certificates import services
from certificates.models import Certificate, CertificateRevision, CertificateTemplate, RenderStatus


@admin.register(CertificateTemplate)
class CertificateTemplateAdmin(admin.ModelAdmin):
    list_display = ["issuer_name", "organisation", "course", "signer_title", "validity_months",
                    "serial_pattern", "language"]
    search_fields = ["issuer_name", "signer_name"]
    raw_id_fields = ["organisation", "course"]
    exclude = ["signature_image", "seal_image"]  # uploaded through the API (checked there)


class RevisionInline(admin.TabularInline):
    model = CertificateRevision
    extra = 0
    can_delete = False
    fields = ["revision", "serial", "holder_name", "issued_at", "pdf", "reason", "replaced_at"]
    readonly_fields = fields


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["serial", "holder_name", "course_title", "issued_at", "status_label",
                    "render_status", "last_error"]
    list_filter = ["render_status", "manual"]
    search_fields = ["serial", "code", "holder_name"]
    readonly_fields = [f.name for f in Certificate._meta.fields]
    inlines = [RevisionInline]
    actions = ["retry_render"]

    def has_add_permission(self, request):
        return False  # issued by the services only (serial book, audit)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: certificates are records

    @admin.display(description=_("status"))
    def status_label(self, obj: Certificate) -> str:
        return obj.status

    @admin.action(description=_("Retry drawing the PDF"))
    def retry_render(self, request, queryset):
        count = 0
        for pk in queryset.exclude(render_status=RenderStatus.RENDERED).values_list("pk", flat=True):
            services.certificate_retry_render(actor=None, certificate_id=pk)
            count += 1
        messages.success(request, _("%(n)d PDF(s) queued again.") % {"n": count})
