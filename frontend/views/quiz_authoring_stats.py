"""Item statistics of a quiz for its course's staff ("quiz-statistics", quiz id): the numbers of
assessments.reporting.quiz_report (Moodle's formulas), a chart of facility and discrimination
per question, and the same table as CSV (UTF-8 with BOM) or XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments import api as assessments_api
from assessments.api import QuestionType
from backend.errors import DomainError
from backend.spreadsheets import csv_stream, xlsx_append, xlsx_tempfile, xlsx_workbook
from courses import api as courses_api


def _quiz(request, quiz_id: int):
    try:
        return assessments_api.quiz_get_for_staff(request.user, quiz_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def _which(request) -> str:
    which = request.GET.get("attempts", "first")
    return which if which in assessments_api.QUIZ_REPORT_WHICH else "first"


def quiz_rows(report: dict) -> list[dict]:
    types = dict(QuestionType.choices)
    return [{**row, "n": n, "type_label": types.get(row["type"], row["type"])}
            for n, row in enumerate(report["questions"], start=1)]


@login_required
def statistics_page(request, quiz_id: int):
    quiz = _quiz(request, quiz_id)
    which = _which(request)
    report = assessments_api.quiz_report(quiz, which)
    rows = quiz_rows(report)
    chart = {
        "labels": [_("Q%(n)s") % {"n": r["n"]} for r in rows],
        "facility": [None if r["facility"] is None else round(r["facility"], 2) for r in rows],
        "discrimination": [None if r["discrimination_index"] is None else round(r["discrimination_index"], 2)
                           for r in rows],
        "text": {"facility": _("Facility index %"), "discrimination": _("Discrimination index %")},
    }
    return render(request, "frontend/quiz_authoring/statistics.html", {
        "quiz": quiz, "course": courses_api.course_get(quiz.course_id), "which": which,
        "q": report["quiz"], "rows": rows, "chart": chart,
    })


def _cell(value):
    """Numbers with 2 decimals, as numbers."""
    if isinstance(value, float):
        return round(value, 2)
    return value


@login_required
def statistics_export(request, quiz_id: int, fmt: str):
    quiz = _quiz(request, quiz_id)
    report = assessments_api.quiz_report(quiz, _which(request))
    name = f"{slugify(quiz.title) or 'quiz'}-{quiz.pk}-statistics-{report['which']}"
    if fmt == "csv":
        return csv_stream(assessments_api.report_csv_rows(report), f"{name}.csv")
    if fmt == "xlsx":
        return xlsx_tempfile(_xlsx(quiz.title, report), f"{name}.xlsx")
    raise Http404


def _xlsx(title: str, report: dict):
    book = xlsx_workbook()
    sheet = book.create_sheet(_("Statistics")[:31])
    xlsx_append(sheet, [title])
    xlsx_append(sheet, [str(label) for _key, label in assessments_api.QUIZ_REPORT_CSV_COLUMNS])
    for row in report["questions"]:
        xlsx_append(sheet, [_cell(row.get(key)) for key, _label in assessments_api.QUIZ_REPORT_CSV_COLUMNS])
    return book
