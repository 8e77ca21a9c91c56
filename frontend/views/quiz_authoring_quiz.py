"""Quiz settings of a quiz lesson ("quiz-edit", lesson id), the trainer's quiz list, and the
small links the course pages expect ("h5p-upload", "quiz-lesson").

The settings page creates the quiz with ``quiz_create`` when the lesson has none, else saves
with ``quiz_update``; questions are slots: fixed questions ticked from the banks the trainer may
author, and random draws of N questions from a bank's category and/or tag.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import api as assessments_api
from assessments.api import Category, Question, Quiz, Tag
from backend.api.untrusted import parse_id
from backend.errors import DomainError
from courses import api as courses_api
from courses.api import Lesson, LessonKind, courses_authored_by
from frontend.forms_quiz_authoring import QuizSettingsForm
from frontend.question_editor import parse_number
from frontend.views.authoring_common import trainer_required
from frontend.views.quiz_authoring import owners

_SLOT_KEY = re.compile(r"^slot-(\d{1,3})-(question|bank|category|tag|count|mark|order|remove)$")
SLOT_FIELDS = ("question", "bank", "category", "tag", "count", "mark", "order", "remove")
QUESTIONS_PER_BANK = 300


def _lesson(request, lesson_id: int):
    try:
        lesson = courses_api.lesson_get_for_author(user=request.user, lesson_id=lesson_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    if lesson.kind != LessonKind.QUIZ:
        raise Http404
    return lesson


def _rows_from_quiz(quiz: Quiz | None) -> list[dict]:
    if quiz is None:
        return []
    rows = []
    for slot in quiz.slots.select_related("question__current", "category", "tag"):
        rows.append({
            "question": str(slot.question_id or ""), "bank": str(slot.bank_id or ""),
            "category": slot.category.name if slot.category else "",
            "tag": slot.tag.name if slot.tag else "", "count": str(slot.count),
            "mark": "" if slot.mark is None else f"{slot.mark:g}", "order": str(slot.position),
            "remove": "",
        })
    return rows


def _posted_rows(post) -> list[dict]:
    found: dict[int, dict] = {}
    for key in post:
        match = _SLOT_KEY.match(key)
        if match:
            found.setdefault(int(match[1]), {})[match[2]] = post.get(key, "").strip()
    rows = [{f: row.get(f, "") for f in SLOT_FIELDS} for _n, row in sorted(found.items())]
    rows = [r for r in rows if r["question"] or r["bank"]]
    # Slots already in the quiz (they carry an order), then the ticked questions, then new draws:
    # the order the page lists them in.
    placed = [r for r in rows if r["order"]]
    added = [{**dict.fromkeys(SLOT_FIELDS, ""), "question": q} for q in post.getlist("add_question")]
    return placed + added + [r for r in rows if not r["order"]]


def _order(row: dict, index: int) -> float:
    number = parse_number(row["order"])
    return number if isinstance(number, float) else 1e9 + index


def _slots(rows: list[dict]) -> tuple[list[dict], list[str]]:
    """Rows -> the service's slot list, in the chosen order; numbers are checked here."""
    kept = [r for r in rows if not r["remove"]]
    kept = [r for _o, _i, r in sorted((_order(r, i), i, r) for i, r in enumerate(kept))]
    slots, errors = [], []
    for position, row in enumerate(kept, start=1):
        mark = parse_number(row["mark"])
        if isinstance(mark, str):
            errors.append(_("Slot %(n)s: the mark must be a number.") % {"n": position})
            continue
        if row["question"]:
            if parse_id(row["question"]) is None:
                errors.append(_("Slot %(n)s: unknown question.") % {"n": position})
                continue
            slots.append({"question": parse_id(row["question"]), "mark": mark})
            continue
        count = parse_number(row["count"]) if row["count"] else 1.0
        if not isinstance(count, float) or not count.is_integer() or parse_id(row["bank"]) is None:
            errors.append(_("Slot %(n)s: give a bank and a whole number of questions to draw.")
                          % {"n": position})
            continue
        slots.append({"bank": parse_id(row["bank"]), "category": row["category"], "tag": row["tag"],
                      "count": int(count), "mark": mark})
    return slots, errors


