"""Who owns a cohort; which old cohorts were per-unit copies of one class (pure rules)."""

import datetime as dt

from backend.accounts.cohort_rules import (
    CohortFacts,
    common_ancestor,
    generated_code_base,
    import_owner_path,
    per_unit_copies,
)

CENTRAL, MINISTRY, DEPT, MISSION, PROVINCE = "0001.", "0001.0001.", "0001.0001.0001.", \
    "0001.0001.0002.", "0001.0002."
T0 = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)


def test_common_ancestor():
    assert common_ancestor([DEPT, MISSION]) == MINISTRY
    assert common_ancestor([DEPT, PROVINCE]) == CENTRAL
    assert common_ancestor([MISSION]) == MISSION
    assert common_ancestor([MISSION, MINISTRY]) == MINISTRY
    assert common_ancestor(["0001.", "0002."]) == ""
    assert common_ancestor([]) == ""


def test_owner_is_the_importers_subtree_or_for_a_global_admin_the_common_ancestor():
    assert import_owner_path([MINISTRY], [MISSION]) == MINISTRY          # the importer's unit
    assert import_owner_path([MINISTRY], [DEPT, MISSION]) == MINISTRY
    assert import_owner_path([MINISTRY, PROVINCE], [MISSION]) == MINISTRY
    assert import_owner_path(None, [DEPT, MISSION]) == MINISTRY          # global administrator
    assert import_owner_path(None, [MISSION]) == MISSION
    assert import_owner_path([DEPT, MISSION], [DEPT, MISSION]) is None    # two separate subtrees


def facts(pk, name, unit_code, unit_path, minutes=0, code=None):
    return CohortFacts(id=pk, name=name, code=code or generated_code_base(unit_code, name),
                       unit_code=unit_code, unit_path=unit_path,
                       created_at=T0 + dt.timedelta(minutes=minutes))


def test_per_unit_copies_of_one_import_are_grouped():
    copies = [facts(1, "Lớp K1", "dept", DEPT), facts(2, "Lớp K1", "mission", MISSION, 1),
              facts(3, "Lớp K1", "province", PROVINCE, 2)]
    assert [[c.id for c in g] for g in per_unit_copies(copies)] == [[1, 2, 3]]


def test_hand_made_cohorts_separate_imports_and_one_unit_are_left_alone():
    assert per_unit_copies([
        facts(1, "Lớp K1", "dept", DEPT),
        facts(2, "Lớp K1", "mission", MISSION, code="k1-2026"),            # made by hand
    ]) == []
    assert per_unit_copies([
        facts(1, "Lớp K1", "dept", DEPT), facts(2, "Lớp K1", "mission", MISSION, 60 * 24),
    ]) == []                                                             # a day apart
    assert per_unit_copies([facts(1, "Lớp K1", "dept", DEPT),
                            facts(2, "Lớp K2", "mission", MISSION)]) == []
    numbered = facts(2, "Lớp K1", "mission", MISSION, code=generated_code_base("mission", "Lớp K1") + "-2")
    assert len(per_unit_copies([facts(1, "Lớp K1", "dept", DEPT), numbered])) == 1
