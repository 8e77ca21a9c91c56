"""Administration: the organisation tree (collapsible), creating, renaming and moving units."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backend.accounts import api as accounts_api
from backend.accounts.api import ancestor_paths
from backend.errors import DomainError
from frontend.forms_admin import UnitCreateForm, UnitEditForm
from frontend.views.admin import (
    add_errors,
    admin_paths,
    admin_required,
    posted,
    unit_or_404,
    units_for,
)


@dataclass
class Node:
    unit: object
    own: int = 0
    total: int = 0
    children: list = field(default_factory=list)


def unit_tree(user) -> list[Node]:
    """The administrator's units as a forest, with members counted directly and per subtree
    (two queries whatever the size of the tree)."""
    units = list(units_for(user).annotate(own=Count("members")).order_by("path"))
    nodes = {u.path: Node(unit=u, own=u.own) for u in units}
    roots: list[Node] = []
    for unit in units:
        node = nodes[unit.path]
        for path in ancestor_paths(unit.path):
            if path in nodes:
                nodes[path].total += unit.own
        parent = nodes.get(unit.path[: -5]) if unit.depth else None
        (parent.children if parent else roots).append(node)
    return roots


@admin_required
def unit_list(request):
    return render(request, "frontend/admin/units.html", {
        "section": "units", "roots": unit_tree(request.user),
    })


@admin_required
def unit_create(request):
    units = units_for(request.user)
    top = admin_paths(request.user) is None
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else None
    form = UnitCreateForm(posted(request), units=units, allow_top_level=top, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            accounts_api.organisation_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The unit has been created."))
            return redirect("admin-units")
    return render(request, "frontend/admin/unit_form.html", {
        "section": "units", "form": form, "heading": _("Add a unit")})


@admin_required
def unit_edit(request, pk: int):
    unit = unit_or_404(request.user, pk)
    # A unit cannot move under itself: its own subtree is not offered as a parent.
    parents = units_for(request.user).exclude(path__startswith=unit.path)
    top = admin_paths(request.user) is None
    form = UnitEditForm(posted(request), units=parents, allow_top_level=top,
                        initial={"name": unit.name, "kind": unit.kind, "parent": unit.parent_id})
    if request.method == "POST" and form.is_valid():
        try:
            accounts_api.organisation_update(actor=request.user, unit=unit, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The unit has been saved."))
            return redirect("admin-units")
    return render(request, "frontend/admin/unit_form.html", {
        "section": "units", "form": form, "unit": unit,
        "heading": _("Edit unit “%(name)s”") % {"name": unit.name}})
