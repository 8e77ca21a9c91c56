"""Administration: CSV user import as a background job with a progress bar and a per-row table."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from backend.accounts.api import USERS_IMPORT_JOB_KIND as JOB_KIND
from backend.accounts.api import CsvFileError, sample_users_csv, users_import_start
from backend.jobs.api import JobStatus, error_message, job_get
from frontend.forms_admin import ImportForm
from frontend.views.admin import admin_required, units_for


@admin_required
def import_upload(request):
    form = ImportForm(*((request.POST, request.FILES) if request.method == "POST" else (None,)))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.USER_IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is too large."))
        else:
            try:
                job = users_import_start(actor=request.user, data=upload.read(),
                                         all_or_nothing=form.cleaned_data["all_or_nothing"],
                                         language=translation.get_language())
            except CsvFileError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("admin-import-job", job_id=job.id)
    return render(request, "frontend/admin/import.html", {"section": "import", "form": form})


@admin_required
def sample_csv(request):
    """A file to fill in: Vietnamese headers, UTF-8 with a BOM (so Excel reads the accents),
    two example rows of units the administrator can use."""
    units = list(units_for(request.user).order_by("path").values_list("code", flat=True)[:2]) or ["ma-don-vi"]
    response = HttpResponse(sample_users_csv(units), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-nguoi-dung.csv"'
    return response


@admin_required
def import_job(request, job_id):
    job = job_get(job_id)
    if job is None or job.kind != JOB_KIND or job.started_by_id != request.user.pk:
        raise Http404
    finished = job.status in (JobStatus.DONE, JobStatus.FAILED)
    rows = job.result.get("rows", []) if finished else []
    labels = {"created": _("New user"), "updated": _("User updated"), "error": _("Row rejected")}
    return render(request, "frontend/admin/import_job.html", {
        "section": "import", "job": job, "finished": finished,
        "failure": (error_message(job.error_code, job.attempts) or job.result.get("message", "")
                    if job.status == JobStatus.FAILED else ""),
        "percent": 100 if finished else (job.done * 100 // job.total if job.total else 0),
        "rows": [{"row": row.get("row"), "status": row.get("status"),
                  "label": labels.get(row.get("status"), row.get("status")),
                  "detail": row.get("message") or row.get("email") or ""} for row in rows],
        "result": job.result,
    })
