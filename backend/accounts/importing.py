"""CSV user import: validate every row first, then write the valid rows.

One implementation serves both callers: the synchronous REST endpoint writes every valid row in
one transaction (`chunk_size=None`); the background job (`backend.accounts.import_jobs`) writes
them in chunks of a few hundred rows, one transaction each, and reports progress after each chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from backend.accounts.cohort_rules import generated_code_base, import_owner_path
from backend.accounts.models import (
    Cohort,
    CohortMembership,
    Organisation,
    Role,
    RoleAssignment,
    User,
)
from backend.accounts.roles import subtree_paths
from backend.accounts.selectors import user_role_scopes
from backend.accounts.services import invitations_send_after_commit
from backend.accounts.text import search_key
from backend.accounts.user_csv import CsvError, CsvRow, parse_users_csv
from backend.audit.api import audit_record

ROLE_NAMES = {
    "trainee": Role.TRAINEE, "hoc vien": Role.TRAINEE, "": Role.TRAINEE,
    "trainer": Role.TRAINER, "giang vien": Role.TRAINER,
    "administrator": Role.ADMINISTRATOR, "admin": Role.ADMINISTRATOR,
    "quan tri": Role.ADMINISTRATOR, "quan tri vien": Role.ADMINISTRATOR,
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: int = 0
    rows: list[dict] = field(default_factory=list)
    written: bool = True
    # The cohorts the file named: id, name, code, unit, size after the import, new or not.
    cohorts: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "errors": self.errors,
                "written": self.written, "rows": self.rows, "cohorts": self.cohorts}


def users_import(*, actor, data: bytes, all_or_nothing: bool = False,
                 chunk_size: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import users from CSV bytes. Raises CsvFileError when the file as a whole is unreadable.

    Rows are checked against the database in a few bulk reads (no query per row) and the
    valid ones written with bulk statements, so 10,000 rows take seconds. New users get an
    unusable password and an invitation e-mail to set their own.

    `chunk_size=None` writes all valid rows in one transaction; a number writes that many rows
    per transaction (a failure then keeps the chunks already written). `progress(done, errors)`
    is called with increments: once after validation for the bad rows, then after each chunk.
    With `all_or_nothing`, any bad row means nothing is written, whatever the chunking.
    """
    parsed = parse_users_csv(data)
    result = ImportResult()
    valid = _validate(actor, parsed, result)
    owners = _cohort_owners(actor, valid, result)
    valid = [v for v in valid if not v[0].cohort or v[0].cohort in owners]
    if progress is not None:
        progress(result.errors, result.errors)
    if result.errors and all_or_nothing:
        result.written = False
        result.rows.sort(key=lambda r: r["row"])
        if progress is not None:
            progress(len(valid), 0)
        return result
    step = chunk_size or max(len(valid), 1)
    cohorts = _CohortsUsed()
    for start in range(0, len(valid), step):
        chunk = valid[start : start + step]
        _write(actor, chunk, result, owners, cohorts)
        if progress is not None:
            progress(len(chunk), 0)
    result.rows.sort(key=lambda r: r["row"])
    result.cohorts = _cohort_summary(cohorts)
    return result


def users_import_total(data: bytes) -> int:
    """How many rows the file holds (what a progress bar counts to); CsvFileError if unreadable."""
    return len(parse_users_csv(data))


