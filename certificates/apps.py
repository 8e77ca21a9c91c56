from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"

    def ready(self) -> None:
        from django.core import checks

        from certificates.checks import check_pdf_fonts

        checks.register(check_pdf_fonts, "certificates")
