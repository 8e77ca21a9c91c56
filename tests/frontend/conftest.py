import pytest


@pytest.fixture(autouse=True)
def _no_mfa_gate(settings):
    """The MFA set-up gate has its own tests; these pages are tested behind it."""
    settings.MFA_REQUIRED_ROLES = []
