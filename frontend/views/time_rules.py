"""Pages of the time rules (decision 0061): a quiz's time exceptions ("Ngoại lệ thời gian", for
the course's trainers and administrators), a learner's due-date extension ("Gia hạn", from the
course's learners list) and a person's accommodation (people management).

Everything goes through the published apis (assessments.api, courses.api, backend.accounts.api),
the same services the REST endpoints call; a change applies to attempts started after it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments import api as assessments_api
from backend.accounts import api as accounts_api
from backend.errors import DomainError
from courses import api as courses_api
from frontend.confirm import confirmation_page
from frontend.forms_time_rules import AccommodationForm, DueDateForm, OverrideAddForm, OverrideFieldsForm
from frontend.views.admin import add_errors, admin_required, posted, user_or_404
from frontend.views.admin_enrolments import enrolment_of_or_404

RUNNING_NOTE = gettext_lazy("Changes apply to attempts started after them: an attempt in progress keeps "
                            "the deadline it started with.")


def _staff_quiz(request, quiz_id: int):
    try:
        return assessments_api.quiz_overrides_for_staff(user=request.user, quiz_id=quiz_id)
    except DomainError as exc:
        raise Http404 from exc


def _saved(request, row) -> None:
    messages.success(request, _("The time exception was saved."))
    if row.running_attempts:
        messages.info(request, str(RUNNING_NOTE))


@login_required
def quiz_overrides(request, quiz_id: int):
    quiz, rows = _staff_quiz(request, quiz_id)
    course = courses_api.course_get(quiz.course_id)
    lesson = courses_api.lesson_get(quiz.lesson_id)
    search = request.GET.get("q", "").strip()
    chosen = request.POST.get("user") if request.method == "POST" else None
    people = courses_api.enrolled_people_search(course_id=quiz.course_id, search=search) if search else []
    if chosen and not any(str(p[0]) == chosen for p in people):
        people = people + [p for p in courses_api.enrolled_people_search(course_id=quiz.course_id, limit=2000)
                           if str(p[0]) == chosen]
    cohorts = accounts_api.cohorts_for_staff(request.user)
    form = OverrideAddForm(posted(request), people=people, cohorts=cohorts)
    if request.method == "POST" and form.is_valid():
        try:
            row = assessments_api.quiz_override_create(
                actor=request.user, quiz_id=quiz.id, user_id=form.cleaned_data.get("user"),
                cohort_id=form.cleaned_data.get("cohort"), **form.values())
        except (ValidationError, DomainError) as exc:
            add_errors(form, exc)
        else:
            _saved(request, row)
            return redirect("quiz-overrides", quiz_id=quiz.id)
    shown = [{**vars(r), "minutes": -(-r.time_limit_seconds // 60) if r.time_limit_seconds else 0}
             for r in rows]
    return render(request, "frontend/quiz_authoring/overrides.html", {
        "quiz": quiz, "course": course, "lesson": lesson, "rows": shown, "form": form,
        "search": search, "people": people, "running_note": RUNNING_NOTE,
    })


@login_required
def quiz_override_edit(request, pk: int):
    try:
        row = assessments_api.quiz_override_get_for_staff(user=request.user, override_id=pk)
    except DomainError as exc:
        raise Http404 from exc
    quiz, _rows = _staff_quiz(request, row.quiz_id)
    form = OverrideFieldsForm(posted(request), initial=OverrideFieldsForm.initial_from(row))
    if request.method == "POST" and form.is_valid():
        try:
            saved = assessments_api.quiz_override_update(actor=request.user, override_id=pk, **form.values())
        except (ValidationError, DomainError) as exc:
            add_errors(form, exc)
        else:
            _saved(request, saved)
            return redirect("quiz-overrides", quiz_id=quiz.id)
    return render(request, "frontend/quiz_authoring/override_form.html", {
        "quiz": quiz, "course": courses_api.course_get(quiz.course_id),
        "lesson": courses_api.lesson_get(quiz.lesson_id), "row": row, "form": form,
        "running_note": RUNNING_NOTE,
    })


@login_required
@require_POST
def quiz_override_delete(request, pk: int):
    try:
        row = assessments_api.quiz_override_get_for_staff(user=request.user, override_id=pk)
    except DomainError as exc:
        raise Http404 from exc
    asking = confirmation_page(
        request,
        question=_("Remove the time exception for %(who)s?") % {"who": row.user_name or row.cohort_name},
        consequence=_("The quiz's own dates and limits apply to them again, from their next attempt."),
        action_label=_("Remove"), cancel_url=reverse("quiz-overrides", args=[row.quiz_id]))
    if asking is not None:
        return asking
    assessments_api.quiz_override_delete(actor=request.user, override_id=pk)
    messages.success(request, _("The time exception was removed."))
    return redirect("quiz-overrides", quiz_id=row.quiz_id)


@admin_required
def enrolment_due(request, course_pk: int, user_pk: int):
    """"Gia hạn": one learner's due date, from the course's learners list."""
    course, enrolment = enrolment_of_or_404(request.user, course_pk, user_pk)
    back = f"{reverse('admin-enrolments')}?course={course.pk}"
    form = DueDateForm(posted(request), initial={"due_at": enrolment.due_at})
    if request.method == "POST" and form.is_valid():
        try:
            courses_api.enrolment_set_due_at(actor=request.user, enrolment_id=enrolment.pk,
                                             due_at=form.cleaned_data.get("due_at"))
        except (ValidationError, DomainError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The due date of %(name)s was saved.")
                             % {"name": enrolment.user.full_name or enrolment.user.email})
            return redirect(back)
    return render(request, "frontend/admin/enrolment_due.html", {
        "section": "enrolments", "course": course, "enrolment": enrolment, "person": enrolment.user,
        "form": form, "back": back, "course_due": course.due_at,
        "effective": courses_api.effective_due_at(enrolment),
    })


@admin_required
def user_accommodation(request, pk: int):
    person = user_or_404(request.user, pk)
    current = accounts_api.accommodation_get(person.pk)
    initial = {"time_factor": str(current.time_factor).replace(".", ",") if current else "1",
               "extra_attempts": current.extra_attempts if current else 0,
               "reason": current.reason if current else ""}
    form = AccommodationForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            accounts_api.accommodation_set(actor=request.user, user_id=person.pk, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The accommodation was saved. It applies to attempts started "
                                        "from now on."))
            return redirect("admin-user", pk=person.pk)
    return render(request, "frontend/admin/user_accommodation.html", {
        "section": "users", "person": person, "form": form, "current": current,
    })
