"""Reading the user-import CSV: bytes in, one parsed row or one error per line out. No ORM."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from backend.accounts.text import normalise_name, search_key
from backend.api.untrusted import InputError, check_text_file

# Accepted header spellings (compared accent- and case-free) for each column.
HEADERS = {
    "email": {"email", "e-mail", "e mail", "thu dien tu", "dia chi e-mail", "dia chi email"},
    "full_name": {"full name", "full_name", "name", "ho va ten", "ho ten", "ten"},
    "organisation": {"organisation", "organization", "organisation code", "organisation_code",
                     "org", "don vi", "ma don vi"},
    "role": {"role", "vai tro"},
    "cohort": {"cohort", "lop", "lop boi duong", "nhom"},
}
REQUIRED = ("email", "full_name", "organisation")
# The headers of the sample file offered on the import page (each one is in HEADERS above).
SAMPLE_HEADERS = ("Địa chỉ e-mail", "Họ và tên", "Mã đơn vị", "Vai trò", "Lớp bồi dưỡng")


@dataclass(frozen=True)
class CsvRow:
    row: int  # line number in the file, the header being row 1
    email: str
    full_name: str
    organisation: str
    role: str
    cohort: str


@dataclass(frozen=True)
class CsvError:
    row: int
    message: str


class CsvFileError(ValueError):
    """The file as a whole cannot be read (no header, missing columns)."""


def parse_users_csv(data: bytes) -> list[CsvRow | CsvError]:
    lines = data.splitlines()
    if not lines:
        raise CsvFileError(_("The file is empty."))
    try:
        check_text_file("file", data)
    except InputError as exc:
        raise CsvFileError(exc.message) from None
    header_bytes = lines[0].removeprefix(b"\xef\xbb\xbf")
    try:
        header_text = header_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CsvFileError(_("The file is not UTF-8 text. Save it as “CSV UTF-8”.")) from exc
    delimiter = ";" if header_text.count(";") > header_text.count(",") else ","
    columns = _map_header(next(csv.reader([header_text], delimiter=delimiter)))

    results: list[CsvRow | CsvError] = []
    for number, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            results.append(CsvError(number, _("This row is not UTF-8 text (wrong encoding).")))
            continue
        cells = next(csv.reader([text], delimiter=delimiter), [])
        value = {key: (cells[i].strip() if i < len(cells) else "") for key, i in columns.items()}
        results.append(CsvRow(
            row=number,
            email=value.get("email", "").lower(),
            full_name=normalise_name(value.get("full_name", "")),
            organisation=value.get("organisation", ""),
            role=value.get("role", ""),
            cohort=normalise_name(value.get("cohort", "")),
        ))
    return results


def _map_header(names: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(names):
        key = search_key(name).replace("_", " ")
        for column, spellings in HEADERS.items():
            if key in spellings or key.replace(" ", "_") in spellings:
                found.setdefault(column, index)
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise CsvFileError(
            _("Missing columns: %(columns)s. Expected: email, full_name, organisation, role, cohort.")
            % {"columns": ", ".join(missing)}
        )
    return found


def sample_users_csv(unit_codes: list[str]) -> bytes:
    """A sample import file: Vietnamese headers, two example rows, UTF-8 with a BOM (Excel then
    shows the accents) — it imports as it is, which a test checks."""
    first, second = (unit_codes + unit_codes)[:2]
    rows = [SAMPLE_HEADERS,
            ("an.nguyen@example.gov.vn", "Nguyễn Văn An", first, "học viên", "Lớp TTĐN K1"),
            ("binh.tran@example.gov.vn", "Trần Thị Bình", second, "giảng viên", "")]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
