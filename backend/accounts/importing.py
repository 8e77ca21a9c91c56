"""CSV user import: validate every row first, then write the valid rows.

One implementation serves both callers: the synchronous REST endpoint writes every valid row in
one transaction (`users_import`); the background job (`backend.accounts.import_jobs`) plans the
file once, then writes it a slice of file rows at a time with `users_import_write`, one
transaction per slice, recording each slice as done in that same transaction (so a resumed job
never writes a row twice).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from backend.accounts import auth_cache
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


@dataclass(frozen=True)
class PlannedRow:
    """One data row of the file: what to write (`valid`) or why not (`error`)."""

    row: int
    # (CsvRow, unit, role, existing user or None, the unit owning its cohort or None)
    valid: tuple | None = None
    error: str = ""
    cohort_existed: bool = False  # its cohort existed before the import (the result says "new")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: int = 0
    rows: list[dict] = field(default_factory=list)
    written: bool = True
    # The cohorts the file named: id, name, code, unit, size after the import, new or not.
    cohorts: list[dict] = field(default_factory=list)

    @classmethod
    def from_rows(cls, rows: list[dict], *, written: bool = True) -> ImportResult:
        rows = sorted(rows, key=lambda r: r["row"])
        count = {status: sum(1 for r in rows if r["status"] == status)
                 for status in ("created", "updated", "error")}
        return cls(created=count["created"], updated=count["updated"], errors=count["error"],
                   rows=rows, written=written)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "errors": self.errors,
                "written": self.written, "rows": self.rows, "cohorts": self.cohorts}


def users_import(*, actor, data: bytes, all_or_nothing: bool = False) -> ImportResult:
    """Import users from CSV bytes in one transaction. Raises CsvFileError when the file as a
    whole is unreadable.

    Rows are checked against the database in a few bulk reads (no query per row) and the
    valid ones written with bulk statements, so 10,000 rows take seconds. New users get an
    unusable password and an invitation e-mail to set their own. With `all_or_nothing`, any bad
    row means nothing is written.
    """
    plan = users_import_plan(actor=actor, data=data)
    if all_or_nothing and any(r.error for r in plan):
        return refused_result(plan)
    result = ImportResult.from_rows(users_import_write(actor=actor, rows=plan))
    result.cohorts = cohorts_summary(plan)
    return result


def users_import_plan(*, actor, data: bytes) -> list[PlannedRow]:
    """Every data row of the file, in file order, validated (reads only), each with the unit
    that owns its cohort (decided for the whole file, so every slice agrees). CsvFileError if
    the file cannot be read at all."""
    return _plan_cohorts(actor, _validate(actor, parse_users_csv(data)))


def refused_result(plan: list[PlannedRow]) -> ImportResult:
    """All or nothing with bad rows: the errors, and nothing written."""
    return ImportResult.from_rows([_error_row(r) for r in plan if r.error], written=False)


@transaction.atomic
def users_import_write(*, actor, rows: list[PlannedRow]) -> list[dict]:
    """Write the valid rows among `rows` (one transaction); the result of each row."""
    valid = [r.valid for r in rows if r.valid is not None]
    errors = [_error_row(r) for r in rows if r.error]
    return sorted(errors + (_write(actor, valid, errors=len(errors)) if valid else []),
                  key=lambda r: r["row"])


def users_import_total(data: bytes) -> int:
    """How many rows the file holds (what a progress bar counts to); CsvFileError if unreadable."""
    return len(parse_users_csv(data))


def _error_row(planned: PlannedRow) -> dict:
    return {"row": planned.row, "status": "error", "message": planned.error}


def _validate(actor, parsed: list[CsvRow | CsvError]) -> list[PlannedRow]:
    rows = [r for r in parsed if isinstance(r, CsvRow)]
    units = {o.code: o for o in Organisation.objects.filter(code__in={r.organisation for r in rows})}
    existing = {u.email: u for u in User.objects.filter(email__in={r.email for r in rows})
                .select_related("organisation")}
    scopes = [s for s in user_role_scopes(actor) if s.role == Role.ADMINISTRATOR] if actor else None
    seen: dict[str, int] = {}
    plan = []
    for item in parsed:
        if isinstance(item, CsvError):
            plan.append(PlannedRow(row=item.row, error=item.message))
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
            plan.append(PlannedRow(row=item.row, error=problem))
        else:
            plan.append(PlannedRow(row=item.row, valid=(item, unit, role, existing.get(item.email),
                                                         None)))
    return plan


def _plan_cohorts(actor, plan: list[PlannedRow]) -> list[PlannedRow]:
    """The unit owning each cohort the file names: one cohort per name, whatever units its
    people belong to (decision 0051). An existing cohort of that name above all its rows, in a
    unit the importer administers, is used (the nearest); otherwise the owner follows
    `import_owner_path`. Rows of a name that no single subtree of the importer holds are
    refused."""
    rows_of: dict[str, list[PlannedRow]] = {}
    for planned in plan:
        if planned.valid is not None and planned.valid[0].cohort:
            rows_of.setdefault(planned.valid[0].cohort, []).append(planned)
    if not rows_of:
        return plan
    scopes = None if actor is None else subtree_paths(user_role_scopes(actor), [Role.ADMINISTRATOR])
    existing: dict[str, list[Organisation]] = {}
    for cohort in Cohort.objects.filter(name__in=rows_of).select_related("organisation").order_by("pk"):
        existing.setdefault(cohort.name, []).append(cohort.organisation)
    wanted: dict[str, tuple[str | None, bool]] = {}  # name -> (owner's path, the cohort exists)
    for name, rows in rows_of.items():
        paths = [r.valid[1].path for r in rows]
        reusable = [u for u in existing.get(name, []) if all(p.startswith(u.path) for p in paths)
                    and (scopes is None or any(u.path.startswith(s) for s in scopes))]
        wanted[name] = ((max(reusable, key=lambda u: len(u.path)).path, True) if reusable
                        else (import_owner_path(scopes, paths), False))
    owners = {u.path: u for u in Organisation.objects.filter(
        path__in={path for path, _exists in wanted.values() if path})}
    replaced: dict[int, PlannedRow] = {}
    for name, rows in rows_of.items():
        path, exists = wanted[name]
        owner = owners.get(path)
        for planned in rows:
            replaced[planned.row] = (
                PlannedRow(row=planned.row, valid=(*planned.valid[:4], owner), cohort_existed=exists)
                if owner is not None else PlannedRow(row=planned.row, error=_(
                    "Cohort “%(cohort)s” gathers people of units you administer separately; a "
                    "cohort belongs to one unit. Import them under different cohort names, or "
                    "ask an administrator of a unit above them.") % {"cohort": name}))
    return [replaced.get(p.row, p) for p in plan]


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _write(actor, valid: list[tuple], *, errors: int) -> list[dict]:
    new_users, changed = [], []
    for item, unit, _role, user, _owner in valid:
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
         for i, unit, role, _u, _o in valid],
        ignore_conflicts=True, batch_size=1000,
    )
    cohorts = _cohorts_for(actor, valid)
    CohortMembership.objects.bulk_create(
        [CohortMembership(cohort=cohorts[i.cohort], user=by_email[i.email])
         for i, _unit, _r, _u, _o in valid if i.cohort],
        ignore_conflicts=True, batch_size=1000,
    )
    # bulk_create and bulk_update send no signals: forget the facts of everyone written.
    auth_cache.invalidate_many([u.pk for u in by_email.values()])
    new_emails = {u.email for u in new_users}
    audit_record(actor=actor, verb="users.imported", target=by_email[valid[0][0].email],
                 details={"created": len(new_users), "updated": len(changed), "errors": errors,
                          "roles": sorted({f"{i.email}:{r}@{u.code}" for i, u, r, _x, _o in valid})[:1000]})
    invitations_send_after_commit([by_email[e].pk for e in sorted(new_emails)])
    return [{"row": item.row, "status": "created" if item.email in new_emails else "updated",
             "email": item.email} for item, _unit, _role, _user, _owner in valid]


def _cohorts_for(actor, valid: list[tuple]) -> dict[str, Cohort]:
    """Name -> the owner's cohort of that name, created (and audited) when it does not exist
    yet; a later slice of the same import finds the one an earlier slice made."""
    owners = {item.cohort: owner for item, _u, _r, _x, owner in valid if item.cohort}
    found: dict[str, Cohort] = {}
    for name, owner in owners.items():
        cohort = Cohort.objects.filter(organisation=owner, name=name).order_by("pk").first()
        if cohort is None:
            cohort = Cohort.objects.create(name=name, organisation=owner,
                                           code=_cohort_code(owner, name))
            audit_record(actor=actor, verb="cohort.created", target=cohort,
                         details={"organisation": owner.code, "by": "users.import"})
        found[name] = cohort
    return found


def cohorts_summary(plan: list[PlannedRow]) -> list[dict]:
    """The cohorts a (written) import used, as the result shows them: unit and size (active
    members), like every cohort picker, and whether the import created them."""
    wanted = {(p.valid[0].cohort, p.valid[4].pk): p.cohort_existed
              for p in plan if p.valid is not None and p.valid[0].cohort}
    if not wanted:
        return []
    cohorts = [c for c in Cohort.objects.filter(name__in={n for n, _o in wanted},
                                                organisation_id__in={o for _n, o in wanted})
               .select_related("organisation").annotate(
                   size=Count("members", filter=Q(members__is_active=True))).order_by("name", "pk")
               if (c.name, c.organisation_id) in wanted]
    first = {}
    for cohort in cohorts:  # the owner's first cohort of that name is the one rows went into
        first.setdefault((cohort.name, cohort.organisation_id), cohort)
    return [{"id": c.pk, "name": c.name, "code": c.code,
             "organisation": {"id": c.organisation.pk, "code": c.organisation.code,
                              "name": c.organisation.name, "kind": c.organisation.kind},
             "size": c.size, "new": not wanted[key]} for key, c in first.items()]


def _cohort_code(unit: Organisation, name: str) -> str:
    base = generated_code_base(unit.code, name)
    code, n = base, 1
    while Cohort.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code
