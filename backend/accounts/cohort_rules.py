"""Who owns a cohort, and which old cohorts were per-unit copies of one class (decision 0051).

Pure rules over unit paths (materialised paths such as "0001.0003."); no ORM, no request.
A cohort is one training class (lớp bồi dưỡng) that may gather people of several units; it
belongs to one unit, whose administrators manage it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from backend.accounts.text import search_key

# Cohorts created by one import were written within this time of each other.
SAME_IMPORT_WINDOW = dt.timedelta(minutes=15)


def common_ancestor(paths: Iterable[str]) -> str:
    """The deepest unit above (or equal to) every given unit: '0001.0002.' and '0001.0003.'
    give '0001.'. Units of two different trees have no common ancestor: ''."""
    split = [p.rstrip(".").split(".") for p in paths]
    if not split:
        return ""
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if any(part != parts[0] for part in parts):
            break
        common.append(parts[0])
    return ".".join(common) + "." if common else ""


def import_owner_path(admin_paths: list[str] | None, row_paths: Iterable[str]) -> str | None:
    """The unit a cohort named in an import belongs to, given the units of the rows naming it:
    - an administrator of a subtree: the root of their subtree that holds every row (the
      importing administrator's unit: the class is theirs, whichever of their units its people
      come from);
    - a global administrator (`admin_paths is None`): the deepest unit above every row;
    - None when no single subtree of the administrator holds them all (their scopes are two
      separate subtrees): the rows are refused rather than the class split in two."""
    rows = list(row_paths)
    if admin_paths is None:
        return common_ancestor(rows) or None
    covering = [p for p in admin_paths if all(r.startswith(p) for r in rows)]
    return max(covering, key=len) if covering else None


def generated_code_base(unit_code: str, name: str) -> str:
    """The code the CSV import gives a cohort it creates (before a '-2', '-3' suffix)."""
    return f"{unit_code}-{search_key(name).replace(' ', '-')}"[:70]


@dataclass(frozen=True)
class CohortFacts:
    id: int
    name: str
    code: str
    unit_code: str
    unit_path: str
    created_at: dt.datetime


def made_by_import(cohort: CohortFacts) -> bool:
    base = generated_code_base(cohort.unit_code, cohort.name)
    return cohort.code == base or re.fullmatch(re.escape(base) + r"-\d+", cohort.code) is not None


def per_unit_copies(cohorts: Iterable[CohortFacts],
                    window: dt.timedelta = SAME_IMPORT_WINDOW) -> list[list[CohortFacts]]:
    """Groups of cohorts that one import made as per-unit copies of one class: the same name,
    codes the import generated, in different units, created within `window` of each other.
    Cohorts created by hand (their own codes) and same-named classes of separate imports are
    left alone: two provinces may well each run their own "Lớp K1"."""
    by_name: dict[str, list[CohortFacts]] = {}
    for cohort in cohorts:
        if made_by_import(cohort):
            by_name.setdefault(cohort.name, []).append(cohort)
    groups: list[list[CohortFacts]] = []
    for same_name in by_name.values():
        same_name.sort(key=lambda c: (c.created_at, c.id))
        cluster = [same_name[0]]
        for cohort in same_name[1:]:
            if cohort.created_at - cluster[-1].created_at <= window:
                cluster.append(cohort)
            else:
                groups.append(cluster)
                cluster = [cohort]
        groups.append(cluster)
    return [g for g in groups if len({c.unit_path for c in g}) > 1]
