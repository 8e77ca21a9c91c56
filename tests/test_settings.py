"""Production mode refuses to start without its required variables, and passes --deploy checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROD = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "elearning.example.vn",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/ttdn"}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items()
            if k not in {"DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL",
                         "DJANGO_TESTING", "DJANGO_DEMO_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PROD.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_settings_pass_the_deploy_checks(settings, tmp_path):
    from certificates.credentials import keys
    from tests.certificates.pades_helpers import ministry_identity

    keys.generate("key-prod")  # production must be given a credential signing key (E002)
    ministry_identity(tmp_path / "signing" / "default")  # and a PDF signing identity (E003)
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PROD,
                    CREDENTIALS_KEYS_DIR=str(settings.CREDENTIALS_KEYS_DIR),
                    CERTIFICATES_SIGNING_DIR=str(tmp_path / "signing"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_credential_key(tmp_path):
    result = manage("check", **PROD, CREDENTIALS_KEYS_DIR=str(tmp_path / "empty"))
    assert result.returncode != 0
    assert "certificates.E002" in result.stderr and "credentials_keygen" in result.stderr


def test_deploy_checks_refuse_demo_mode_in_production():
    """Demo mode turns MFA off for staff: `check --deploy` must say so and fail."""
    result = manage("check", "--deploy", **PROD, DJANGO_DEMO_MODE="1")
    assert result.returncode != 0
    assert "accounts.E001" in result.stderr + result.stdout


def test_demo_mode_while_developing_is_not_a_deploy_error():
    result = manage("check", "--deploy", DJANGO_DEBUG="1", DJANGO_DEMO_MODE="1")
    assert "accounts.E001" not in result.stderr + result.stdout