def _validate(actor, parsed: list[CsvRow | CsvError], result: ImportResult) -> list[tuple]:
    rows = [r for r in parsed if isinstance(r, CsvRow)]
    units = {o.code: o for o in Organisation.objects.filter(code__in={r.organisation for r in rows})}
    existing = {u.email: u for u in User.objects.filter(email__in={r.email for r in rows})
                .select_related("organisation")}
    scopes = [s for s in user_role_scopes(actor) if s.role == Role.ADMINISTRATOR] if actor else None
    seen: dict[str, int] = {}
    valid = []

    def error(row: int, message: str) -> None:
        result.errors += 1
        result.rows.append({"row": row, "status": "error", "message": message})

    for item in parsed:
        if isinstance(item, CsvError):
            error(item.row, item.message)
            continue
        problem = None
        unit = units.get(item.organisation)
        role = ROLE_NAMES.get(search_key(item.role))
        if not item.email:
            problem = _("E-mail is missing.")
        elif not _is_email(item.email):
            problem = _("“%(email)s” is not a valid e-mail address.") % {"email": item.email}
        elif item.email in seen:
            problem = _("This e-mail address already appears in row %(row)s.") % {"row": seen[item.email]}
        elif not item.full_name:
            problem = _("Full name is missing.")
        elif unit is None:
            problem = _("Unknown organisation code “%(code)s”.") % {"code": item.organisation}
        elif role is None:
            problem = _("Unknown role “%(role)s” (use trainee, trainer or administrator).") % {
                "role": item.role}
        elif scopes is not None and not any(s.covers(unit.path) for s in scopes):
            problem = _("You are not an administrator of unit “%(code)s”.") % {"code": unit.code}
        elif (
            scopes is not None and item.email in existing and existing[item.email].organisation
            and not any(s.covers(existing[item.email].organisation.path) for s in scopes)
        ):
            problem = _("This user belongs to a unit you do not administer.")
        if item.email and item.email not in seen:
            seen[item.email] = item.row
        if problem:
            error(item.row, problem)
        else:
            valid.append((item, unit, role, existing.get(item.email)))
    return valid


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _cohort_owners(actor, valid: list[tuple], result: ImportResult) -> dict[str, Organisation]:
    """Name -> the unit owning the cohort of that name, for the whole file at once (so chunks
    agree): the cohort is one class, whatever units its people belong to (decision 0051).
    An existing cohort of that name above all its rows, which the importer administers, is
    reused (the nearest one); otherwise the owner follows `import_owner_path`. Rows of a name
    no single subtree of the importer holds are refused."""
    rows_of: dict[str, list[tuple]] = {}
    for entry in valid:
        if entry[0].cohort:
            rows_of.setdefault(entry[0].cohort, []).append(entry)
    if not rows_of:
        return {}
    scopes = _admin_paths(actor)
    existing: dict[str, list[Organisation]] = {}
    for cohort in Cohort.objects.filter(name__in=rows_of).select_related("organisation").order_by("pk"):
        existing.setdefault(cohort.name, []).append(cohort.organisation)
    wanted_paths = {}
    for name, entries in rows_of.items():
        paths = [unit.path for _item, unit, _r, _u in entries]
        reusable = [u for u in existing.get(name, [])
                    if all(p.startswith(u.path) for p in paths) and _covers(scopes, u.path)]
        if reusable:
            wanted_paths[name] = max(reusable, key=lambda u: len(u.path)).path
        else:
            wanted_paths[name] = import_owner_path(scopes, paths)
    units = {u.path: u for u in Organisation.objects.filter(
        path__in={p for p in wanted_paths.values() if p})}
    owners: dict[str, Organisation] = {}
    for name, path in wanted_paths.items():
        if path in units:
            owners[name] = units[path]
            continue
        for item, _unit, _role, _user in rows_of[name]:
            result.errors += 1
            result.rows.append({"row": item.row, "status": "error", "message": _(
                "Cohort “%(cohort)s” gathers people of units you administer separately; a "
                "cohort belongs to one unit. Import them under different cohort names, or ask "
                "an administrator of a unit above them.") % {"cohort": name}})
    return owners


def _admin_paths(actor) -> list[str] | None:
    if actor is None:
        return None
    return subtree_paths(user_role_scopes(actor), [Role.ADMINISTRATOR])


def _covers(scopes: list[str] | None, path: str) -> bool:
    return scopes is None or any(path.startswith(s) for s in scopes)


