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
from django.utils.translation import gettext as _

from backend.accounts.models import (
    Cohort,
    CohortMembership,
    Organisation,
    Role,
    RoleAssignment,
    User,
)
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
    valid: tuple | None = None  # (CsvRow, unit, role, existing user or None)
    error: str = ""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: int = 0
    rows: list[dict] = field(default_factory=list)
    written: bool = True

    @classmethod
    def from_rows(cls, rows: list[dict], *, written: bool = True) -> ImportResult:
        rows = sorted(rows, key=lambda r: r["row"])
        count = {status: sum(1 for r in rows if r["status"] == status)
                 for status in ("created", "updated", "error")}
        return cls(created=count["created"], updated=count["updated"], errors=count["error"],
                   rows=rows, written=written)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "errors": self.errors,
                "written": self.written, "rows": self.rows}


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
    return ImportResult.from_rows(users_import_write(actor=actor, rows=plan))


def users_import_plan(*, actor, data: bytes) -> list[PlannedRow]:
    """Every data row of the file, in file order, validated (reads only). CsvFileError if the
    file cannot be read at all."""
    return _validate(actor, parse_users_csv(data))


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
            plan.append(PlannedRow(row=item.row, valid=(item, unit, role, existing.get(item.email))))
    return plan


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _write(actor, valid: list[tuple], *, errors: int) -> list[dict]:
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
    cohorts = _cohorts_for(valid)
    CohortMembership.objects.bulk_create(
        [CohortMembership(cohort=cohorts[(unit.pk, i.cohort)], user=by_email[i.email])
         for i, unit, _r, _u in valid if i.cohort],
        ignore_conflicts=True, batch_size=1000,
    )
    new_emails = {u.email for u in new_users}
    audit_record(actor=actor, verb="users.imported", target=by_email[valid[0][0].email],
                 details={"created": len(new_users), "updated": len(changed), "errors": errors,
                          "roles": sorted({f"{i.email}:{r}@{u.code}" for i, u, r, _x in valid})[:1000]})
    invitations_send_after_commit([by_email[e].pk for e in sorted(new_emails)])
    return [{"row": item.row, "status": "created" if item.email in new_emails else "updated",
             "email": item.email} for item, _unit, _role, _user in valid]


def _cohorts_for(valid: list[tuple]) -> dict[tuple[int, str], Cohort]:
    """Cohorts named in the file, per unit; a name not seen before becomes a new cohort."""
    wanted = {(unit.pk, item.cohort): unit for item, unit, _r, _u in valid if item.cohort}
    found = {(c.organisation_id, c.name): c for c in Cohort.objects.filter(
        organisation_id__in={k[0] for k in wanted}, name__in={k[1] for k in wanted})}
    for key, unit in wanted.items():
        if key not in found:
            found[key] = Cohort.objects.create(
                name=key[1], organisation=unit, code=_cohort_code(unit, key[1]))
    return found


def _cohort_code(unit: Organisation, name: str) -> str:
    base = f"{unit.code}-{search_key(name).replace(' ', '-')}"[:70]
    code, n = base, 1
    while Cohort.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code
