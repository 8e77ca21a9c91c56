"""Administration: the audit log, read-only, filtered and paginated."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from backend.accounts.text import search_q
from backend.audit.models import AuditEntry
from backend.audit.selectors import audit_entries_visible_to
from frontend.forms_admin import AuditFilterForm
from frontend.views.admin import admin_required, paginate, query_without_page


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@admin_required
def audit_log(request):
    entries = audit_entries_visible_to(request.user)
    # Filter choices are the closed sets actually recorded (small, indexed columns).
    verbs = AuditEntry.objects.order_by("verb").values_list("verb", flat=True).distinct()
    types = AuditEntry.objects.order_by("target_type").values_list("target_type", flat=True).distinct()
    form = AuditFilterForm(request.GET or None, verbs=list(verbs), target_types=list(types))
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
        if data["date_from"]:
            entries = entries.filter(when__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(when__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    return render(request, "frontend/admin/audit.html", {
        "section": "audit", "form": form, "page": paginate(request, entries, 50),
        "query": query_without_page(request),
    })
