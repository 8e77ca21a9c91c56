"""The bench seed command on the test database, with a small N (the load itself never runs here)."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command

from backend.accounts.models import Organisation, Role, RoleAssignment, User
from backend.bench_seeding import BENCH_ADMIN_EMAIL, BENCH_PASSWORD, EMAIL_DOMAIN, seed_steps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bench_on(settings):
    settings.BENCH_ENDPOINTS = True


def seed(**options):
    call_command("bench_seed", stdout=open("/dev/null", "w"), **options)  # noqa: SIM115


def test_steps_are_registered_in_order():
    assert [s.name for s in seed_steps()][:2] == ["organisations", "users"]
    with pytest.raises(KeyError):
        seed_steps({"no-such-step"})


def test_seed_builds_the_tree_and_users_with_roles():
    seed(users=40)
    units = {o.code: o for o in Organisation.objects.filter(code__startswith="bench-")}
    assert len(units) == 341
    kinds = [o.kind for o in units.values()]
    assert kinds.count("mission") == 100 and kinds.count("department") == 180
    for unit in units.values():  # paths hand-computed for bulk_create must match the tree
        if unit.parent_id:
            parent = Organisation.objects.get(pk=unit.parent_id)
            assert unit.path.startswith(parent.path) and unit.depth == parent.depth + 1

    bench_users = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    assert bench_users.count() == 41  # 40 + the administrator
    user = User.objects.get(email="u000001@bench.invalid")
    assert user.check_password(BENCH_PASSWORD)
    assert user.search_name and user.organisation.kind in ("department", "mission")
    assert RoleAssignment.objects.filter(user__in=bench_users).count() == 41
    admin = User.objects.get(email=BENCH_ADMIN_EMAIL)
    assert RoleAssignment.objects.filter(user=admin, role=Role.ADMINISTRATOR, organisation=None).exists()
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()


def test_seed_is_idempotent_and_resettable():
    seed(users=10)
    seed(users=15)
    assert User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count() == 16
    assert Organisation.objects.filter(code__startswith="bench-").count() == 341
    seed(users=5, reset=True)
    assert User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count() == 6


def test_seed_is_refused_outside_bench_or_debug(settings):
    settings.BENCH_ENDPOINTS = False
    settings.DEBUG = False
    with pytest.raises(CommandError):
        seed(users=1)
