import os

import pytest
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from backend.accounts.models import Role
from tests.factories import OrganisationFactory, user_with_role

# Suites that take minutes each: `make test` runs `-m "not slow"`, `make test-slow` runs `-m slow`,
# and .ci/run runs both (decision 0073). Whole files, by path from the repository root; the list
# comes from `pytest --durations` of the full suite (tests that drive many pages in a browser,
# and the schemathesis run over every operation).
SLOW_SUITES = (
    "tests/api/test_fuzz.py",
    "tests/e2e/test_accessibility.py",
    "tests/e2e/test_content_security_policy.py",
    "tests/e2e/test_empty_lists.py",
    "tests/e2e/test_journeys.py",
    "tests/e2e/test_no_english.py",
    "tests/e2e/test_screenshots.py",
    "tests/e2e/test_translations.py",
)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = os.path.relpath(str(item.path), ROOT).replace(os.sep, "/")
        if path in SLOW_SUITES:
            item.add_marker(pytest.mark.slow)


# CI runs property tests with a fixed seed sequence, so a run is repeatable; locally they explore.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Credential signing keys too: each test starts without one (a demo key is made on first use).
    settings.CREDENTIALS_KEYS_DIR = tmp_path / "credential-keys"


@pytest.fixture(autouse=True)
def _fresh_auth_cache():
    """Each test starts with no cached auth facts (decision 0069): the database rolls back
    between tests, the in-memory cache does not."""
    from django.core.cache import cache

    from backend.accounts import auth_cache

    cache.delete(auth_cache.GENERATION_KEY)  # the next read starts a new generation


@pytest.fixture(autouse=True)
def _mfa_as_in_demo_mode(settings):
    """Staff work without TOTP unless a test asks for the production rule (tests of MFA do)."""
    settings.MFA_REQUIRED_ROLES = []


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def tree(db):
    """central > ministry > (department, mission); province beside the ministry."""
    central = OrganisationFactory(code="central", name="Ban Trung ương", kind="central")
    ministry = OrganisationFactory(code="ministry", name="Bộ Ngoại giao", kind="ministry",
                                   parent=central)
    department = OrganisationFactory(code="dept", name="Vụ Thông tin Báo chí", kind="department",
                                     parent=ministry)
    mission = OrganisationFactory(code="mission", name="Đại sứ quán tại Pháp", kind="mission",
                                  parent=ministry)
    province = OrganisationFactory(code="province", name="Tỉnh Quảng Ninh", kind="province",
                                   parent=central)
    return {"central": central, "ministry": ministry, "dept": department, "mission": mission,
            "province": province}


@pytest.fixture
def admin_user(tree):
    """Administrator over the ministry subtree (not the province)."""
    return user_with_role(Role.ADMINISTRATOR, tree["ministry"])


@pytest.fixture
def global_admin(db):
    return user_with_role(Role.ADMINISTRATOR, None)


@pytest.fixture
def trainee(tree):
    return user_with_role(Role.TRAINEE, tree["mission"])
