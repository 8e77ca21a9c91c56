"""Administration: cohorts (lớp bồi dưỡng): list (searched), create, detail with members picked
by a name search (accents ignored; a script searches as one types, the form works without it),
added by e-mail or from a unit, and removed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backend.accounts import api as accounts_api
from backend.accounts.api import cohorts_search, users_search, users_visible_to
from backend.api.untrusted import parse_id
from backend.errors import DomainError
from frontend.confirm import confirmation_page
from frontend.forms_admin import CohortCreateForm, EmailListForm, UnitChoiceForm
from frontend.views.admin import (
    add_errors,
    admin_required,
    cohort_or_404,
    cohorts_for,
    paginate,
    posted,
    query_without_page,
    units_for,
)

PICK_LIMIT = 50  # people listed by one name search; a longer list means "type more of the name"


@admin_required
def cohort_list(request):
    search = request.GET.get("q", "").strip()
    cohorts = cohorts_search(cohorts_for(request.user), search).order_by(
        "name", "organisation__path", "pk")
    return render(request, "frontend/admin/cohorts.html", {
        "section": "cohorts", "page": paginate(request, cohorts), "search": search,
        "query": query_without_page(request)})


@admin_required
def cohort_create(request):
    form = CohortCreateForm(posted(request), units=units_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            cohort = accounts_api.cohort_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The cohort has been created."))
            return redirect("admin-cohort", pk=cohort.pk)
    return render(request, "frontend/admin/cohort_create.html", {"section": "cohorts", "form": form})


@admin_required
def cohort_detail(request, pk: int):
    cohort = cohort_or_404(request.user, pk)
    units = units_for(request.user)
    email_form = EmailListForm(prefix="e")
    unit_form = UnitChoiceForm(prefix="u", units=units)
    visible = users_visible_to(request.user).filter(is_active=True)
    find = request.GET.get("find", "").strip()
    found = list(users_search(visible.exclude(cohorts=cohort), find).select_related("organisation")
                 .order_by("search_name", "email")[:PICK_LIMIT]) if find else []
    if request.method == "POST":
        if request.POST.get("action") == "pick":
            ids = [i for i in map(parse_id, request.POST.getlist("pick")) if i is not None]
            picked = list(visible.filter(pk__in=ids))
            if not picked:
                messages.error(request, _("Tick the people to add first."))
                return redirect("admin-cohort", pk=cohort.pk)
            if _add(request, unit_form, cohort, picked):
                return redirect("admin-cohort", pk=cohort.pk)
        elif "e-emails" in request.POST:
            email_form = EmailListForm(request.POST, prefix="e")
            if email_form.is_valid():
                emails = email_form.cleaned_data["emails"]
                found = list(visible.filter(email__in=emails))
                missing = sorted(set(emails) - {u.email for u in found})
                if _add(request, email_form, cohort, found):
                    if missing:
                        messages.error(request, _("Not found among your users: %(emails)s") % {
                            "emails": ", ".join(missing)})
                    return redirect("admin-cohort", pk=cohort.pk)
        else:
            unit_form = UnitChoiceForm(request.POST, prefix="u", units=units)
            if unit_form.is_valid():
                unit = unit_form.cleaned_data["organisation"]
                members = visible.filter(organisation__path__startswith=unit.path)
                if _add(request, unit_form, cohort, members):
                    return redirect("admin-cohort", pk=cohort.pk)
    members = users_visible_to(request.user).filter(cohorts=cohort).select_related(
        "organisation").order_by("search_name", "email")
    return render(request, "frontend/admin/cohort_detail.html", {
        "section": "cohorts", "cohort": cohort, "page": paginate(request, members), "query": "",
        "member_count": cohort.members.count(),
        "email_form": email_form, "unit_form": unit_form,
        "find": find, "found": found, "pick_limit": PICK_LIMIT,
    })


def _add(request, form, cohort, users) -> bool:
    try:
        added = accounts_api.cohort_add_members(actor=request.user, cohort=cohort, users=users)
    except (ValidationError, DomainError) as exc:
        add_errors(form, exc)
        return False
    messages.success(request, ngettext("%(n)d member added.", "%(n)d members added.", added)
                     % {"n": added})
    return True


@admin_required
@require_POST
def cohort_remove(request, pk: int):
    cohort = cohort_or_404(request.user, pk)
    ids = [i for i in map(parse_id, request.POST.getlist("user")) if i is not None]
    users = list(users_visible_to(request.user).filter(pk__in=ids))
    if users:
        asking = confirmation_page(
            request, question=ngettext("Remove %(n)d member from %(cohort)s?",
                                       "Remove %(n)d members from %(cohort)s?", len(users))
            % {"n": len(users), "cohort": cohort.name},
            consequence=", ".join(u.full_name or u.email for u in users[:20])
            + ("…" if len(users) > 20 else ""),
            action_label=_("Remove"), cancel_url=reverse("admin-cohort", args=[cohort.pk]))
        if asking is not None:
            return asking
    removed = accounts_api.cohort_remove_members(actor=request.user, cohort=cohort, users=users)
    messages.success(request, ngettext("%(n)d member removed.", "%(n)d members removed.", removed)
                     % {"n": removed})
    return redirect("admin-cohort", pk=cohort.pk)
