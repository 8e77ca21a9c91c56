"""Certificate pages: public verification (by code, and of a dropped file), the holder's list, a
course's certificates for its administrators (bulk issue with live progress, revoke, reinstate,
re-issue, retry a failed PDF)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from backend.accounts.api import cohorts_visible_to
from backend.api.untrusted import InputError, check_query, parse_id, reads_own_upload
from backend.errors import DomainError
from backend.jobs.api import JobStatus, job_get
from certificates import api as certificates_api
from certificates.api import (
    Certificate,
    CertificateStatus,
    FileKind,
    FileRefused,
    Outcome,
    RenderStatus,
    body_too_large,
    certificate_renewal_start,
    certificates_visible_to,
    check_file,
    normalise_code,
    renewal_offer,
    renewals_for_course,
    templates_by_course,
    uploaded_bytes,
    use_memory_only_upload,
    verification_allowed,
    verification_get,
    verify_url,
)
from frontend.confirm import confirmation_page
from frontend.forms_admin import cohort_label


def _status_label(status: str) -> str:
    return str(CertificateStatus(status).label)


def verify_form(request):
    """/verify/?code=…: send whatever was typed to its page (normalised when it parses)."""
    typed = (request.GET.get("code") or "").strip()
    if typed:
        return redirect("verify-certificate", code=normalise_code(typed) or typed[:64])
    return render(request, "frontend/certificates/verify.html", {"searched": False})


def _throttled(request, template: str, context: dict, wait):
    seconds = int(wait or 60)
    response = render(request, template, {**context, "throttled": True, "wait": seconds},
                      status=429)
    response["Retry-After"] = str(seconds)
    return response


def verify(request, code: str):
    allowed, wait = verification_allowed(request)
    if not allowed:
        return _throttled(request, "frontend/certificates/verify.html", {"searched": True}, wait)
    data = verification_get(code)
    context = {"searched": True, "certificate": data, "code": code}
    if data is None:
        return render(request, "frontend/certificates/verify.html", context, status=404)
    context["status_label"] = _status_label(data.status)
    response = render(request, "frontend/certificates/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Verify this file (docs/decisions/0068-reinstatement-and-file-checks.md) -------------------

# outcome -> (icon, one sentence on what the file is, what to do next). Colour, icon and words.
VERDICTS = {
    Outcome.VALID: ("circle-check", gettext_lazy(
        "This file is a genuine certificate of ours, unaltered, and the certificate is valid "
        "today."), gettext_lazy(
        "You can rely on it. Its verification page shows the same status at any time.")),
    Outcome.REVOKED: ("circle-x", gettext_lazy(
        "The file is genuine and unaltered, but the certificate was revoked: it no longer "
        "attests the training."), gettext_lazy(
        "Do not accept it. The verification page gives the date and the reason.")),
    Outcome.EXPIRED: ("clock", gettext_lazy(
        "The file is genuine and unaltered, but the certificate's validity has ended."),
        gettext_lazy("It shows the training was completed, not that it is still valid: ask the "
                     "holder whether it was renewed.")),
    Outcome.SUPERSEDED: ("refresh-cw", gettext_lazy(
        "The file is genuine and unaltered, but the certificate was renewed: a newer certificate "
        "replaces it."), gettext_lazy(
        "Ask the holder for the new certificate; the verification page links to it.")),
    Outcome.TAMPERED: ("shield-alert", gettext_lazy(
        "Do not trust this file: it was changed after it was signed, or it was not signed by "
        "us."), gettext_lazy(
        "Ask the holder for the original file as downloaded from the platform, or check the "
        "verification code printed on the certificate.")),
    Outcome.UNKNOWN: ("circle-help", gettext_lazy(
        "We cannot confirm this file: it is not a certificate issued on this platform, or it "
        "could not be read."), gettext_lazy(
        "If the certificate shows a verification code, check the code; otherwise ask the unit "
        "that issued it.")),
}
VERIFY_FILE_TEMPLATE = "frontend/certificates/verify_file.html"


def _verify_file_context(**extra) -> dict:
    crumbs = [(_("Verify a certificate"), reverse("verify-form")), (_("Verify a file"), "")]
    return {"crumbs": crumbs, "max_pdf": certificates_api.max_bytes(FileKind.PDF),
            "max_json": certificates_api.max_bytes(FileKind.CREDENTIAL), **extra}


def _verdict_context(verdict) -> dict:
    icon, lead, next_step = VERDICTS[verdict.outcome]
    known = verdict.code and verdict.outcome not in (Outcome.UNKNOWN, Outcome.TAMPERED)
    older = (verdict.revision is not None and verdict.current_revision is not None
             and verdict.revision < verdict.current_revision)
    return {"verdict": verdict, "outcome_label": str(Outcome(verdict.outcome).label),
            "kind_label": str(FileKind(verdict.kind).label), "icon": icon, "lead": lead,
            "next_step": next_step, "older_revision": older,
            "certificate_url": reverse("verify-certificate", args=[verdict.code]) if known else ""}


@reads_own_upload  # nothing may read the body before the memory-only handler is installed
@csrf_exempt  # not even the CSRF check: it runs after the handler, in _verify_file_post
@require_http_methods(["GET", "POST"])
def verify_file(request):
    """/verify/file/: drop a certificate's PDF or credential JSON; the page says what it is.

    A POST is rate limited with the verification by code, refused unread when its declared size
    is too large, then read into memory only (never stored) and CSRF-checked."""
    if request.method == "GET":
        return render(request, VERIFY_FILE_TEMPLATE, _verify_file_context())
    allowed, wait = verification_allowed(request)
    if not allowed:
        return _throttled(request, VERIFY_FILE_TEMPLATE, _verify_file_context(), wait)
    if body_too_large(request):
        return _file_refused(request, certificates_api.file_too_large())
    handler = use_memory_only_upload(request)
    return _verify_file_post(request, handler)


@csrf_protect
def _verify_file_post(request, handler):
    try:
        check_query(request.POST)  # what RefuseUnsafeInputMiddleware left to this view
    except InputError as exc:
        return _file_refused(request, FileRefused(exc.message, code="invalid"))
    try:
        verdict = check_file(uploaded_bytes(request.FILES, handler))
    except FileRefused as refused:
        return _file_refused(request, refused)
    response = render(request, VERIFY_FILE_TEMPLATE,
                      _verify_file_context(**_verdict_context(verdict)))
    response["X-Robots-Tag"] = "noindex"
    return response


def _file_refused(request, refused: FileRefused):
    return render(request, VERIFY_FILE_TEMPLATE,
                  _verify_file_context(error=refused.fields.get("file", refused.message)),
                  status=refused.status)


@login_required
def my_certificates(request):
    rows = list(certificates_visible_to(request.user).filter(user_id=request.user.pk)
                .select_related("renewal", "renewed_by").order_by("-issued_at", "-pk"))
    templates = templates_by_course(c.course_id for c in rows)
    items = [{"certificate": c, "status": c.status, "status_label": _status_label(c.status),
              "verify_url": verify_url(c.code), "offer": renewal_offer(c, templates[c.course_id]),
              "successor": _successor(c),
              "pdf_url": reverse("api-certificate-pdf", args=[c.pk]),
              "credential_url": reverse("api-certificate-credential", args=[c.pk]) + "?download=1"}
             for c in rows]
    return render(request, "frontend/certificates/mine.html", {"items": items})


def _successor(certificate):
    try:
        return certificate.renewed_by
    except Certificate.DoesNotExist:
        return None


@login_required
@require_POST
def certificate_renew(request, certificate_id: int):
    """The holder's "Gia hạn giấy chứng nhận": start the renewal, then go to the course to do."""
    try:
        renewal = certificate_renewal_start(actor=request.user, certificate_id=certificate_id)
    except DomainError as exc:
        if exc.status == 404:
            return render(request, "frontend/error.html", {"status": 404}, status=404)
        messages.error(request, exc.message)
        return redirect("my-certificates")
    if renewal.completed_at is None:
        messages.success(request, _("The renewal has started: complete the course below and the "
                                    "new certificate is issued automatically."))
        return redirect("course-outline", pk=renewal.course_id)
    return redirect("my-certificates")


