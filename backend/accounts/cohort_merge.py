"""Merging the per-unit copies that the old CSV import made of one class (decision 0051).

Run by migration accounts.0003 (with the historical models) and by tests (with the live ones):
both pass an app registry. Which cohorts are copies is decided by the pure rule
`cohort_rules.per_unit_copies`; the merged cohort belongs to the unit above all the copies.

Nothing is lost: the survivor (the copy already owned by that unit, else the oldest) keeps its
id and code and gains every member of the others; the others are deleted only after their
members moved. Enrolments never pointed at cohorts (enrolling a cohort enrols its members), so
they are untouched. Each merge is written to the audit log with everything needed to undo it
(the merged cohorts' ids, codes, units, creation times and members, the members the survivor
gained, its unit before), and `unmerge` undoes it exactly.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from backend.accounts.cohort_rules import CohortFacts, common_ancestor, per_unit_copies
from backend.accounts.text import search_key

MARK = "accounts.0003_merge_per_unit_cohort_copies"


def merge_per_unit_copies(apps) -> int:
    """Merge every group of per-unit copies; returns how many cohorts were merged away."""
    Cohort = apps.get_model("accounts", "Cohort")
    facts = [CohortFacts(id=c.pk, name=c.name, code=c.code, unit_code=c.organisation.code,
                         unit_path=c.organisation.path, created_at=c.created_at)
             for c in Cohort.objects.select_related("organisation").order_by("pk")]
    merged = 0
    for group in per_unit_copies(facts):
        owner_path = common_ancestor(c.unit_path for c in group)
        if owner_path:
            merged += _merge(apps, group, owner_path)
    return merged


@transaction.atomic
def _merge(apps, group: list[CohortFacts], owner_path: str) -> int:
    Cohort = apps.get_model("accounts", "Cohort")
    Membership = apps.get_model("accounts", "CohortMembership")
    Organisation = apps.get_model("accounts", "Organisation")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    owner = Organisation.objects.get(path=owner_path)
    keep = next((c for c in group if c.unit_path == owner_path), group[0])
    others = [c for c in group if c.id != keep.id]
    survivor = Cohort.objects.select_related("organisation").get(pk=keep.id)
    had = set(Membership.objects.filter(cohort_id=keep.id).values_list("user_id", flat=True))
    records, gained = [], {}
    for other in others:
        rows = list(Membership.objects.filter(cohort_id=other.id).values_list("user_id", "added_at"))
        records.append({"id": other.id, "code": other.code, "name": other.name,
                        "organisation": other.unit_code, "created_at": other.created_at.isoformat(),
                        "members": [[user_id, added.isoformat()] for user_id, added in rows]})
        for user_id, added in rows:
            if user_id not in had:
                gained[user_id] = min(added, gained.get(user_id, added))
    Membership.objects.bulk_create([Membership(cohort_id=keep.id, user_id=u) for u in sorted(gained)],
                                   ignore_conflicts=True, batch_size=1000)
    _keep_added_at(Membership, keep.id, gained)
    Cohort.objects.filter(pk__in=[o.id for o in others]).delete()  # their memberships go with them
    before = survivor.organisation.code
    Cohort.objects.filter(pk=keep.id).update(organisation=owner)
    AuditEntry.objects.create(
        actor=None, actor_label="system", verb="cohort.merged", target_type="accounts.cohort",
        target_id=str(keep.id), target_label=survivor.name[:255],
        details={"migration": MARK, "organisation": [before, owner.code], "merged": records,
                 "gained": sorted(gained)})
    return len(others)


def unmerge(apps) -> int:
    """Undo every merge `merge_per_unit_copies` recorded: the merged cohorts come back with
    their ids, codes, units and members; the survivor returns to its unit and loses the members
    it gained. Returns how many cohorts were restored."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    restored = 0
    for entry in AuditEntry.objects.filter(verb="cohort.merged", details__migration=MARK).order_by("-pk"):
        restored += _unmerge(apps, entry)
    return restored


@transaction.atomic
def _unmerge(apps, entry) -> int:
    Cohort = apps.get_model("accounts", "Cohort")
    Membership = apps.get_model("accounts", "CohortMembership")
    Organisation = apps.get_model("accounts", "Organisation")
    survivor_id = int(entry.target_id)
    if not Cohort.objects.filter(pk=survivor_id).exists():
        return 0
    details = entry.details
    units = {u.code: u for u in Organisation.objects.filter(
        code__in=[details["organisation"][0], *[m["organisation"] for m in details["merged"]]])}
    Membership.objects.filter(cohort_id=survivor_id, user_id__in=details["gained"]).delete()
    Cohort.objects.filter(pk=survivor_id).update(organisation=units[details["organisation"][0]])
    for record in details["merged"]:
        if Cohort.objects.filter(pk=record["id"]).exists() or record["organisation"] not in units:
            continue
        cohort = Cohort.objects.create(
            id=record["id"], code=record["code"], name=record["name"],
            organisation=units[record["organisation"]],
            search_key=search_key(f"{record['name']} {record['code']}")[:400])
        Cohort.objects.filter(pk=cohort.pk).update(
            created_at=dt.datetime.fromisoformat(record["created_at"]))
        members = {user_id: dt.datetime.fromisoformat(added) for user_id, added in record["members"]}
        Membership.objects.bulk_create([Membership(cohort_id=cohort.pk, user_id=u) for u in members],
                                       ignore_conflicts=True, batch_size=1000)
        _keep_added_at(Membership, cohort.pk, members)
    return len(details["merged"])


def _keep_added_at(Membership, cohort_id: int, added: dict) -> None:
    """bulk_create stamps `added_at` now (auto_now_add): give moved members their own date."""
    rows = list(Membership.objects.filter(cohort_id=cohort_id, user_id__in=list(added)))
    for row in rows:
        row.added_at = added[row.user_id]
    Membership.objects.bulk_update(rows, ["added_at"], batch_size=1000)
