"""The old import's per-unit copies of one class are merged, members kept; undone exactly."""

import datetime as dt

from django.apps import apps
from django.utils import timezone

from backend.accounts.cohort_merge import merge_per_unit_copies, unmerge
from backend.accounts.cohort_rules import generated_code_base
from backend.accounts.models import Cohort, CohortMembership
from backend.audit.models import AuditEntry
from tests.factories import CohortFactory, UserFactory


def copy_of(name, unit, *members, minutes=0, code=None):
    """A cohort as the old import made it: code from the unit and the name, people of that unit."""
    cohort = CohortFactory(name=name, organisation=unit, code=code or generated_code_base(unit.code, name))
    Cohort.objects.filter(pk=cohort.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3) + dt.timedelta(minutes=minutes))
    for person in members:
        CohortMembership.objects.create(cohort=cohort, user=person)
    return cohort


def members(cohort_id) -> set[int]:
    return set(CohortMembership.objects.filter(cohort_id=cohort_id).values_list("user_id", flat=True))


def test_copies_of_one_import_become_one_cohort_above_them_and_back(tree):
    a, b, c = (UserFactory(organisation=tree[u]) for u in ("dept", "mission", "mission"))
    dept = copy_of("Lớp TTĐN K1", tree["dept"], a)
    mission = copy_of("Lớp TTĐN K1", tree["mission"], b, c, minutes=1)
    alone = copy_of("Lớp TTĐN K1", tree["province"], UserFactory(organisation=tree["province"]),
                    minutes=60 * 24)                          # another import, a day later
    by_hand = CohortFactory(name="Lớp TTĐN K1", organisation=tree["dept"], code="k1-tay")
    added_at = CohortMembership.objects.get(cohort=mission, user=b).added_at

    assert merge_per_unit_copies(apps) == 1
    merged = Cohort.objects.get(pk=dept.pk)                   # the oldest copy survives, code kept
    assert merged.organisation == tree["ministry"] and merged.code == dept.code
    assert members(merged.pk) == {a.pk, b.pk, c.pk}
    assert CohortMembership.objects.get(cohort=merged, user=b).added_at == added_at
    assert not Cohort.objects.filter(pk=mission.pk).exists()
    assert Cohort.objects.filter(pk__in=[alone.pk, by_hand.pk]).count() == 2
    entry = AuditEntry.objects.get(verb="cohort.merged")
    assert entry.target_id == str(dept.pk) and entry.details["organisation"] == ["dept", "ministry"]
    assert merge_per_unit_copies(apps) == 0                   # nothing left to merge

    assert unmerge(apps) == 1
    assert Cohort.objects.get(pk=dept.pk).organisation == tree["dept"]
    restored = Cohort.objects.get(pk=mission.pk)
    assert (restored.code, restored.organisation) == (mission.code, tree["mission"])
    assert members(dept.pk) == {a.pk} and members(mission.pk) == {b.pk, c.pk}
    assert CohortMembership.objects.get(cohort=restored, user=b).added_at == added_at
    assert restored.search_key is not None


def test_a_copy_already_owned_by_the_unit_above_survives(tree):
    top = copy_of("Lớp K3", tree["ministry"], UserFactory(organisation=tree["ministry"]), minutes=5)
    copy_of("Lớp K3", tree["mission"], UserFactory(organisation=tree["mission"]))
    merge_per_unit_copies(apps)
    assert list(Cohort.objects.filter(name="Lớp K3").values_list("pk", "organisation")) == [
        (top.pk, tree["ministry"].pk)]
    assert len(members(top.pk)) == 2
