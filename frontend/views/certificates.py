"""Certificate pages: public verification, the holder's list, a course's certificates for its
administrators (bulk issue with live progress, revoke, re-issue, retry a failed PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.accounts.selectors import cohorts_visible_to
from backend.api.untrusted import parse_id
from backend.errors import DomainError
from certificates import bulk, services
from certificates.api import verification_get
from certificates.codes import normalise_code
from certificates.models import Certificate, RenderStatus
from certificates.rendering import verify_url
from certificates.rest.throttles import verification_allowed
from certificates.selectors import certificates_visible_to
from frontend.forms_admin import cohort_label


def _status_label(status: str) -> str:
    return {"valid": _("Valid"), "revoked": _("Revoked"), "expired": _("Expired")}[status]


def verify_form(request):
    """/verify/?code=…: send whatever was typed to its page (normalised when it parses)."""
    typed = (request.GET.get("code") or "").strip()
    if typed:
        return redirect("verify-certificate", code=normalise_code(typed) or typed[:64])
    return render(request, "frontend/certificates/verify.html", {"searched": False})


def verify(request, code: str):
    allowed, wait = verification_allowed(request)
    if not allowed:
        response = render(request, "frontend/certificates/verify.html",
                          {"searched": True, "throttled": True, "wait": int(wait or 60)}, status=429)
        response["Retry-After"] = str(int(wait or 60))
        return response
    data = verification_get(code)
    context = {"searched": True, "certificate": data, "code": code}
    if data is None:
        return render(request, "frontend/certificates/verify.html", context, status=404)
    context["status_label"] = _status_label(data.status)
    response = render(request, "frontend/certificates/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def my_certificates(request):
    rows = (certificates_visible_to(request.user).filter(user_id=request.user.pk)
            .order_by("-issued_at", "-pk"))
    items = [{"certificate": c, "status": c.status, "status_label": _status_label(c.status),
              "verify_url": verify_url(c.code),
              "pdf_url": reverse("api-certificate-pdf", args=[c.pk])} for c in rows]
    return render(request, "frontend/certificates/mine.html", {"items": items})


def _course_or_error(request, course_id: int):
    try:
        return services.ensure_manageable_course(actor=request.user, course_id=course_id), None
    except DomainError:  # unknown or not theirs to manage: the same "not found" either way
        return None, render(request, "frontend/error.html", {"status": 404}, status=404)


@login_required
def course_certificates(request, course_id: int):
    course, error = _course_or_error(request, course_id)
    if error:
        return error
    qs = Certificate.objects.filter(course_id=course.id).order_by("-issued_at", "-pk")
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    rows = [{"certificate": c, "status": c.status, "status_label": _status_label(c.status),
             "failed": c.render_status == RenderStatus.FAILED,
             "pdf_url": reverse("api-certificate-pdf", args=[c.pk])} for c in page]
    return render(request, "frontend/certificates/course.html", {
        "course": course, "rows": rows, "page": page, "total": qs.count(),
        "failed": qs.filter(render_status=RenderStatus.FAILED).count(),
        "issue_url": reverse("api-course-certificates-issue", args=[course.id]),
        "cohorts": _cohorts_of(request.user),
        "zip_url": reverse("api-course-certificates-zip", args=[course.id]),
    })


def _cohorts_of(user) -> list[tuple[int, str]]:
    """Cohorts of the units the user administers (the bulk issue can be limited to one), named
    with their unit and size as in every cohort picker."""
    return [(c.pk, cohort_label(c)) for c in cohorts_visible_to(user)]


@login_required
@require_POST
def course_bulk_issue(request, course_id: int):
    """Without JavaScript: start the job and come back (the page shows the result when done)."""
    try:
        cohort = request.POST.get("cohort", "")
        job = bulk.bulk_issue_start(actor=request.user, course_id=course_id,
                                    cohort_id=parse_id(cohort))
        messages.success(request, _("Issuing started: %(total)d people.") % {"total": job.total})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("course-certificates", course_id=course_id)


@login_required
@require_POST
def certificate_action(request, course_id: int, certificate_id: int, action: str):
    try:
        if action == "revoke":
            services.certificate_revoke(actor=request.user, certificate_id=certificate_id,
                                        reason=request.POST.get("reason", ""))
            messages.success(request, _("The certificate was revoked."))
        elif action == "reissue":
            services.certificate_reissue(actor=request.user, certificate_id=certificate_id,
                                         reason=request.POST.get("reason", ""))
            messages.success(request, _("The certificate was re-issued."))
        elif action == "render":
            services.certificate_retry_render(actor=request.user, certificate_id=certificate_id)
            messages.success(request, _("The PDF is being drawn again."))
    except DomainError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("course-certificates", course_id=course_id)
