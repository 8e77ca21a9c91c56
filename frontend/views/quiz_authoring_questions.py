"""The question editor (all eight types) and its preview as a trainee sees it.

Saving calls ``question_create`` / ``question_update`` (a new immutable version each time). The
type's ``validate()`` errors come back keyed by field ("choices", "answers", ...) and are shown
next to that block, in the user's language, with everything typed kept.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import api as assessments_api
from assessments.api import GRADING_METHODS, QUESTION_TYPES, Category, QuestionType, Tag
from backend.errors import DomainError
from frontend import question_editor as editor
from frontend.forms_quiz_authoring import QuestionForm
from frontend.views.authoring_common import trainer_required
from frontend.views.quiz_authoring import author_bank, question_for_author

ORDERING_LABELS = {
    "longest_ordered_subset": gettext_lazy("Part marks: longest run in the right relative order"),
    "absolute_position": gettext_lazy("Part marks: items in their exact place"),
    "all_or_nothing": gettext_lazy("All or nothing"),
}
PREVIEW_SEED = 20_250_101


def preview(qtype: str, text: str, data: dict, mark: float) -> dict:
    """The question as the player gets it: only what ``public()`` lets a trainee see."""
    return {"type": qtype, "text": text, "max_mark": mark,
            **QUESTION_TYPES[qtype].public(data, PREVIEW_SEED, True)}


def _data_errors(qtype: str, data: dict) -> dict[str, list[str]]:
    try:
        QUESTION_TYPES[qtype].validate(copy.deepcopy(data))
    except ValidationError as exc:
        return exc.message_dict if hasattr(exc, "error_dict") else {"data": exc.messages}
    return {}


def _save(request, form, qtype: str, data: dict, *, bank=None, question=None):
    """Call the service; on refusal put each message on its field or block. The saved question."""
    errors: dict[str, list[str]] = {}
    values = form.cleaned_data
    common = {"text": values["text"], "data": data, "title": values["title"],
              "default_mark": values["default_mark"], "category": values["category"].strip(),
              "tags": form.tag_list()}
    try:
        if question is None:
            return assessments_api.question_create(actor=request.user, bank_id=bank.pk, type=qtype,
                                                   **common), {}
        return assessments_api.question_update(actor=request.user, question_id=question.pk, **common), {}
    except ValidationError as exc:
        for field, messages_ in (exc.message_dict if hasattr(exc, "error_dict")
                                 else {"data": exc.messages}).items():
            if field in form.fields:
                for message in messages_:
                    form.add_error(field, message)
            else:
                errors[field] = messages_
    except DomainError as exc:
        form.add_error(None, exc.message)
    return None, errors


def _editor(request, *, bank, qtype: str, question=None):
    version = question.current if question else None
    if request.method == "POST":
        form = QuestionForm(request.POST)
        data, shown = editor.data_from_post(qtype, request.POST)
        errors: dict[str, list[str]] = {}
        if form.is_valid():
            saved, errors = _save(request, form, qtype, data, bank=bank, question=question)
            if saved is not None:
                messages.success(request, _("Saved as version %(n)s. Check the preview below.")
                                 % {"n": saved.current.number})
                return redirect("qbank-question", pk=saved.pk)
        else:
            errors = _data_errors(qtype, data)  # show the type's problems at once, not one by one
        status = 200
    else:
        initial = {"default_mark": "1"}
        if version:
            initial = {"title": version.title, "text": version.text,
                       "default_mark": f"{version.default_mark:g}",
                       "category": question.category.name if question.category else "",
                       "tags": ", ".join(sorted(t.name for t in question.tags.all())),
                       "general_feedback": version.data.get("general_feedback", "")}
        form = QuestionForm(initial=initial)
        shown, errors, status = editor.shown_from_data(qtype, version.data if version else None), {}, 200
    labels = dict(QuestionType.choices)
    return render(request, "frontend/quiz_authoring/question_form.html", {
        "bank": bank, "question": question, "version": version, "qtype": qtype,
        "type_label": labels[qtype], "form": form, "shown": shown,
        "rows": editor.padded_rows(qtype, shown["rows"]), "errors": errors,
        "has_errors": bool(errors or form.errors),
        "ordering_methods": [(m, ORDERING_LABELS[m]) for m in GRADING_METHODS],
        "categories": Category.objects.filter(bank=bank).values_list("name", flat=True),
        "tags": Tag.objects.filter(bank=bank).order_by("name").values_list("name", flat=True),
        "preview": preview(qtype, version.text, version.data, version.default_mark) if version else None,
    }, status=status)


@trainer_required
def question_new(request, pk: int, qtype: str):
    if qtype not in QUESTION_TYPES:
        raise Http404
    return _editor(request, bank=author_bank(request, pk), qtype=qtype)


@trainer_required
def question_edit(request, pk: int):
    question = question_for_author(request, pk)
    return _editor(request, bank=question.bank, qtype=question.type, question=question)