def _picker(request) -> list[dict]:
    """The banks the trainer may author, each with its questions to tick as fixed slots."""
    banks = list(assessments_api.banks_for_author(request.user)[:100])
    names = owners(banks)
    questions: dict[int, list] = {}
    for question in (Question.objects.filter(bank__in=banks, archived=False)
                     .select_related("current", "category").order_by("bank_id", "category__name", "pk")):
        bank_rows = questions.setdefault(question.bank_id, [])
        if len(bank_rows) < QUESTIONS_PER_BANK:
            bank_rows.append(question)
    categories: dict[int, list[str]] = {}
    for bank_id, name in Category.objects.filter(bank__in=banks).values_list("bank_id", "name"):
        categories.setdefault(bank_id, []).append(name)
    tags: dict[int, list[str]] = {}
    for bank_id, name in Tag.objects.filter(bank__in=banks).order_by("name").values_list("bank_id", "name"):
        tags.setdefault(bank_id, []).append(name)
    return [{"bank": b, "owner": names[b.pk], "questions": questions.get(b.pk, []),
             "categories": categories.get(b.pk, []), "tags": tags.get(b.pk, [])}
            for b in banks]


def _describe(rows: list[dict]) -> list[dict]:
    ids = [i for i in (parse_id(r["question"]) for r in rows) if i is not None]
    labels = {q.pk: q for q in Question.objects.filter(pk__in=ids).select_related("current")}
    out = []
    for n, row in enumerate(rows, start=1):
        question = labels.get(parse_id(row["question"]))
        out.append({**row, "n": n, "fixed": bool(row["question"]), "q": question,
                    "order": row["order"] or str(n)})
    return out


@trainer_required
def quiz_edit(request, lesson_id: int):
    lesson = _lesson(request, lesson_id)
    quiz = Quiz.objects.filter(lesson_id=lesson.id).first()
    slot_errors: list[str] = []
    if request.method == "POST":
        form = QuizSettingsForm(request.POST)
        rows = _posted_rows(request.POST)
        slots, slot_errors = _slots(rows)
        if form.is_valid() and not slot_errors:
            values = form.settings()
            try:
                if quiz is None:
                    quiz = assessments_api.quiz_create(actor=request.user, lesson_id=lesson.id, slots=slots,
                                                **values)
                else:
                    quiz = assessments_api.quiz_update(actor=request.user, quiz_id=quiz.pk, slots=slots,
                                                       **values)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for message in errors:
                        if field in form.fields:
                            form.add_error(field, message)
                        else:
                            slot_errors.append(message)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The quiz settings are saved."))
                return redirect("quiz-edit", lesson_id=lesson.id)
    else:
        initial = (QuizSettingsForm.initial_from(quiz) if quiz else
                   {"title": lesson.title, "shuffle_answers": True, "max_attempts": 0,
                    "attempt_delay_minutes": 0, "grading_method": "highest",
                    "review_score": "immediately", "review_responses": "immediately",
                    "review_correct": "after_close", "review_feedback": "immediately"})
        form = QuizSettingsForm(initial=initial)
        rows = _rows_from_quiz(quiz)
    chosen = {r["question"] for r in rows if r["question"]}
    return render(request, "frontend/quiz_authoring/quiz_settings.html", {
        "lesson": lesson, "course": courses_api.course_get(lesson.course_id), "quiz": quiz,
        "form": form, "rows": _describe(rows), "slot_errors": slot_errors, "chosen": chosen,
        "picker": _picker(request), "new_rows": [{**dict.fromkeys(SLOT_FIELDS, ""), "n": n}
                     for n in range(len(rows) + 1, len(rows) + 3)],
        "waiting": assessments_api.grading_queue(quiz.pk).count() if quiz else 0,
    })


@trainer_required
def quiz_list(request):
    """Quiz lessons of the courses the trainer authors: settings, statistics, essays to grade."""
    courses = {c.pk: c for c in courses_authored_by(request.user)[:500]}
    lessons = list(Lesson.objects.filter(course_id__in=list(courses), kind=LessonKind.QUIZ,
                                         deleted_at__isnull=True).order_by("course_id", "position"))
    quizzes = {q.lesson_id: q for q in Quiz.objects.filter(lesson_id__in=[ls.pk for ls in lessons])}
    rows = []
    for lesson in lessons:
        quiz = quizzes.get(lesson.pk)
        rows.append({"lesson": lesson, "course": courses[lesson.course_id], "quiz": quiz,
                     "waiting": assessments_api.grading_queue(quiz.pk).count() if quiz else 0})
    return render(request, "frontend/quiz_authoring/quiz_list.html", {"rows": rows})


@trainer_required
def h5p_upload(request, lesson_id: int):
    """The H5P package of a lesson is uploaded on its player page (trainers see the form there)."""
    return redirect(reverse("h5p-player", args=[lesson_id]) + "#h5p-upload-title")


@login_required
def quiz_of_lesson(request, lesson_id: int):
    """A quiz lesson's "Open the quiz" link: its quiz's start page (which checks access)."""
    quiz = assessments_api.quiz_for_lesson(lesson_id)
    if quiz is None:
        raise Http404
    return redirect("quiz-start", quiz_id=quiz.id)
