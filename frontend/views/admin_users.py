"""Administration: users (search, filter, create, detail with roles, cohorts, invitation; edit
name, e-mail and unit; deactivate after a confirmation, reactivate)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backend.accounts import api as accounts_api
from backend.accounts.api import Organisation, Role, RoleAssignment, users_search, users_visible_to
from backend.errors import DomainError
from frontend.confirm import confirmation_page
from frontend.forms_admin import (
    CohortChoiceForm,
    DeactivateForm,
    RoleAssignForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from frontend.views.admin import (
    add_errors,
    admin_required,
    cohort_or_404,
    cohorts_for,
    paginate,
    posted,
    query_without_page,
    units_for,
    user_or_404,
)


def _with_roles(qs):
    return qs.select_related("organisation").prefetch_related(Prefetch(
        "role_assignments",
        queryset=RoleAssignment.objects.select_related("organisation").order_by("role")))


@admin_required
def user_list(request):
    units = units_for(request.user)
    form = UserFilterForm(request.GET or None, units=units)
    users = users_visible_to(request.user)
    if form.is_valid():
        users = users_search(users, form.cleaned_data["q"])
        if form.cleaned_data["unit"]:
            users = users.filter(organisation__path__startswith=form.cleaned_data["unit"].path)
        if form.cleaned_data["role"]:
            users = users.filter(pk__in=RoleAssignment.objects.filter(
                role=form.cleaned_data["role"]).values("user_id"))
        if form.cleaned_data["status"]:
            users = users.filter(is_active=form.cleaned_data["status"] == "active")
    page = paginate(request, _with_roles(users.order_by("search_name", "email")))
    return render(request, "frontend/admin/users.html", {
        "section": "users", "form": form, "page": page, "query": query_without_page(request),
        "role_labels": dict(Role.choices),
    })


@admin_required
def user_create(request):
    units = units_for(request.user)
    form = UserCreateForm(posted(request), units=units)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts_api.user_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The user has been created."))
            return redirect("admin-user", pk=user.pk)
    return render(request, "frontend/admin/user_create.html", {"section": "users", "form": form})


@admin_required
def user_detail(request, pk: int):
    user = user_or_404(request.user, pk)
    units = units_for(request.user)
    cohorts = cohorts_for(request.user)
    role_form = RoleAssignForm(units=units, initial={"organisation": user.organisation_id})
    cohort_form = CohortChoiceForm(cohorts=cohorts.exclude(members=user))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "assign":
            role_form = RoleAssignForm(request.POST, units=units)
            if role_form.is_valid() and _run(role_form, accounts_api.role_assign, actor=request.user,
                                             user=user, **role_form.cleaned_data):
                messages.success(request, _("The role has been given."))
                return redirect("admin-user", pk=user.pk)
        elif action == "cohort":
            cohort_form = CohortChoiceForm(request.POST, cohorts=cohorts)
            if cohort_form.is_valid() and _run(
                    cohort_form, accounts_api.cohort_add_members, actor=request.user,
                    cohort=cohort_form.cleaned_data["cohort"], users=[user]):
                messages.success(request, _("Added to the cohort."))
                return redirect("admin-user", pk=user.pk)
    assignments = RoleAssignment.objects.filter(user=user).select_related("organisation")
    return render(request, "frontend/admin/user_detail.html", {
        "section": "users", "person": user, "assignments": assignments,
        "cohorts": cohorts.filter(members=user),
        "role_form": role_form, "cohort_form": cohort_form,
        "manageable": {a.pk for a in assignments if _manages(request.user, a.organisation)},
        "can_invite": user.is_active and not user.has_usable_password(),
        "can_manage": _manages_person(request.user, user),
        "is_self": user.pk == request.user.pk,
    })


@admin_required
def user_edit(request, pk: int):
    """Correct the name, e-mail address or unit (Administration › Users › person › Edit)."""
    user = user_or_404(request.user, pk)
    form = UserEditForm(posted(request), units=units_for(request.user), initial={
        "full_name": user.full_name, "email": user.email, "organisation": user.organisation_id})
    if request.method == "POST" and form.is_valid() and _run(
            form, accounts_api.user_update, actor=request.user, user=user, **form.cleaned_data):
        messages.success(request, _("The details have been saved."))
        return redirect("admin-user", pk=user.pk)
    return render(request, "frontend/admin/user_edit.html", {
        "section": "users", "person": user, "form": form})


@admin_required
def user_deactivate(request, pk: int):
    """Ask first (GET), then deactivate (POST): the person is signed out everywhere."""
    user = user_or_404(request.user, pk)
    form = DeactivateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            ended = accounts_api.user_deactivate(actor=request.user, user=user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, ngettext(
                "The account has been deactivated; %(n)d open session was signed out.",
                "The account has been deactivated; %(n)d open sessions were signed out.",
                ended) % {"n": ended})
            return redirect("admin-user", pk=user.pk)
    return render(request, "frontend/admin/user_deactivate.html", {
        "section": "users", "person": user, "form": form})


@admin_required
@require_POST
def user_reactivate(request, pk: int):
    return _act_on_person(request, pk, accounts_api.user_reactivate,
                          _("The account is active again: the person can sign in."))


def _act_on_person(request, pk: int, service, done: str):
    """A one-button action on a person's page: do it, say how it went, back to their page."""
    user = user_or_404(request.user, pk)
    try:
        service(actor=request.user, user=user)
        messages.success(request, done)
    except (ValidationError, DomainError) as exc:
        messages.error(request, _error_text(exc))
    return redirect("admin-user", pk=user.pk)