def _course_or_error(request, course_id: int):
    try:
        return certificates_api.ensure_manageable_course(actor=request.user, course_id=course_id), None
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
    crumbs = [(_("Administration"), reverse("admin-home")),
              (_("Certificates"), reverse("admin-certificates")), (course.title, "")]
    return render(request, "frontend/certificates/course.html", {
        "course": course, "rows": rows, "page": page, "total": qs.count(), "crumbs": crumbs,
        "renewals": list(renewals_for_course(course.id)[:100]),
        "bulk_status": _bulk_job_status(request, course.id),
        "revoke_consequence": REVOKE_CONSEQUENCE, "reissue_consequence": REISSUE_CONSEQUENCE,
        "reinstate_consequence": REINSTATE_CONSEQUENCE,
        "failed": qs.filter(render_status=RenderStatus.FAILED).count(),
        "issue_url": reverse("api-course-certificates-issue", args=[course.id]),
        "cohorts": _cohorts_of(request.user),
        "zip_url": reverse("api-course-certificates-zip", args=[course.id]),
        "bulk_messages": {
            "running": _("Issuing: {done} of {total}"), "done": str(BULK_SUMMARY),
            "failed": _("The job failed."), "resumed": _("(resumed after the server stopped)"),
            "error": _("Could not start issuing.")},
    })


def _cohorts_of(user) -> list[tuple[int, str]]:
    """Cohorts of the units the user administers (the bulk issue can be limited to one), named
    with their unit and size as in every cohort picker."""
    return [(c.pk, cohort_label(c)) for c in cohorts_visible_to(user)]


