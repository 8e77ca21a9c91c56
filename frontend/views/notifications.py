"""The notification centre (list, open, mark read, mark all read) and the preferences page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.notifications.api import (
    Delivery,
    notification_mark_read,
    notifications_for,
    notifications_mark_all_read,
    preferences_get,
    preferences_update,
)

PAGE_SIZE = 30


def _crumbs(*more):
    return [(_("Start"), reverse("home")), *more]


@login_required
def centre(request):
    only_unread = request.GET.get("unread") == "1"
    rows = notifications_for(request.user, unread=True if only_unread else None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "frontend/notifications/centre.html", {
        "page": page, "only_unread": only_unread,
        "crumbs": _crumbs((_("Notifications"), "")),
    })


@login_required
def open_notification(request, pk: int):
    """Mark it read and go to the thing it is about (only links inside this site)."""
    row = notification_mark_read(user=request.user, notification_id=pk)
    if row is None:
        return render(request, "frontend/error.html", {"status": 404}, status=404)
    if row.url and url_has_allowed_host_and_scheme(row.url, allowed_hosts=None) \
            and row.url.startswith("/"):
        return redirect(row.url)
    return redirect("notifications")


@login_required
@require_POST
def mark_read(request, pk: int):
    notification_mark_read(user=request.user, notification_id=pk)
    back = request.POST.get("next") or ""
    return redirect(back if back.startswith("/notifications/") else reverse("notifications"))


@login_required
def mark_all_read(request):
    if request.method != "POST":  # a bookmarked or crawled link: back to the list, nothing done
        return redirect("notifications")
    marked = notifications_mark_all_read(user=request.user)
    if marked:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications")


@login_required
def preferences(request):
    rows = preferences_get(request.user)
    if request.method == "POST":
        changes = {row["kind"]: request.POST.get(row["kind"]) for row in rows
                   if request.POST.get(row["kind"]) in Delivery.values}
        rows = preferences_update(user=request.user, changes=changes)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notification-preferences")
    return render(request, "frontend/notifications/preferences.html", {
        "rows": rows, "choices": Delivery.choices,
        "crumbs": _crumbs((_("Notifications"), reverse("notifications")),
                          (_("Notification settings"), "")),
    })
