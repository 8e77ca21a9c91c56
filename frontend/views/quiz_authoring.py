"""Trainer pages for question banks: list and create banks, a bank's questions (search and
filters), its categories and tags, GIFT/Aiken import with the error report first, GIFT export.

The question editor is in quiz_authoring_questions.py, quiz settings and statistics in
quiz_authoring_quiz.py. Access is assessments.selectors' (trainers over the bank's unit; others
get 404, no existence leak); every write is an assessments service, as in the REST API.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import api as assessments_api
from assessments.api import Category, Question, QuestionBank, QuestionType, Tag
from backend.accounts.api import Organisation
from backend.api.untrusted import parse_id
from backend.errors import DomainError
from courses.api import Course, courses_authored_by
from frontend.forms_quiz_authoring import BankForm, ImportForm
from frontend.views.authoring_common import trainer_required, trainer_units


def author_bank(request, pk: int) -> QuestionBank:
    try:
        return assessments_api.bank_get_for_author(request.user, pk)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def owners(banks) -> dict[int, str]:
    """Bank id -> the unit's name, or the course's title for a course bank (two queries)."""
    units = dict(Organisation.objects.filter(pk__in={b.organisation_id for b in banks})
                 .values_list("pk", "name"))
    courses = dict(Course.objects.filter(pk__in={b.course_id for b in banks if b.course_id})
                   .values_list("pk", "title"))
    return {b.pk: courses.get(b.course_id) or units.get(b.organisation_id, "") for b in banks}


def _bank_form(request, data=None) -> BankForm:
    return BankForm(data, units=trainer_units(request.user),
                    courses=courses_authored_by(request.user).order_by("title")[:300])


@trainer_required
def bank_list(request):
    form = _bank_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind, _sep, value = form.cleaned_data["owner"].partition(":")
        try:
            bank = assessments_api.bank_create(
                actor=request.user, title=form.cleaned_data["title"],
                organisation=value if kind == "unit" else None,
                course_id=int(value) if kind == "course" else None)
        except (ValidationError, DomainError) as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The bank has been created. Add questions or import a file."))
            return redirect("qbank-detail", pk=bank.pk)
    search = request.GET.get("q", "").strip()
    banks = assessments_api.banks_for_author(request.user, search=search)
    banks = list(banks.annotate(n=Count("questions", filter=Q(questions__archived=False)))[:500])
    names = owners(banks)
    for bank in banks:
        bank.owner_name = names[bank.pk]
    return render(request, "frontend/quiz_authoring/bank_list.html",
                  {"banks": banks, "form": form, "search": search})


def _form_error(form, exc) -> None:
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, exc.message)


def _int(raw) -> int | None:
    return parse_id(raw) if raw is not None else None


@trainer_required
def bank_detail(request, pk: int):
    bank = author_bank(request, pk)
    questions = (bank.questions.filter(archived=False).select_related("current", "category")
                 .prefetch_related("tags").order_by("-pk"))
    search = unicodedata.normalize("NFC", request.GET.get("q", "").strip())
    qtype = request.GET.get("type", "")
    category = _int(request.GET.get("category"))
    tag = _int(request.GET.get("tag"))
    questions = assessments_api.questions_search(questions, search)
    if qtype in QuestionType.values:
        questions = questions.filter(type=qtype)
    if category:
        questions = questions.filter(category_id=category)
    if tag:
        questions = questions.filter(tags__id=tag)
    page = Paginator(questions, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "frontend/quiz_authoring/bank.html", {
        "bank": bank, "owner": owners([bank])[bank.pk], "page": page, "query": query.urlencode(),
        "search": search, "type": qtype, "category": category, "tag": tag,
        "types": QuestionType.choices,
        "categories": Category.objects.filter(bank=bank).annotate(
            n=Count("questions", filter=Q(questions__archived=False))),
        "tags": Tag.objects.filter(bank=bank).annotate(
            n=Count("questions", filter=Q(questions__archived=False))).order_by("name"),
        "total": bank.questions.filter(archived=False).count(),
    })


@trainer_required
@require_POST
def category_add(request, pk: int):
    bank = author_bank(request, pk)
    name = request.POST.get("name", "").strip()
    if not name:
        messages.error(request, _("Give the category a name."))
    else:
        assessments_api.category_get_or_create(bank=bank, name=unicodedata.normalize("NFC", name))
        messages.success(request, _("Category saved."))
    return redirect("qbank-detail", pk=bank.pk)


def _read_upload(upload) -> bytes | None:
    if upload.size > settings.ASSESSMENTS_IMPORT_MAX_BYTES:
        return None
    return upload.read()


@trainer_required
def bank_import(request, pk: int):
    """Without "accept errors", a file with any bad question imports nothing and the page lists
    each problem with its line; the text is kept in the box so the trainer can fix it in place
    or tick the box and send it again."""
    bank = author_bank(request, pk)
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        content = _read_upload(upload) if upload else form.cleaned_data["text"]
        if content is None:
            form.add_error("file", _("The file is too large."))
        else:
            try:
                result = assessments_api.questions_import(
                    actor=request.user, bank_id=bank.pk, content=content,
                    format=form.cleaned_data["format"], accept_errors=form.cleaned_data["accept_errors"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                if not result.refused:
                    messages.success(request, _("Imported: %(n)s question(s). Skipped with errors: %(e)s.")
                                     % {"n": result.imported, "e": len(result.errors)})
                    if not result.errors:
                        return redirect("qbank-detail", pk=bank.pk)
                elif upload:
                    # Keep what was sent, so "accept errors" does not need the file again.
                    form = ImportForm(initial={
                        "format": form.cleaned_data["format"],
                        "text": content.decode("utf-8-sig", errors="replace"),
                        "accept_errors": False})
    return render(request, "frontend/quiz_authoring/import.html", {
        "bank": bank, "form": form, "result": result,
        "max_mb": round(settings.ASSESSMENTS_IMPORT_MAX_BYTES / 1024 / 1024, 1)})


@trainer_required
def bank_export(request, pk: int):
    bank = author_bank(request, pk)
    response = HttpResponse(assessments_api.bank_export_gift(bank=bank).encode("utf-8"),
                            content_type="text/plain; charset=utf-8")
    name = slugify(bank.title) or "bank"
    response["Content-Disposition"] = f'attachment; filename="{name}-{bank.pk}.gift.txt"'
    return response


def question_for_author(request, pk: int) -> Question:
    question = Question.objects.select_related("bank", "current", "category").filter(pk=pk).first()
    if question is None or not assessments_api.can_author_in(request.user, question.bank.organisation_path):
        raise Http404
    return question