BULK_SUMMARY = gettext_lazy("{created} new certificate(s); {already_issued} already issued before; "
                            "{skipped} skipped (not eligible); {failed} failed.")


def bulk_summary(counts: dict) -> str:
    """What a finished bulk issue did, each kind of outcome apart (certificates.bulk.COUNTS).
    The page's script fills the same sentence from the job's ``result.counts``."""
    return str(BULK_SUMMARY).format(**{key: int(counts.get(key, 0))
                                       for key in certificates_api.BULK_ISSUE_COUNTS})


@login_required
@require_POST
def course_bulk_issue(request, course_id: int):
    """Without JavaScript: start the job and come back (the page shows the result when done)."""
    try:
        cohort = request.POST.get("cohort", "")
        job = certificates_api.bulk_issue_start(actor=request.user, course_id=course_id,
                                    cohort_id=parse_id(cohort))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("course-certificates", course_id=course_id)
    # The page shows the job: its result when done, its progress while it runs.
    return redirect(f"{reverse('course-certificates', args=[course_id])}?job={job.id}")


def _bulk_job_status(request, course_id: int) -> str:
    """What the bulk job named in ?job= did (only a bulk issue of this course, started by the
    viewer); "" when there is none."""
    try:
        job = job_get(uuid.UUID(request.GET.get("job", "")))
    except ValueError:
        return ""
    if (job is None or job.kind != certificates_api.BULK_ISSUE_JOB_KIND
            or job.started_by_id != request.user.pk
            or job.params.get("course_id") != course_id):
        return ""
    if job.status == JobStatus.DONE:
        return bulk_summary(job.result.get("counts", {}))
    if job.status == JobStatus.FAILED:
        return _("The job failed.")
    return _("Issuing: %(done)d of %(total)d. Reload the page to see the result.") % {
        "done": job.done + job.errors, "total": job.total}


REVOKE_CONSEQUENCE = gettext_lazy("The verification page will say it is revoked from now on. An "
                                  "administrator can reinstate it later, with a reason.")
REINSTATE_CONSEQUENCE = gettext_lazy("The revocation is undone: the certificate reads valid again "
                                     "(or expired or renewed, as its dates say) on its "
                                     "verification page, which also shows when and why it was "
                                     "reinstated. The audit log keeps the revocation.")
REISSUE_CONSEQUENCE = gettext_lazy("A new PDF with a new serial number and today's date replaces "
                                   "this one; the verification code stays the same.")


def _confirm(request, course, certificate_id: int, action: str):
    """Revoking, reinstating and re-issuing ask first (frontend/confirm.py); retrying a PDF does
    not."""
    if action not in ("revoke", "reinstate", "reissue"):
        return None
    certificate = Certificate.objects.filter(pk=certificate_id, course_id=course.id).first()
    if certificate is None:
        return render(request, "frontend/error.html", {"status": 404}, status=404)
    names = {"serial": certificate.serial, "name": certificate.holder_name}
    if action == "revoke":
        return confirmation_page(
            request, question=_("Revoke certificate %(serial)s of %(name)s?") % names,
            consequence=str(REVOKE_CONSEQUENCE),
            action_label=_("Revoke"),
            cancel_url=reverse("course-certificates", args=[course.id]))
    if action == "reinstate":
        return confirmation_page(
            request, question=_("Reinstate certificate %(serial)s of %(name)s?") % names,
            consequence=str(REINSTATE_CONSEQUENCE), action_label=_("Reinstate"),
            cancel_url=reverse("course-certificates", args=[course.id]))
    return confirmation_page(
        request, question=_("Re-issue certificate %(serial)s of %(name)s?") % names,
        consequence=str(REISSUE_CONSEQUENCE),
        action_label=_("Re-issue"), cancel_url=reverse("course-certificates", args=[course.id]))


@login_required
@require_POST
def certificate_action(request, course_id: int, certificate_id: int, action: str):
    course, error = _course_or_error(request, course_id)
    if error:
        return error
    asking = _confirm(request, course, certificate_id, action)
    if asking is not None:
        return asking
    try:
        if action == "revoke":
            certificates_api.certificate_revoke(actor=request.user, certificate_id=certificate_id,
                                        reason=request.POST.get("reason", ""))
            messages.success(request, _("The certificate was revoked."))
        elif action == "reinstate":
            certificates_api.certificate_reinstate(actor=request.user, certificate_id=certificate_id,
                                                   reason=request.POST.get("reason", ""))
            messages.success(request, _("The certificate was reinstated: it reads as its dates "
                                        "say again."))
        elif action == "reissue":
            certificates_api.certificate_reissue(actor=request.user, certificate_id=certificate_id,
                                         reason=request.POST.get("reason", ""))
            messages.success(request, _("The certificate was re-issued."))
        elif action == "render":
            certificates_api.certificate_retry_render(actor=request.user, certificate_id=certificate_id)
            messages.success(request, _("The PDF is being drawn again."))
    except DomainError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("course-certificates", course_id=course_id)
