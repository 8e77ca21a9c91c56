"""Administration: the platform-wide notification defaults (per kind: e-mail now, daily digest,
in the site only). Who may change them, and the audit entry, are the notifications service's
(the same code the REST endpoint calls); other administrators see them read-only."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from backend.notifications.api import (
    Delivery,
    default_preferences_rows,
    default_preferences_update,
    may_change_defaults,
)
from frontend.views.admin import admin_required


@admin_required
def notification_defaults(request):
    editable = may_change_defaults(request.user)
    rows = default_preferences_rows()
    if request.method == "POST" and editable:
        changes = {row["kind"]: request.POST[row["kind"]] for row in rows
                   if request.POST.get(row["kind"]) in Delivery.values
                   and request.POST[row["kind"]] != row["delivery"]}
        if changes:
            default_preferences_update(actor=request.user, changes=changes)
        messages.success(request, _("The notification defaults have been saved."))
        return redirect("admin-notification-defaults")
    labels = dict(Delivery.choices)
    for row in rows:
        row["delivery_label"] = labels.get(row["delivery"], row["delivery"])
    return render(request, "frontend/admin/notification_defaults.html", {
        "section": "notifications", "rows": rows, "choices": Delivery.choices,
        "editable": editable,
        "crumbs": [(_("Start"), reverse("home")), (_("Administration"), reverse("admin-home")),
                   (_("Notification defaults"), "")],
    })
