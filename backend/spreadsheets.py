"""Cells of every CSV and XLSX file the platform writes, safe to open in a spreadsheet program.

One rule (OWASP "CSV Injection"): text that a spreadsheet program would read as a formula (it
starts with ``= + - @``, a tab, CR or LF, or the full-width ``＝ ＋ － ＠`` that some input methods
type) is marked as text with a leading apostrophe. Numbers stay numbers: values of a number type
are never touched, nor is text that is just a number (``-12.5``), which a spreadsheet reads as
that number and never as a formula. In CSV the apostrophe is written into the cell; in XLSX the
cell is stored as text with Excel's own "quote prefix" flag (what typing ``'=…`` in Excel
stores), so the person sees their text unchanged and it stays text when edited.
See docs/decisions/0045-input-and-export-hardening.md.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from openpyxl.cell.cell import Cell

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
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def xlsx_append(sheet, values: Sequence[object]) -> None:
    """Append one row to an openpyxl worksheet; formula-like text is stored as quoted text.

    openpyxl writes any text starting with ``=`` as a live formula; here no text ever becomes one.
    """
    sheet.append([_xlsx_cell(sheet, value) for value in values])


def _xlsx_cell(sheet, value: object) -> object:
    if not is_formula_like(value):
        return value
    cell = Cell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