@transaction.atomic
def _write(actor, valid: list[tuple], result: ImportResult, owners: dict[str, Organisation],
           cohorts: _CohortsUsed) -> None:
    new_users, changed = [], []
    for item, unit, _role, user in valid:
        if user is None:
            user = User(email=item.email, full_name=item.full_name, organisation=unit,
                        search_name=search_key(item.full_name))
            user.set_unusable_password()
            new_users.append(user)
        else:
            user.full_name, user.organisation = item.full_name, unit
            user.search_name = search_key(item.full_name)
            changed.append(user)
    User.objects.bulk_create(new_users, batch_size=1000)
    User.objects.bulk_update(changed, ["full_name", "search_name", "organisation"], batch_size=1000)
    by_email = {u.email: u for u in User.objects.filter(email__in=[v[0].email for v in valid])}

    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=by_email[i.email], role=role, organisation=unit)
         for i, unit, role, _u in valid],
        ignore_conflicts=True, batch_size=1000,
    )
    _cohorts_for(actor, valid, owners, cohorts)
    CohortMembership.objects.bulk_create(
        [CohortMembership(cohort=cohorts.by_name[i.cohort], user=by_email[i.email])
         for i, _unit, _r, _u in valid if i.cohort],
        ignore_conflicts=True, batch_size=1000,
    )
    new_emails = {u.email for u in new_users}
    for item, _unit, _role, _user in valid:
        status = "created" if item.email in new_emails else "updated"
        result.rows.append({"row": item.row, "status": status, "email": item.email})
    result.created += len(new_users)
    result.updated += len(changed)
    if valid:
        audit_record(actor=actor, verb="users.imported", target=by_email[valid[0][0].email],
                     details={"created": len(new_users), "updated": len(changed),
                              "errors": result.errors,
                              "roles": sorted({f"{i.email}:{r}@{u.code}" for i, u, r, _x in valid})[:1000]})
    invitations_send_after_commit([by_email[e].pk for e in sorted(new_emails)])


@dataclass
class _CohortsUsed:
    """The cohorts an import has used so far (by name), and which of them it created."""

    by_name: dict[str, Cohort] = field(default_factory=dict)
    new: set[int] = field(default_factory=set)


def _cohorts_for(actor, valid: list[tuple], owners: dict[str, Organisation],
                 cohorts: _CohortsUsed) -> None:
    """The owner's cohort of each name of this chunk, created (and audited) when it does not
    exist yet."""
    for name in {item.cohort for item, _u, _r, _x in valid if item.cohort} - set(cohorts.by_name):
        owner = owners[name]
        cohort = Cohort.objects.filter(organisation=owner, name=name).order_by("pk").first()
        if cohort is None:
            cohort = Cohort.objects.create(name=name, organisation=owner,
                                           code=_cohort_code(owner, name))
            cohorts.new.add(cohort.pk)
            audit_record(actor=actor, verb="cohort.created", target=cohort,
                         details={"organisation": owner.code, "by": "users.import"})
        cohort.organisation = owner
        cohorts.by_name[name] = cohort


def _cohort_summary(cohorts: _CohortsUsed) -> list[dict]:
    """What the result shows of each cohort: its unit and size, so a picker's label matches."""
    used = cohorts.by_name.values()
    sizes = dict(CohortMembership.objects.filter(cohort__in=used, user__is_active=True)
                 .values("cohort").annotate(n=Count("pk")).values_list("cohort", "n"))
    return [{"id": c.pk, "name": c.name, "code": c.code,
             "organisation": {"id": c.organisation.pk, "code": c.organisation.code,
                              "name": c.organisation.name, "kind": c.organisation.kind},
             "size": sizes.get(c.pk, 0), "new": c.pk in cohorts.new}
            for c in sorted(used, key=lambda c: (c.name, c.pk))]


def _cohort_code(unit: Organisation, name: str) -> str:
    base = generated_code_base(unit.code, name)
    code, n = base, 1
    while Cohort.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code