def _manages_person(actor, user) -> bool:
    try:
        accounts_api.require_manages_person(actor, user)
    except DomainError:
        return False
    return True


def _error_text(exc) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else exc.message


def _manages(actor, unit: Organisation | None) -> bool:
    try:
        accounts_api.require_admin_over(actor, unit)
    except ValidationError:
        return False
    return True


def _run(form, service, **kwargs) -> bool:
    try:
        service(**kwargs)
    except (ValidationError, DomainError) as exc:
        add_errors(form, exc)
        return False
    return True


@admin_required
@require_POST
def role_revoke(request, pk: int, assignment_pk: int):
    user = user_or_404(request.user, pk)
    assignment = RoleAssignment.objects.filter(pk=assignment_pk, user=user).select_related(
        "organisation").first()
    if assignment is not None:
        where = assignment.organisation.name if assignment.organisation else _("everywhere")
        asking = confirmation_page(
            request, question=_("Take the role %(role)s (%(unit)s) away from %(name)s?") % {
                "role": assignment.get_role_display(), "unit": where,
                "name": user.full_name or user.email},
            action_label=_("Take away"), cancel_url=reverse("admin-user", args=[user.pk]))
        if asking is not None:
            return asking
        try:
            accounts_api.role_revoke(actor=request.user, user=user, role=assignment.role,
                                 organisation=assignment.organisation)
            messages.success(request, _("The role has been taken away."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("admin-user", pk=user.pk)


@admin_required
@require_POST
def cohort_leave(request, pk: int, cohort_pk: int):
    user = user_or_404(request.user, pk)
    cohort = cohort_or_404(request.user, cohort_pk)
    asking = confirmation_page(
        request, question=_("Remove %(name)s from the cohort %(cohort)s?") % {
            "name": user.full_name or user.email, "cohort": cohort.name},
        action_label=_("Remove"), cancel_url=reverse("admin-user", args=[user.pk]))
    if asking is not None:
        return asking
    accounts_api.cohort_remove_members(actor=request.user, cohort=cohort, users=[user])
    messages.success(request, _("Removed from the cohort."))
    return redirect("admin-user", pk=user.pk)


@admin_required
@require_POST
def invitation_resend(request, pk: int):
    return _act_on_person(request, pk, accounts_api.invitation_resend,
                          _("The invitation has been sent again."))


__all__ = ["cohort_leave", "invitation_resend", "role_revoke", "user_create", "user_deactivate",
           "user_detail", "user_edit", "user_list", "user_reactivate"]
