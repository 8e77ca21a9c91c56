from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from django.core import checks

        from backend.jobs.api import register_recovery
        from certificates.bulk import JOB_KIND, bulk_issue_requeue
        from certificates.checks import (
            check_credential_keys,
            check_pdf_fonts,
            check_pdf_signing,
            require_fonts_in_production,
        )
        from certificates.receivers import connect
        from certificates.reminders import register

        checks.register(check_pdf_fonts, "certificates")
        checks.register(check_credential_keys, "certificates")
        checks.register(check_pdf_signing, "certificates")
        require_fonts_in_production()
        connect()
        register_recovery(JOB_KIND, resume=bulk_issue_requeue)
        register()
