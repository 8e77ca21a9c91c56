import os
import shutil

import pytest

from certificates import fonts
from certificates.pades import identity


def _missing(reason: str):
    """Skip locally; under CI=true a missing tool or font is a failure, not a skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required under CI: `make test` installs it)")
    pytest.skip(reason)


@pytest.fixture
def poppler():
    """pdftotext/pdfinfo from Debian poppler-utils."""
    for tool in ("pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            _missing(f"{tool} (poppler-utils) is not installed")


@pytest.fixture
def vietnamese_font():
    if fonts.check_fonts():
        _missing("no Vietnamese-capable TTF in PDF_FONT_DIRS (run `cd frontend && npm ci --ignore-scripts`)")


@pytest.fixture
def signing(tmp_path, settings):
    """Signing on, into a fresh directory (the demo CA is made there on first use)."""
    settings.CERTIFICATES_SIGN_PDFS = True
    settings.CERTIFICATES_SIGNING_DIR = tmp_path / "signing"
    settings.CERTIFICATES_SIGNING_DEMO = True
    settings.CERTIFICATES_TRUST_ROOTS = []
    settings.CERTIFICATES_TSA_URL = ""
    identity.reset()
    yield settings.CERTIFICATES_SIGNING_DIR
    identity.reset()
