"""Quiz pages: the trainee's start page, player and review; the trainers' essay grading queue.

The player is a shell: quiz.js talks to the REST API (session cookie + CSRF token), so the page
and outside clients go through the same rules. Start, review and grading call the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import api as assessments_api
from assessments.api import AttemptStatus, effective_rules
from backend.errors import DomainError
from frontend.course_index import course_index


def _or_404(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        raise


def _nav(request, quiz) -> dict | None:
    """The course index around the quiz's lesson (None for a quiz outside a course lesson)."""
    if not quiz.lesson_id:
        return None
    access = getattr(quiz, "learner_access", None)  # read by quiz_get_for_learner's access check
    if access is not None and access.user_id == request.user.pk:
        return course_index(request.user, lesson_id=quiz.lesson_id, course=access.course,
                            enrolment=access.enrolment, pass_mark=quiz.pass_mark)
    return course_index(request.user, lesson_id=quiz.lesson_id, pass_mark=quiz.pass_mark)


@login_required
def quiz_start_page(request, quiz_id: int):
    now = timezone.now()
    try:
        quiz = assessments_api.quiz_get_for_learner(request.user, quiz_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        return render(request, "frontend/quiz/unavailable.html", {"message": exc.message}, status=exc.status)
    own = [assessments_api.attempt_expire_if_due(a, now)
           for a in assessments_api.user_attempts(quiz, request.user.pk)]
    rules = effective_rules(quiz, request.user)
    body = assessments_api.quiz_for_trainee(quiz, own, now=now, rules=rules)
    body["time_limit_minutes"] = -(-(rules.time_limit_seconds or 0) // 60)
    return render(request, "frontend/quiz/start.html", {"quiz": body, "nav": _nav(request, quiz)})


@login_required
@require_POST
def quiz_start(request, quiz_id: int):
    try:
        result = assessments_api.attempt_start(user=request.user, quiz_id=quiz_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect("quiz-start", quiz_id=quiz_id)
    return redirect("quiz-attempt", attempt_id=result.attempt.pk)


@login_required
def attempt_player(request, attempt_id: int):
    attempt, as_staff = _or_404(assessments_api.attempt_get_for_viewer, request.user, attempt_id)
    attempt = assessments_api.attempt_expire_if_due(attempt)
    if as_staff or attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect("quiz-review", attempt_id=attempt.pk)
    return render(
        request,
        "frontend/quiz/player.html",
        {"attempt": attempt, "quiz": attempt.quiz, "strings": player_strings(),
         "nav": _nav(request, attempt.quiz)},
    )


def player_strings() -> dict[str, str]:
    """Every text quiz.js shows, translated here (the script holds no language of its own)."""
    return {
        "saving": _("Saving…"),
        "saved": _("Saved"),
        "offline": _("Not saved yet: retrying…"),
        "invalid": _("This answer was not accepted:"),
        "question": _("Question %(n)s") % {"n": "{n}"},
        "marks": _("%(n)s mark(s)") % {"n": "{n}"},
        "true": _("True"),
        "false": _("False"),
        "choose": _("Choose…"),
        "up": _("Move up"),
        "down": _("Move down"),
        "your_answer": _("Your answer"),
        "words": _("Words: {n}"),
        "unanswered": _("Unanswered questions: {list}"),
        "confirm_all": _(
            "You have answered every question. Submit now? You cannot change the answers afterwards."
        ),
        "confirm_some": _(
            "{n} question(s) have no answer. Submit anyway? You cannot change the answers afterwards."
        ),
        "time_over": _("The time is over: your saved answers are being submitted."),
        "submit_failed": _("Submitting failed; check the connection and try again."),
        "moved": _("Moved to position {n}"),
        "keep_order": _("Keep this order"),
        "order_kept": _("This order is your answer."),
        "one": _("Choose one"),
        "many": _("Choose one or more"),
        "flag": _("Flag for review"),
        "nav_answered": _("answered"),
        "nav_unanswered": _("not answered"),
        "nav_flagged": _("flagged"),
    }


@login_required
def attempt_review(request, attempt_id: int):
    now = timezone.now()
    attempt, as_staff = _or_404(assessments_api.attempt_get_for_viewer, request.user, attempt_id)
    attempt = assessments_api.attempt_expire_if_due(attempt, now)
    if not as_staff and attempt.status == AttemptStatus.IN_PROGRESS:
        return redirect("quiz-attempt", attempt_id=attempt.pk)
    responses = list(attempt.responses.select_related("version"))
    body = assessments_api.attempt_payload(attempt, responses, as_staff=as_staff, now=now)
    return render(
        request, "frontend/quiz/review.html",
        {"a": body, "quiz": attempt.quiz, "as_staff": as_staff,
         "nav": None if as_staff else _nav(request, attempt.quiz)},
    )


GRADING_PAGE_SIZE = 20


@login_required
def grading_queue(request, quiz_id: int):
    quiz = _or_404(assessments_api.quiz_get_for_staff, request.user, quiz_id)
    if request.method == "POST":
        try:
            mark = float(request.POST.get("mark", "").replace(",", "."))
            assessments_api.response_grade(
                actor=request.user,
                response_id=int(request.POST["response"]),
                mark=mark,
                feedback=request.POST.get("feedback", ""),
            )
            messages.success(request, _("Grade saved."))
        except (ValueError, KeyError):
            messages.error(request, _("Enter a mark as a number."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except DomainError as exc:
            messages.error(request, exc.message)
        # Back to the page the grade was given on (the essay left it if it awaited a grade).
        return redirect(request.get_full_path())
    show_all = request.GET.get("all") == "1"
    # A page at a time (two queries: the count and the page), however long the queue is.
    page = Paginator(assessments_api.grading_queue(quiz.pk, include_graded=show_all),
                     GRADING_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    for item in items:
        item.mark_value = None if item.fraction is None else round(item.fraction * item.max_mark, 2)
    crumbs = [(_("Teaching"), reverse("authoring-home")),
              (_("Quizzes and grading"), reverse("quiz-authoring-home")), (quiz.title, "")]
    return render(request, "frontend/quiz/grading.html",
                  {"quiz": quiz, "items": items, "page": page, "query": "all=1" if show_all else "",
                   "show_all": show_all, "crumbs": crumbs})
