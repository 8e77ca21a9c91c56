"""System checks: a production server must not start without a Vietnamese-capable PDF font."""

from django.conf import settings
from django.core.checks import Error, Warning

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
