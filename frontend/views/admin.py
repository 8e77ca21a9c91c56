"""Administration pages: shared access rule and the landing page.

Only holders of the administrator role reach these pages (others get a 403 page); an
administrator over a subtree sees and manages only that subtree, and an object outside it is
"not found" (404), so lists never show what a detail page would refuse.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from backend.accounts.api import (
    Cohort,
    Organisation,
    Role,
    cohorts_visible_to,
    organisations_for,
    subtree_paths,
    user_role_scopes,
    users_visible_to,
)
from backend.errors import DomainError

PAGE_SIZE = 25


def is_administrator(user) -> bool:
    return any(s.role == Role.ADMINISTRATOR for s in user_role_scopes(user))


def admin_required(view):
    """Signed in and administrator somewhere; otherwise the translated 403 page."""
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_administrator(request.user):
            return render(request, "frontend/admin/forbidden.html", status=403)
        return view(request, *args, **kwargs)
    return wrapped


def admin_paths(user) -> list[str] | None:
    """Subtree roots the user administers (None: everywhere)."""
    return subtree_paths(user_role_scopes(user), [Role.ADMINISTRATOR])


def units_for(user):
    return organisations_for(user, [Role.ADMINISTRATOR])


def unit_or_404(user, pk) -> Organisation:
    unit = units_for(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def cohorts_for(user):
    """Cohorts of the user's units, each with its unit and `size`, as every picker shows them."""
    return cohorts_visible_to(user)


def cohort_or_404(user, pk) -> Cohort:
    cohort = cohorts_for(user).filter(pk=pk).first()
    if cohort is None:
        raise Http404
    return cohort


def user_or_404(actor, pk):
    user = users_visible_to(actor).select_related("organisation").filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def paginate(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current filters as a query string, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def add_errors(form, exc: Exception) -> None:
    """Show a service's refusal on the form, in the user's language, keeping the input."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    elif isinstance(exc, DomainError):
        for field, message in exc.fields.items():
            form.add_error(field if field in form.fields else None, message)
        if not exc.fields:
            form.add_error(None, exc.message)
    else:
        raise exc


@admin_required
def home(request):
    units = units_for(request.user)
    return render(request, "frontend/admin/home.html", {
        "user_count": users_visible_to(request.user).count(),
        "unit_count": units.count(),
        "cohort_count": cohorts_for(request.user).count(),
    })


def posted(request):
    """The submitted data, or None for a GET (an empty POST still binds, and fails validation)."""
    return request.POST if request.method == "POST" else None
