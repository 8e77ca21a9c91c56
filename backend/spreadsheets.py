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
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import formats, timezone
from openpyxl.cell.cell import Cell

DATE_TEXT = "%d/%m/%Y"
DATETIME_TEXT = "%H:%M %d/%m/%Y"
XLSX_DATE = "dd/mm/yyyy"
XLSX_DATETIME = "hh:mm dd/mm/yyyy"
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


def xlsx_append(sheet, values: Sequence[object]) -> None:
    """Append one row to an openpyxl worksheet; formula-like text is stored as quoted text.

    openpyxl writes any text starting with ``=`` as a live formula; here no text ever becomes one.
    """
    sheet.append([_xlsx_cell(sheet, value) for value in values])


def _xlsx_cell(sheet, value: object) -> object:
    if isinstance(value, dt.date):
        cell = Cell(sheet, value=local_datetime(value) if isinstance(value, dt.datetime) else value)
        cell.number_format = XLSX_DATETIME if isinstance(value, dt.datetime) else XLSX_DATE
        return cell
    if not is_formula_like(value):
        return value
    cell = Cell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
