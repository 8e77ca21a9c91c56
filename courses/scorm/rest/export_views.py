"""GET /api/v1/lessons/{id}/scorm/attempts/export/?format=csv|xlsx: a lesson's SCORM attempts,
one row per attempt (staff of the course: everyone's, or `?user=`; a learner: their own)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import APIView

from backend.api.params import query_id
from backend.errors import DomainError
from backend.spreadsheets import csv_stream, xlsx_append, xlsx_tempfile, xlsx_workbook

from .. import results


class _IgnoreFormatParameter(DefaultContentNegotiation):
    """`?format=` chooses the file, not DRF's renderer (errors stay JSON)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return super().select_renderer(request, renderers, format_suffix="json")


class AttemptsExportView(APIView):
    content_negotiation_class = _IgnoreFormatParameter

    @extend_schema(operation_id="scorm_attempts_export", parameters=[
        OpenApiParameter("format", str, enum=["csv", "xlsx"], description="csv (default) or xlsx."),
        OpenApiParameter("user", int, description="Staff: only this learner's attempts.")],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
                   (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
                       OpenApiResponse(OpenApiTypes.BINARY)},
        description="The lesson's SCORM attempts, one row per attempt: learner, unit, SCO, attempt, "
                    "statuses, score, total time, started/updated/finished.")
    def get(self, request, pk: int):
        user_id = results.export_scope(user=request.user, lesson_id=pk, user_id=query_id(request, "user"))
        fmt = request.query_params.get("format", "csv")
        if fmt not in ("csv", "xlsx"):
            message = _("Choose csv or xlsx.")
            raise DomainError(message, code="invalid_format", fields={"format": [message]})
        rows = results.export_rows(lesson_id=pk, user_id=user_id)
        name = f"lesson-{pk}-scorm-attempts"
        if fmt == "csv":
            return csv_stream(rows, f"{name}.csv")
        book = xlsx_workbook()
        sheet = book.create_sheet(_("SCORM attempts")[:31])
        for row in rows:
            xlsx_append(sheet, row)
        return xlsx_tempfile(book, f"{name}.xlsx")
