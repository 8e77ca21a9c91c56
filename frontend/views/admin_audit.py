"""Administration: the audit log, read-only, filtered and paginated."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from backend.accounts.api import search_q
from backend.api.untrusted import parse_id
from backend.audit.api import AuditEntry, audit_entries_visible_to, describe
from certificates.api import certificates_visible_to
from frontend.forms_admin import AuditFilterForm
from frontend.views.admin import admin_required, paginate, query_without_page, units_for


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@admin_required
def audit_log(request):
    entries = audit_entries_visible_to(request.user)
    # Filter choices are the closed sets actually recorded (small, indexed columns).
    verbs = AuditEntry.objects.order_by("verb").values_list("verb", flat=True).distinct()
    types = AuditEntry.objects.order_by("target_type").values_list("target_type", flat=True).distinct()
    units = units_for(request.user).order_by("path")
    form = AuditFilterForm(request.GET or None, verbs=list(verbs), target_types=list(types),
                           units=units)
    if form.is_valid():
        data = form.cleaned_data
        if data["verb"]:
            entries = entries.filter(verb=data["verb"])
        if data["target_type"]:
            entries = entries.filter(target_type=data["target_type"])
        if data["actor"].strip():
            text = data["actor"].strip()
            by_name = search_q(text, "actor__search_name")  # accents ignored, as elsewhere
            entries = entries.filter(Q(actor_label__icontains=text)
                                     | Q(actor__email__icontains=text.lower())
                                     | (by_name if by_name is not None else Q(pk__in=[])))
        if data["unit"]:
            entries = entries.filter(actor__organisation__path__startswith=data["unit"].path)
        if data["date_from"]:
            entries = entries.filter(when__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(when__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    page = paginate(request, entries, 50)
    return render(request, "frontend/admin/audit.html", {
        "section": "audit", "form": form, "page": page, "rows": audit_rows(request.user, page),
        "query": query_without_page(request),
    })


# target type -> (url name, where the id comes from): where a sentence's target links to
TARGET_PAGES = {
    "accounts.user": "admin-user", "accounts.cohort": "admin-cohort",
    "accounts.organisation": "admin-unit-edit", "courses.course": "course-detail",
    "certificates.certificatetemplate": "admin-certificate-template",
    "assessments.questionbank": "qbank-detail",
}


def audit_rows(user, entries) -> list[dict]:
    """Each entry in words (backend.audit.describe) with a link to its target where there is a
    page for it; certificates link to their course's certificates page."""
    described = [(entry, describe(entry)) for entry in entries]
    certificate_ids = [parse_id(d.target_id) for _e, d in described
                       if d.target_type == "certificates.certificate"]
    courses = dict(certificates_visible_to(user).filter(pk__in=[i for i in certificate_ids if i])
                   .values_list("pk", "course_id"))
    rows = []
    for entry, description in described:
        url = ""
        target_id = parse_id(description.target_id)
        if description.target_type == "certificates.certificate" and target_id in courses:
            url = reverse("course-certificates", args=[courses[target_id]])
        elif description.target_type in TARGET_PAGES and target_id:
            url = reverse(TARGET_PAGES[description.target_type], args=[target_id])
        rows.append({"entry": entry, "d": description, "url": url})
    return rows
