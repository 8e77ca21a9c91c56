import pytest


@pytest.fixture(autouse=True)
def _no_mfa_gate(settings):
    """The MFA set-up gate has its own tests; these pages are tested behind it."""
    settings.MFA_REQUIRED_ROLES = []


@pytest.fixture
def signed_in(client):
    """sign_in(user, language="en"): the client signed in as `user`, whose saved language
    (which decides the pages' language, decision 0050) is set first."""
    def sign_in(user, language="en"):
        user.language = language
        user.save()
        client.force_login(user)
        return client
    return sign_in
