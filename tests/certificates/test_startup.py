"""Production refuses to start without a Vietnamese font (gunicorn and Celery run no checks)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from certificates.checks import require_fonts_in_production

ROOT = Path(__file__).resolve().parents[2]


def test_ready_check_raises_in_production_only(settings, tmp_path):
    settings.PDF_FONT_DIRS = [tmp_path]
    settings.DEBUG, settings.TESTING = False, False
    with pytest.raises(ImproperlyConfigured, match="No TrueType font covering Vietnamese"):
        require_fonts_in_production()
    settings.DEBUG = True
    require_fonts_in_production()  # developing: the system check only warns


def _start(tmp_path, font_dirs: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "localhost",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PDF_FONT_DIRS": font_dirs,
           "DJANGO_SETTINGS_MODULE": "backend.settings"}
    env.pop("DJANGO_TESTING", None)
    # What gunicorn does first: load the WSGI application (django.setup() runs ready()).
    return subprocess.run([sys.executable, "-c", "import backend.wsgi"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_wsgi_start_fails_without_font_and_succeeds_with_one(tmp_path):
    missing = _start(tmp_path, str(tmp_path / "no-fonts-here"))
    assert missing.returncode != 0 and "ImproperlyConfigured" in missing.stderr
    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists():
        pytest.skip("no system DejaVu to prove the good case")
    assert _start(tmp_path, "/usr/share/fonts/truetype/dejavu").returncode == 0
