from django.db.models import Q

from backend.accounts.models import Organisation
from tests.factories import OrganisationFactory


def test_paths_make_subtree_a_prefix_query(tree):
    ministry = tree["ministry"]
    codes = set(Organisation.objects.filter(ministry.subtree_filter()).values_list("code", flat=True))
    assert codes == {"ministry", "dept", "mission"}
    assert tree["mission"].depth == 2


def test_moving_a_unit_moves_its_subtree(tree):
    ministry = tree["ministry"]
    ministry.parent = tree["province"]
    ministry.save()
    mission = Organisation.objects.get(code="mission")
    assert mission.path.startswith(tree["province"].path)
    assert mission.depth == 3
    province = tree["province"]
    assert set(Organisation.objects.filter(province.subtree_filter())
               .values_list("code", flat=True)) == {"province", "ministry", "dept", "mission"}


def test_siblings_get_distinct_paths(db):
    root = OrganisationFactory(kind="central")
    children = [OrganisationFactory(parent=root) for _ in range(12)]
    assert len({c.path for c in children}) == 12


def test_everywhere_still_means_everything_when_combined_with_another_condition(tree):
    """path_q(None) used to be Q(), which disappears in an OR: global staff then saw only the
    other branch (e.g. courses of their own unit instead of all drafts)."""
    from backend.accounts.selectors import path_q

    everything = Organisation.objects.count()
    assert Organisation.objects.filter(path_q(None) | Q(code="nowhere")).count() == everything
    assert Organisation.objects.filter(path_q([]) | Q(code="dept")).count() == 1
