"""Cells of every CSV and XLSX file the platform writes, safe to open in a spreadsheet program.

One rule (OWASP "CSV Injection"): text that a spreadsheet program would read as a formula (it
starts with ``= + - @``, a tab, CR or LF, or the full-width ``＝ ＋ － ＠`` that some input methods
type) is marked as text with a leading apostrophe. Numbers stay numbers: values of a number type
are never touched, nor is text that is just a number (``-12.5``), which a spreadsheet reads as
that number and never as a formula. In CSV the apostrophe is written into the cell; in XLSX the
cell is stored as text with Excel's own "quote prefix" flag (what typing ``'=…`` in Excel
stores), so the person sees their text unchanged and it stays text when edited.
See docs/decisions/0045-input-and-export-hardening.md.

Dates (docs/glossary.md, "Dates and numbers"): in XLSX a date or a time stays a real date cell, shown
as dd/mm/yyyy or HH:MM dd/mm/yyyy (local time); in CSV it is written as that text. Numbers in CSV
take the decimal separator of the active language (a decimal comma in Vietnamese, which a
Vietnamese spreadsheet program reads as a number, where "12.5" would become a date).

Memory stays flat whatever the number of rows (docs/decisions/0072-staff-reports-at-scale.md):
`csv_stream` sends a CSV while its rows are produced (a `StreamingHttpResponse` fed from an
iterator, e.g. a queryset's `.iterator()`), and `xlsx_tempfile` saves an openpyxl *write-only*
workbook (rows go to disk as they are appended) into a temporary file served by `FileResponse`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import formats, timezone, translation
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment

DATE_TEXT = "%d/%m/%Y"
DATETIME_TEXT = "%H:%M %d/%m/%Y"
XLSX_DATE = "dd/mm/yyyy"
XLSX_DATETIME = "hh:mm dd/mm/yyyy"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CSV_ROWS_PER_CHUNK = 500  # rows joined into one piece of the streamed body (~50 KB)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet program could run as a formula."""
    return (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and not _NUMBER.fullmatch(value))


def csv_cell(value: object) -> object:
    """The value as a CSV cell: formula-like text gets a leading apostrophe; None is empty."""
    if value is None:
        return ""
    return "'" + value if is_formula_like(value) else value


def local_datetime(value: dt.datetime) -> dt.datetime:
    """An aware datetime in the site's time zone, without tzinfo (spreadsheets know no zones)."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def csv_value(value: object) -> object:
    """Dates as dd/mm/yyyy, times as HH:MM dd/mm/yyyy, decimals with the language's separator."""
    if isinstance(value, dt.datetime):
        return local_datetime(value).strftime(DATETIME_TEXT)
    if isinstance(value, dt.date):
        return value.strftime(DATE_TEXT)
    if isinstance(value, float | Decimal):
        return formats.number_format(value, use_l10n=True)
    return value


def csv_text(rows: Iterable[Sequence[object]], *, bom: bool = True) -> str:
    """CSV of `rows` (header included), every cell through `csv_cell`.

    Every field is quoted, so a separator inside text cannot start a new cell for a program that
    splits on another character (Excel in locales that use ``;``). With `bom` the text starts
    with a byte-order mark, so spreadsheet programs read it as UTF-8 (Vietnamese stays intact).
    """
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([csv_cell(csv_value(value)) for value in row])
    return out.getvalue()


class _Line:
    """A file-like object whose `write` returns what it is given (csv.writer into a generator)."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(rows: Iterable[Sequence[object]], *, bom: bool = True) -> Iterator[bytes]:
    """`csv_text` piece by piece, as UTF-8 bytes: a few hundred rows per piece."""
    writer = csv.writer(_Line(), quoting=csv.QUOTE_ALL)
    lines: list[str] = ["\ufeff"] if bom else []
    for row in rows:
        lines.append(writer.writerow([csv_cell(csv_value(value)) for value in row]))
        if len(lines) >= CSV_ROWS_PER_CHUNK:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")


def _in_language(language: str | None, chunks: Iterator[bytes]) -> Iterator[bytes]:
    # The body is produced after the view has returned: keep the request's language (decimal
    # separator, translated cells) for every piece.
    with translation.override(language):
        yield from chunks


def csv_stream(rows: Iterable[Sequence[object]], filename: str) -> StreamingHttpResponse:
    """A CSV download sent while `rows` (header included) are produced: UTF-8 with a BOM, every
    cell as in `csv_text`. Pass an iterator (e.g. over `queryset.iterator()`), not a list, and
    memory stays flat whatever the number of rows."""
    response = StreamingHttpResponse(_in_language(translation.get_language(), csv_chunks(rows)),
                                     content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_workbook() -> Workbook:
    """A write-only workbook (no sheet yet: `book.create_sheet(title)`); rows go to disk as they
    are appended with `xlsx_append`, so a large export does not grow in memory."""
    return Workbook(write_only=True)


def xlsx_tempfile(book: Workbook, filename: str) -> FileResponse:
    """Save `book` into a temporary file and serve it as a download; the file is closed (and so
    removed) once sent."""
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it once sent)
    try:
        book.save(out)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    response = FileResponse(out, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_append(sheet, values: Sequence[object], *, font=None,
                number_formats: dict[int, str] | None = None, indent: int = 0) -> None:
    """Append one row to an openpyxl worksheet; formula-like text is stored as quoted text.

    openpyxl writes any text starting with ``=`` as a live formula; here no text ever becomes one.
    Styles are given here, as cells of a write-only sheet cannot be changed once appended:
    `font` for every cell, `number_formats` {column index from 0: format}, `indent` of the first.
    """
    cells = [_xlsx_cell(sheet, value) for value in values]
    if font is not None or number_formats or indent:
        cells = [cell if isinstance(cell, Cell) else _new_cell(sheet, cell) for cell in cells]
        for index, cell in enumerate(cells):
            if font is not None:
                cell.font = font
            if number_formats and index in number_formats:
                cell.number_format = number_formats[index]
        if indent and cells:
            cells[0].alignment = Alignment(indent=indent)
    sheet.append(cells)


def _new_cell(sheet, value: object) -> Cell:
    # A place (row 1, column 1) until appended: a write-only sheet reads the cell's coordinate
    # (which needs one) before it moves the cell to its row.
    return Cell(sheet, row=1, column=1, value=value)


def _xlsx_cell(sheet, value: object) -> object:
    if isinstance(value, dt.date):
        cell = _new_cell(sheet, local_datetime(value) if isinstance(value, dt.datetime) else value)
        cell.number_format = XLSX_DATETIME if isinstance(value, dt.datetime) else XLSX_DATE
        return cell
    if not is_formula_like(value):
        return value
    cell = _new_cell(sheet, value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
