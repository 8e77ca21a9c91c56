"""Administration: enrol users, a cohort or a unit's subtree into a course; unenrol."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.accounts.api import path_q
from backend.api.untrusted import parse_id
from backend.errors import DomainError
from backend.spreadsheets import csv_stream, xlsx_append, xlsx_tempfile, xlsx_workbook
from courses.api import (
    LEARNER_COLUMNS,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    course_learner_rows,
    enrolment_visibility_q,
    enrolment_withdraw,
    enrolments_add,
    staff_paths,
    with_effective_due_at,
)
from frontend.confirm import confirmation_page
from frontend.forms_admin import EnrolForm
from frontend.views.admin import (
    add_errors,
    admin_required,
    cohorts_for,
    paginate,
    posted,
    query_without_page,
    units_for,
)


def courses_for(user):
    """Published courses the user is staff of (only those take staff enrolments)."""
    return (Course.objects.filter(path_q(staff_paths(user), "organisation__path"),
                                  status=CourseStatus.PUBLISHED)
            .select_related("organisation").order_by("title", "pk"))


def _course_or_404(user, pk) -> Course:
    course_id = parse_id(pk)
    course = courses_for(user).filter(pk=course_id).first() if course_id is not None else None
    if course is None:
        raise Http404
    return course


def enrolment_of_or_404(user, course_pk, user_pk) -> tuple[Course, Enrolment]:
    """A live enrolment of a course the user is staff of, as the learners list shows it."""
    course = _course_or_404(user, course_pk)
    enrolment = (Enrolment.objects.filter(enrolment_visibility_q(user, course), user_id=user_pk)
                 .exclude(status=EnrolmentStatus.WITHDRAWN).select_related("user", "course").first())
    if enrolment is None:
        raise Http404
    return course, enrolment


@admin_required
def enrolments(request):
    courses = courses_for(request.user)
    course = _course_or_404(request.user, request.GET["course"]) if request.GET.get("course") else None
    cohorts = cohorts_for(request.user)
    units = units_for(request.user)
    initial = {"cohort": request.GET.get("cohort")} if request.GET.get("cohort") else None
    form = EnrolForm(posted(request), cohorts=cohorts, units=units, initial=initial)
    if course is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = enrolments_add(
                actor=request.user, course_id=course.pk, emails=data["emails"],
                cohort_id=data["cohort"].pk if data.get("cohort") else None,
                organisation_id=data["organisation"].pk if data.get("organisation") else None)
        except (ValidationError, DomainError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _(
                "Enrolled: %(created)d new, %(reactivated)d re-enrolled, %(unchanged)d already "
                "enrolled.") % {"created": result.created, "reactivated": result.reactivated,
                                "unchanged": result.unchanged})
            if result.not_found:
                messages.error(request, _("Not found among your users: %(emails)s") % {
                    "emails": ", ".join(result.not_found[:50])})
            return redirect(f"{request.path}?course={course.pk}")
    page = None
    if course is not None:
        rows = (Enrolment.objects.filter(enrolment_visibility_q(request.user, course))
                .exclude(status=EnrolmentStatus.WITHDRAWN)
                .select_related("user", "user__organisation").order_by("user__search_name", "pk"))
        page = paginate(request, with_effective_due_at(rows))
    return render(request, "frontend/admin/enrolments.html", {
        "section": "enrolments", "courses": courses, "course": course, "form": form,
        "page": page, "query": query_without_page(request),
    })


@admin_required
def learners_export(request, fmt: str):
    """The learners list of `?course=` (every page of it) as CSV or XLSX, streamed: memory stays
    flat whatever the number of learners (courses.reports.course_learner_rows)."""
    if not request.GET.get("course"):
        raise Http404
    course = _course_or_404(request.user, request.GET["course"])
    header = [str(label) for label in LEARNER_COLUMNS]
    rows = course_learner_rows(request.user, course)
    name = f"{slugify(course.title) or 'course'}-{course.pk}-learners-{timezone.localdate().isoformat()}"
    if fmt == "csv":
        return csv_stream(_with_header(header, rows), f"{name}.csv")
    book = xlsx_workbook()
    sheet = book.create_sheet(_("Learners")[:31])
    for column, width in zip("ABCDEFGHI", (30, 32, 40, 14, 12, 14, 18, 18, 14), strict=True):
        sheet.column_dimensions[column].width = width
    xlsx_append(sheet, header)
    for row in rows:
        xlsx_append(sheet, row)
    return xlsx_tempfile(book, f"{name}.xlsx")


def _with_header(header, rows):
    yield header
    yield from rows


@admin_required
@require_POST
def unenrol(request, course_pk: int, user_pk: int):
    course = _course_or_404(request.user, course_pk)
    enrolment = Enrolment.objects.filter(course=course, user_id=user_pk).select_related("user").first()
    if enrolment is None:
        raise Http404
    person = enrolment.user
    asking = confirmation_page(
        request, question=_("Unenrol %(name)s from %(course)s?") % {
            "name": person.full_name or person.email, "course": course.title},
        consequence=_("They lose access to the course; their progress is kept if they are "
                      "enrolled again."),
        action_label=_("Unenrol"), cancel_url=f"{reverse('admin-enrolments')}?course={course.pk}")
    if asking is not None:
        return asking
    try:
        enrolment_withdraw(actor=request.user, course_id=course.pk, user_id=user_pk)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Unenrolled. Progress is kept if they are enrolled again."))
    return redirect(f"{reverse('admin-enrolments')}?course={course.pk}")
