"""System checks: a production server must not start without a Vietnamese-capable PDF font, nor
without a key to sign Open Badges credentials."""

from django.conf import settings
from django.core.checks import Error, Warning
from django.core.exceptions import ImproperlyConfigured

from certificates.fonts import check_fonts


def check_pdf_fonts(app_configs=None, **kwargs):
    """certificates.E001 in production (DEBUG off), certificates.W001 while developing.

    Registered as an ordinary (not deploy-only) check so `migrate`, `runserver` and
    `check --deploy` all refuse to go on in production instead of issuing certificates with boxes.
    """
    problems = check_fonts()
    if not problems:
        return []
    hint = "\n".join(problems[1:]) or None
    if settings.DEBUG:
        return [Warning(problems[0], hint=hint, id="certificates.W001")]
    return [Error(problems[0], hint=hint, id="certificates.E001")]


def require_fonts_in_production() -> None:
    """Called from AppConfig.ready(): gunicorn and Celery workers never run system checks, so in
    production (DEBUG off, not under tests) a missing font must stop the process right here."""
    if settings.DEBUG or getattr(settings, "TESTING", False):
        return
    problems = check_fonts()
    if problems:
        raise ImproperlyConfigured(" ".join(problems))


def check_credential_keys(app_configs=None, **kwargs):
    """certificates.E002 when no key can sign credentials and none will be generated (production:
    CREDENTIALS_DEMO_KEY off); developing, a demo key is made on first use, so no message."""
    from certificates.credentials import keys

    if settings.CREDENTIALS_DEMO_KEY and not settings.CREDENTIALS_ACTIVE_KEY:
        return []
    problem = keys.problem()
    if not problem:
        return []
    return [Error(problem, hint="Create one with `manage.py credentials_keygen` (see "
                               "docs/certificates.md, 'Keys'), or point CREDENTIALS_KEYS_DIR at "
                               "the directory that holds the keys.", id="certificates.E002")]
def check_pdf_signing(app_configs=None, **kwargs):
    """certificates.E003: signing is on (the default) but the signing identity or a configured
    trust root is missing. Production never falls back to the demo CA (decision 0067)."""
    from certificates.pades.identity import problems

    found = problems()
    if not found:
        return []
    hint = ("Put key.pem, cert.pem and chain.pem under CERTIFICATES_SIGNING_DIR/default/ "
            "(docs/certificates.md, 'Digitally signed PDFs'), or set CERTIFICATES_SIGN_PDFS=false.")
    return [Error(problem, hint=hint, id="certificates.E003") for problem in found]
