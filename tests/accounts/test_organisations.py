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
