"""backend.spreadsheets: the one formula-escaping rule of every CSV and XLSX export."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from backend.spreadsheets import csv_cell, csv_text, is_formula_like, xlsx_append
from tests.spreadsheet_checks import PAYLOADS, assert_xlsx_has_no_formula, csv_rows, xlsx_cells


@pytest.mark.parametrize("text", [*PAYLOADS, "=1", "+", "-", "@", "\n=1+1", "＝1+1", "＋1", "－1",
                                  "＠SUM(A1)", "-1+2", "+84 912 345 678", "- gạch đầu dòng"])
def test_text_a_spreadsheet_would_run_is_quoted(text):
    assert is_formula_like(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Bộ Ngoại giao", "", " =1+1", "a=b", "1-2", "'=1", "100 %",
                                   "70–80 %", "–", "Câu 1: -1?"])
def test_other_text_is_left_alone(value):
    assert not is_formula_like(value)
    assert csv_cell(value) == value


@pytest.mark.parametrize("value", [-5, -0.25, 3, 2.5, Decimal("-1.5"), "-5", "-0.25", "+3", "-1e5",
                                   "-12,5", "-.5"])
def test_numbers_stay_numbers(value):
    """A negative number is a number, whether it comes as a number or as its text."""
    assert not is_formula_like(value)
    assert csv_cell(value) == value


def test_csv_text_quotes_every_field_and_starts_with_a_bom():
    text = csv_text([["Đơn vị", "Số"], ["=1+1", -5], ["a;=1+1", None]])
    assert text.startswith("\ufeff")
    assert text.splitlines()[1] == '"\'=1+1","-5"'  # a separator inside text cannot split the cell
    assert csv_rows(text.encode()) == [["Đơn vị", "Số"], ["'=1+1", "-5"], ["a;=1+1", ""]]
    assert not csv_text([["x"]], bom=False).startswith("\ufeff")


def test_xlsx_append_stores_formula_like_text_as_quoted_text_and_numbers_as_numbers():
    book = Workbook()
    xlsx_append(book.active, [*PAYLOADS, -5, -0.25, "Bộ Ngoại giao"])
    out = io.BytesIO()
    book.save(out)
    assert_xlsx_has_no_formula(out.getvalue(), *PAYLOADS)
    cells = xlsx_cells(out.getvalue())
    numbers = cells[len(PAYLOADS):len(PAYLOADS) + 2]
    assert [(c.value, c.data_type) for c in numbers] == [(-5, "n"), (-0.25, "n")]
    assert cells[-1].value == "Bộ Ngoại giao" and not cells[-1].quotePrefix


# --- Dates and numbers (docs/glossary.md) -----------------------------------------------------

MOMENT = dt.datetime(2026, 3, 4, 1, 5, tzinfo=dt.UTC)  # 08:05 on 4 March in Hà Nội


def test_csv_writes_dates_as_dd_mm_yyyy_and_local_times_as_hh_mm_dd_mm_yyyy():
    rows = csv_rows(csv_text([[dt.date(2026, 3, 4), MOMENT]]).encode())
    assert rows == [["04/03/2026", "08:05 04/03/2026"]]


def test_csv_writes_decimals_with_the_languages_separator():
    with translation.override("vi"):
        assert csv_rows(csv_text([[12.5, Decimal("-0.25"), 3]]).encode()) == [["12,5", "-0,25", "3"]]
    with translation.override("en"):
        assert csv_rows(csv_text([[12.5]]).encode()) == [["12.5"]]


def test_xlsx_keeps_dates_as_dates_shown_dd_mm_yyyy():
    book = Workbook()
    xlsx_append(book.active, [dt.date(2026, 3, 4), MOMENT])
    out = io.BytesIO()
    book.save(out)
    day, moment = xlsx_cells(out.getvalue())
    assert day.is_date and day.number_format == "dd/mm/yyyy"
    assert moment.is_date and moment.number_format == "hh:mm dd/mm/yyyy"
    assert moment.value == dt.datetime(2026, 3, 4, 8, 5)  # local time: a spreadsheet has no zones


def test_vietnamese_formats_are_dd_mm_yyyy_and_a_decimal_comma():
    from django.utils import formats

    with translation.override("vi"):
        assert formats.date_format(dt.date(2026, 3, 4)) == "04/03/2026"
        assert formats.date_format(dt.date(2026, 3, 4), "SHORT_DATE_FORMAT") == "04/03/2026"
        assert formats.date_format(dt.datetime(2026, 3, 4, 8, 5), "DATETIME_FORMAT") == "08:05 04/03/2026"
        assert formats.date_format(dt.datetime(2026, 3, 4, 8, 5), "SHORT_DATETIME_FORMAT") \
            == "08:05 04/03/2026"
        assert formats.number_format(1234.5, 1) == "1234,5"
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1.234,5"


def test_csv_stream_sends_the_rows_in_pieces_with_a_bom_and_the_same_cells_as_csv_text():
    from backend.spreadsheets import CSV_ROWS_PER_CHUNK, csv_stream

    rows = [["Đơn vị", "Tỷ lệ"], *([f"Xã {n}", 12.5] for n in range(CSV_ROWS_PER_CHUNK * 2)), ["=1+1", None]]
    with translation.override("vi"):
        response = csv_stream(iter(rows), "bao-cao.csv")
        expected = csv_text(rows).encode("utf-8")
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao.csv"'
    # Produced after the view returns, in another language: the request's language still holds.
    with translation.override("en"):
        chunks = list(response.streaming_content)
    assert len(chunks) == 3 and b"".join(chunks) == expected
    assert csv_rows(expected)[1] == ["Xã 0", "12,5"] and csv_rows(expected)[-1] == ["'=1+1", ""]


def test_xlsx_tempfile_serves_a_write_only_workbook_with_styles_and_quoted_formulas():
    from openpyxl.styles import Font

    from backend.spreadsheets import xlsx_tempfile, xlsx_workbook

    book = xlsx_workbook()
    sheet = book.create_sheet("Báo cáo")
    sheet.column_dimensions["A"].width = 40
    xlsx_append(sheet, ["Đơn vị", "Tỷ lệ"], font=Font(bold=True))
    xlsx_append(sheet, ["Bộ Ngoại giao", 12.5], number_formats={1: '0.0"%"'}, indent=2)
    xlsx_append(sheet, [PAYLOADS[0], dt.date(2026, 12, 2)])
    response = xlsx_tempfile(book, "bao-cao.xlsx")
    assert response.streaming and response["Content-Disposition"] == 'attachment; filename="bao-cao.xlsx"'
    body = response.getvalue()
    response.file_to_stream.close()  # not response.close(): that ends a "request" (a DB check)
    assert_xlsx_has_no_formula(body, PAYLOADS[0])
    from openpyxl import load_workbook

    read = load_workbook(io.BytesIO(body))["Báo cáo"]
    assert read["A1"].font.bold and read["A1"].value == "Đơn vị"
    assert read["B2"].value == 12.5 and read["B2"].number_format == '0.0"%"'
    assert read["A2"].alignment.indent == 2
    assert read["B3"].value.date() == dt.date(2026, 12, 2) and read["B3"].number_format == "dd/mm/yyyy"
    assert read.column_dimensions["A"].width == 40
