"""Course analytics for its trainers: completion funnel per lesson, score distribution and
enrolments over time, as charts with data tables, and as CSV (UTF-8 with BOM, so Excel reads
Vietnamese) or XLSX downloads. The numbers come from courses.api.course_analytics."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _

from backend.spreadsheets import csv_stream, xlsx_append, xlsx_tempfile, xlsx_workbook
from courses import api as courses_api
from courses.api import LessonKind
from frontend.views.authoring_common import author_course, trainer_required

REPORTS = ("funnel", "scores", "enrolments")


def _percent(part: int, whole: int) -> str:
    return f"{(part * 100) // whole} %" if whole else "–"


def report_table(analytics, report: str) -> tuple[list[str], list[list]]:
    """Header and rows of one report: the page's tables and the downloads use the same."""
    kinds = dict(LessonKind.choices)
    if report == "funnel":
        return ([_("Module"), _("Lesson"), _("Kind"), _("Required"), _("Completed"),
                 _("Of enrolled")],
                [[r.module_title, r.lesson_title, str(kinds.get(r.kind, r.kind)),
                  _("yes") if r.required else _("no"), r.completed,
                  _percent(r.completed, analytics.enrolled)] for r in analytics.funnel])
    if report == "scores":
        return ([_("Score"), _("Results")],
                [[f"{b.lower}–{b.upper} %", b.count] for b in analytics.scores])
    if report == "enrolments":
        return ([_("Day"), _("New enrolments"), _("Total")],
                [[d.day, d.count, d.cumulative] for d in analytics.enrolments])
    raise Http404


def _lesson_filter(request, course):
    raw = request.GET.get("lesson", "")
    ids = {item["id"] for m in (course.published or {}).get("modules", []) for item in m["lessons"]}
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value in ids else None


@trainer_required
def analytics(request, pk: int):
    course = author_course(request, pk)
    lesson_id = _lesson_filter(request, course)
    data = courses_api.course_analytics(course_id=course.pk, lesson_id=lesson_id)
    tables = {name: report_table(data, name) for name in REPORTS}
    chart_data = {
        "funnel": {"labels": [r.lesson_title for r in data.funnel],
                   "values": [r.completed for r in data.funnel], "max": data.enrolled},
        "scores": {"labels": [f"{b.lower}–{b.upper} %" for b in data.scores],
                   "values": [b.count for b in data.scores]},
        "enrolments": {"labels": [formats.date_format(d.day, "SHORT_DATE_FORMAT")
                                  for d in data.enrolments],
                       "values": [d.cumulative for d in data.enrolments]},
        "text": {"completed": _("Completed"), "results": _("Results"),
                 "enrolled": _("Enrolled (total)")},
    }
    scored_lessons = [r for r in data.funnel if r.kind in (LessonKind.QUIZ, LessonKind.H5P, LessonKind.SCORM)]
    return render(request, "frontend/authoring/analytics.html", {
        "course": course, "tab": "analytics", "data": data, "tables": tables,
        "chart_data": chart_data, "scored_lessons": scored_lessons, "lesson_id": lesson_id,
        "quiz_lessons": [r for r in data.funnel if r.kind == LessonKind.QUIZ and r.activity_id],
        "scorm_lessons": [r for r in data.funnel if r.kind == LessonKind.SCORM],
    })


@trainer_required
def analytics_export(request, pk: int, report: str, fmt: str):
    course = author_course(request, pk)
    if report not in REPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    data = courses_api.course_analytics(course_id=course.pk, lesson_id=_lesson_filter(request, course))
    header, rows = report_table(data, report)
    name = f"{slugify(course.title) or 'course'}-{course.pk}-{report}"
    if fmt == "csv":
        return csv_stream([header, *rows], f"{name}.csv")
    return xlsx_tempfile(_xlsx(course.title, report, header, rows), f"{name}.xlsx")


def _xlsx(title: str, report: str, header: list, rows: list):
    book = xlsx_workbook()
    sheet = book.create_sheet(report)
    for row in [[title], header, *rows]:
        xlsx_append(sheet, row)
    return book
