"""Authoring endpoints: question banks, questions (versioned), GIFT/Aiken import, GIFT export,
quizzes. Trainers only; what they may not author is 404."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import payloads, selectors, services
from assessments.models import Question
from assessments.rest import serializers as s
from backend.accounts.api import Role, organisation_default_for
from backend.api.errors import error_body
from backend.api.pagination import PaginatedListMixin
from backend.api.parsers import FormParser, MultiPartParser
from backend.api.permissions import TrainerToWrite

SEARCH_PARAM = OpenApiParameter("search", str, description="Part of the title (or text); ignores "
                                "case and Vietnamese diacritics.")


def bank_payload(bank, questions: int | None = None) -> dict:
    return {
        "id": bank.pk,
        "title": bank.title,
        "organisation_id": bank.organisation_id,
        "course_id": bank.course_id,
        "questions": questions if questions is not None else bank.questions.filter(archived=False).count(),
        "categories": [c.name for c in bank.categories.all()],
    }


def question_payload(question: Question) -> dict:
    version = question.current
    return {
        "id": question.pk,
        "bank_id": question.bank_id,
        "type": question.type,
        "version": version.number,
        "title": version.title,
        "text": version.text,
        "data": version.data,
        "default_mark": version.default_mark,
        "category": question.category.name if question.category else None,
        "tags": sorted(t.name for t in question.tags.all()),
    }


class BankListView(PaginatedListMixin, APIView):
    permission_classes = [TrainerToWrite]

    @extend_schema(
        operation_id="question_banks_list",
        responses=s.BankOut(many=True),
        description="Banks of the units where the caller is a trainer.",
        parameters=[SEARCH_PARAM],
    )
    def get(self, request):
        banks = (
            selectors.banks_for_author(request.user, search=request.query_params.get("search", ""))
            .annotate(n=Count("questions"))
            .prefetch_related("categories")
            .order_by("title", "pk")  # pages of an unordered list may repeat or skip banks
        )
        return self.paginated(banks, lambda page: [bank_payload(b, b.n) for b in page])

    @extend_schema(operation_id="question_banks_create", request=s.BankIn, responses={201: s.BankOut})
    def post(self, request):
        data = s.BankIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        organisation = v["organisation"].strip() or None
        if organisation is None and v["course"] is None:
            organisation = organisation_default_for(request.user, [Role.TRAINER]).code
        bank = services.bank_create(
            actor=request.user,
            title=v["title"],
            organisation=organisation,
            course_id=v["course"],
        )
        return Response(bank_payload(bank, 0), status=status.HTTP_201_CREATED)


class BankQuestionsView(PaginatedListMixin, APIView):
    permission_classes = [TrainerToWrite]

    @extend_schema(operation_id="question_banks_questions_list", responses=s.QuestionOut(many=True),
                   parameters=[SEARCH_PARAM])
    def get(self, request, pk: int):
        bank = selectors.bank_get_for_author(request.user, pk)
        questions = selectors.questions_search(
            bank.questions.filter(archived=False).select_related("current", "category")
            .prefetch_related("tags"),
            request.query_params.get("search", ""))
        return self.paginated(questions, lambda page: [question_payload(q) for q in page])

    @extend_schema(
        operation_id="question_banks_questions_create", request=s.QuestionIn, responses={201: s.QuestionOut}
    )
    def post(self, request, pk: int):
        bank = selectors.bank_get_for_author(request.user, pk)
        data = s.QuestionIn(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_create(actor=request.user, bank_id=pk, bank=bank, **data.validated_data)
        return Response(question_payload(question), status=status.HTTP_201_CREATED)


class QuestionDetailView(APIView):
    permission_classes = [TrainerToWrite]

    @extend_schema(operation_id="questions_retrieve", responses=s.QuestionOut)
    def get(self, request, pk: int):
        return Response(question_payload(selectors.question_get_for_author(request.user, pk)))

    @extend_schema(
        operation_id="questions_update",
        request=s.QuestionUpdateIn,
        responses=s.QuestionOut,
        description="Saves a new version; attempts already started keep theirs.",
    )
    def put(self, request, pk: int):
        selectors.question_get_for_author(request.user, pk)
        data = s.QuestionUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_update(actor=request.user, question_id=pk, **data.validated_data)
        return Response(question_payload(question))


class BankImportView(APIView):
    permission_classes = [TrainerToWrite]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="question_banks_import",
        request={"multipart/form-data": s.ImportIn},
        responses={
            200: s.ImportOut,
            400: OpenApiResponse(
                s.ImportRefusedOut,
                description="`code` = `import_errors` with `errors` [{line, message}]: nothing was imported; "
                "or another error (`file_too_large`, `invalid`).",
            ),
        },
    )
    def post(self, request, pk: int):
        selectors.bank_get_for_author(request.user, pk)
        data = s.ImportIn(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > settings.ASSESSMENTS_IMPORT_MAX_BYTES:
            return Response(error_body("file_too_large", _("The file is too large.")), status=400)
        result = services.questions_import(
            actor=request.user,
            bank_id=pk,
            content=upload.read(),
            format=data.validated_data["format"],
            accept_errors=data.validated_data["accept_errors"],
        )
        if result.refused:
            body = error_body(
                "import_errors",
                _(
                    "The file has errors; nothing was imported. Fix them, or "
                    "import the valid questions with accept_errors."
                ),
            )
            body.update({"imported": 0, "errors": result.errors})
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response({"imported": result.imported, "errors": result.errors})


class BankExportView(APIView):
    permission_classes = [TrainerToWrite]

    @extend_schema(
        operation_id="question_banks_export_gift", responses={(200, "text/plain"): OpenApiTypes.STR}
    )
    def get(self, request, pk: int):
        bank = selectors.bank_get_for_author(request.user, pk)
        response = HttpResponse(
            services.bank_export_gift(bank=bank), content_type="text/plain; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="bank-{bank.pk}.gift.txt"'
        return response


class QuizCreateView(APIView):
    permission_classes = [TrainerToWrite]

    @extend_schema(operation_id="quizzes_create", request=s.QuizCreateIn, responses={201: s.QuizOut})
    def post(self, request):
        data = s.QuizCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        lesson_id = values.pop("lesson")
        quiz = services.quiz_create(actor=request.user, lesson_id=lesson_id, **values)
        return Response(payloads.quiz_for_author(quiz), status=status.HTTP_201_CREATED)
