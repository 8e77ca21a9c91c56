"""Administration: completion and pass rates rolled up the unit tree, drillable, as XLSX too.

The figures come from `courses.api.unit_rollup` (one aggregate query); this module only picks
the units to show and lays them out. Query count does not depend on how many units are shown.
"""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Font

from backend.accounts.api import ancestor_paths
from backend.api.untrusted import parse_id
from backend.spreadsheets import xlsx_append, xlsx_tempfile, xlsx_workbook
from courses.api import CourseStatus, UnitFigures, courses_visible_to, unit_rollup
from frontend.views.admin import admin_paths, admin_required, units_for

# The report's columns, shown on the page and written to the XLSX under the same labels.
# (key, label, is a percentage)
COLUMNS = [
    ("enrolments", gettext_lazy("Enrolments"), False),
    ("completed", gettext_lazy("Completed"), False),
    ("completion_rate", gettext_lazy("Completion rate"), True),
    ("pass_rate", gettext_lazy("Pass rate"), True),
    ("average_percent", gettext_lazy("Average progress"), True),
]
# Only in the XLSX: what the pass rate is computed from.
XLSX_EXTRA = [
    ("quiz_enrolments", gettext_lazy("Enrolments in courses with a required quiz"), False),
    ("quiz_completed", gettext_lazy("Completed (those courses)"), False),
]
PERCENT_FORMAT = '0.0"%"'


def chart_rows(rows: list[dict]) -> list[dict]:
    """Bars for the chart (an SVG per unit: no script, CSP-clean): completion and pass rates."""
    return [{"name": row["unit"].name, "completion": row["completion_rate"],
             "passed": row["pass_rate"], "enrolments": row["enrolments"]} for row in rows]


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _figures(f: UnitFigures) -> dict:
    return {"enrolments": f.enrolments, "completed": f.completed,
            "completion_rate": _percent(f.completion_rate),
            "quiz_enrolments": f.quiz_enrolments, "quiz_completed": f.quiz_completed,
            "pass_rate": _percent(f.pass_rate),
            "average_percent": None if f.average_percent is None else round(f.average_percent, 1)}


def _courses(user):
    return courses_visible_to(user).exclude(status=CourseStatus.DRAFT).order_by("title", "pk")


def _selection(request):
    """(units in scope, selected unit or None, selected course or None) from the query string."""
    units = units_for(request.user)
    unit = None
    if request.GET.get("unit"):
        unit_id = parse_id(request.GET["unit"])
        unit = units.filter(pk=unit_id).first() if unit_id is not None else None
        if unit is None:
            raise Http404
    course = None
    if request.GET.get("course"):
        course_id = parse_id(request.GET["course"])
        course = _courses(request.user).filter(pk=course_id).first() if course_id is not None else None
        if course is None:
            raise Http404
    return units, unit, course


@admin_required
def report(request):
    units, unit, course = _selection(request)
    scope = admin_paths(request.user)
    if unit is not None:
        rows_qs = units.filter(parent=unit)
        trail = list(units.filter(path__in=ancestor_paths(unit.path)).order_by("path"))
    elif scope is None:
        rows_qs, trail = units.filter(depth=0), []
    else:
        rows_qs, trail = units.filter(path__in=scope), []
    rows_units = list(rows_qs.annotate(child_count=Count("children")).order_by("path"))
    rollup = unit_rollup(scope_paths=scope, course_id=course.pk if course else None)
    rows = [{"unit": u, "has_children": u.child_count > 0, **_figures(rollup.for_unit(u.path))}
            for u in rows_units]
    return render(request, "frontend/admin/report.html", {
        "section": "report", "unit": unit, "course": course, "trail": trail, "rows": rows,
        "courses": _courses(request.user),
        "head": _figures(rollup.for_unit(unit.path) if unit else rollup.total),
        "direct": _figures(rollup.directly_in(unit.path)) if unit else None,
        "definitions": definitions(), "columns": COLUMNS, "chart": chart_rows(rows),
    })


@admin_required
def report_xlsx(request):
    """Every unit in scope (or under the chosen unit), indented by depth, with the definitions."""
    units, unit, course = _selection(request)
    scope = admin_paths(request.user)
    chosen = units.filter(path__startswith=unit.path) if unit else units
    rollup = unit_rollup(scope_paths=scope, course_id=course.pk if course else None)

    # A write-only workbook saved to a temporary file: rows go to disk as they are appended.
    book = xlsx_workbook()
    sheet = book.create_sheet(_("Report")[:31])
    sheet.column_dimensions["A"].width = 55
    sheet.column_dimensions["B"].width = 18
    for column in "CDEFGHI":
        sheet.column_dimensions[column].width = 16
    bold = Font(bold=True)
    xlsx_append(sheet, [_("Completion and pass rates by unit")], font=Font(bold=True, size=13))
    xlsx_append(sheet, [_("Course"), course.title if course else _("All courses")])
    xlsx_append(sheet, [_("Generated"), timezone.now()])
    xlsx_append(sheet, [])
    columns = COLUMNS + XLSX_EXTRA
    xlsx_append(sheet, [_("Unit"), _("Code"), *[str(label) for _key, label, _pct in columns]], font=bold)
    percent_formats = {2 + offset: PERCENT_FORMAT
                       for offset, (_key, _label, percent) in enumerate(columns) if percent}

    def figures_row(first: list, f: dict, **style) -> None:
        xlsx_append(sheet, [*first, *[f[key] for key, _label, _pct in columns]],
                    number_formats=percent_formats, **style)

    # The total is computed from the enrolments, each counted once in the unit its learner
    # belongs to: not the sum of the rows below (a unit's row already holds the units under it).
    total = rollup.for_unit(unit.path) if unit else rollup.total
    figures_row([_("Total (each enrolment counted once)"), ""], _figures(total), font=bold)
    chosen = list(chosen.order_by("path").only("name", "code", "path", "depth"))
    base_depth = min((u.depth for u in chosen), default=0)
    for u in chosen:
        figures_row([u.name, u.code], _figures(rollup.for_unit(u.path)), indent=u.depth - base_depth)

    notes = book.create_sheet(_("Definitions")[:31])
    notes.column_dimensions["A"].width = 120
    for line in definitions():
        xlsx_append(notes, [line])

    stamp = timezone.localdate().isoformat()  # a file name sorts by ISO date
    return xlsx_tempfile(book, f"unit-report-{stamp}.xlsx")


def definitions() -> list[str]:
    return [
        _("Enrolments: enrolments of learners of the unit and of every unit under it; an enrolment "
          "withdrawn before completion is not counted. A learner counts in the unit they belong to now."),
        _("Completed: the course's completion rule is met."),
        _("Completion rate = completed ÷ enrolments."),
        _("Pass rate = completed ÷ enrolments, counting only courses with at least one required "
          "quiz (completing such a course means passing its required quizzes)."),
        _("Average progress: mean progress percent of the enrolments."),
        _("Total: computed from the enrolments themselves, each counted once in the unit its learner "
          "belongs to, so a unit nested in another is not counted twice (the rows are not added up)."),
    ]
