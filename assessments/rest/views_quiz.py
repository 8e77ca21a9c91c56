"""Taking a quiz (detail, start, autosave, submit, review) and the trainers' side of it (settings,
manual grading, overrides, statistics)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import attempts, manual_grading, payloads, reporting, selectors, services, timing
from assessments.rest import serializers as s
from backend.api.pagination import PaginatedListMixin
from backend.api.permissions import StaffToWrite, TrainerToWrite
from backend.api.schema import error_response
from backend.spreadsheets import csv_stream


class QuizDetailView(APIView):
    permission_classes = [TrainerToWrite]

    @extend_schema(
        operation_id="quizzes_retrieve",
        responses={200: s.QuizOut, 409: error_response("`lesson_locked`: prerequisites first.")},
        description=(
            "Course staff: settings and slots. Trainees: settings, attempts left, own attempts (scores as "
            "the review policy allows) and whether a new attempt may start."
        ),
    )
    def get(self, request, pk: int):
        quiz = selectors.quiz_get(pk)
        if selectors.is_quiz_staff(request.user, quiz):
            return Response(payloads.quiz_for_author(quiz))
        quiz = selectors.quiz_get_for_learner(request.user, pk)
        now = timezone.now()
        own = selectors.user_attempts(quiz, request.user.pk)
        own = [attempts.attempt_expire_if_due(a, now) for a in own]
        rules = timing.effective_rules(quiz, request.user)
        return Response(payloads.quiz_for_trainee(quiz, own, now=now, rules=rules))

    @extend_schema(operation_id="quizzes_update", request=s.QuizUpdateIn, responses=s.QuizOut)
    def patch(self, request, pk: int):
        selectors.quiz_get_for_author(request.user, pk)
        data = s.QuizUpdateIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        quiz = services.quiz_update(actor=request.user, quiz_id=pk, **data.validated_data)
        return Response(payloads.quiz_for_author(quiz))


class AttemptStartView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="quizzes_attempts_start",
        request=None,
        responses={200: s.AttemptOut, 201: s.AttemptOut},
        description="Start an attempt (201), or resume the one in progress (200). Questions come "
        "without answers; `remaining_seconds` is by the server's clock.",
    )
    def post(self, request, pk: int):
        now = timezone.now()
        result = attempts.attempt_start(user=request.user, quiz_id=pk, now=now)
        body = payloads.attempt_payload(result.attempt, result.responses, as_staff=False, now=now)
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class AttemptDetailView(APIView):
    patch_is_partial = False  # autosave sends `responses`
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="attempts_retrieve",
        responses=s.AttemptOut,
        description=(
            "The owner: questions and own answers while in progress, then what the review policy allows. "
            "Course staff: everything."
        ),
    )
    def get(self, request, pk: int):
        now = timezone.now()
        attempt, as_staff = selectors.attempt_get_for_viewer(request.user, pk)
        attempt = attempts.attempt_expire_if_due(attempt, now)
        responses = list(attempt.responses.select_related("version"))
        return Response(payloads.attempt_payload(attempt, responses, as_staff=as_staff, now=now))

    @extend_schema(
        operation_id="attempts_autosave",
        request=s.AutosaveIn,
        responses=s.AutosaveOut,
        description=(
            "Owner autosave of some answers. 409 `attempt_time_over` after the deadline (plus a small "
            "grace): the attempt is then graded with what was saved; 409 `attempt_finished` once submitted."
        ),
    )
    def patch(self, request, pk: int):
        data = s.AutosaveIn(data=request.data)
        if not data.is_valid():  # someone else's attempt is a 404 whatever the body says
            selectors.attempt_require_own(request.user, pk)
            data.is_valid(raise_exception=True)
        answers = data.validated_data["responses"]
        now = timezone.now()
        attempt = attempts.attempt_save(user=request.user, attempt_id=pk, answers=answers, now=now)
        return Response(
            {
                "id": attempt.pk,
                "status": attempt.status,
                "saved": [a["position"] for a in answers],
                "remaining_seconds": attempts.remaining_seconds(attempt, now),
                "deadline": attempt.deadline,
            }
        )


class AttemptSubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="attempts_submit",
        request=s.SubmitIn,
        responses=s.AttemptOut,
        description=(
            "Grade the attempt (optionally saving last answers first). Idempotent: repeating it returns "
            "the same result."
        ),
    )
    def post(self, request, pk: int):
        data = s.SubmitIn(data=request.data)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        attempt = attempts.attempt_submit(
            user=request.user, attempt_id=pk, answers=data.validated_data.get("responses"), now=now
        )
        responses = attempts.graded_responses(attempt)
        return Response(payloads.attempt_payload(attempt, responses, as_staff=False, now=now))


class AttemptOverrideView(APIView):
    permission_classes = [StaffToWrite]

    @extend_schema(
        operation_id="attempts_override",
        request=s.OverrideIn,
        responses=s.AttemptSummaryOut,
        description="Course staff replace an attempt's grade with a reason (audited).",
    )
    def post(self, request, pk: int):
        selectors.attempt_get_for_staff(request.user, pk)
        data = s.OverrideIn(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = manual_grading.attempt_override(actor=request.user, attempt_id=pk, **data.validated_data)
        return Response(payloads.attempt_summary(attempt, as_staff=True, now=timezone.now()))


ALL_PARAM = OpenApiParameter("all", bool, description="Include responses already graded.")


class GradingQueueView(PaginatedListMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="quizzes_grading_queue",
        parameters=[ALL_PARAM],
        responses=s.GradingItemOut(many=True),
        description="Essay responses awaiting a grade, oldest first (course staff).",
    )
    def get(self, request, pk: int):
        quiz = selectors.quiz_get_for_staff(request.user, pk)
        include = request.query_params.get("all") in ("1", "true")
        return self.paginated(manual_grading.grading_queue(quiz.pk, include_graded=include),
                              lambda page: [grading_item(r) for r in page])


def grading_item(response) -> dict:
    return {
        "response_id": response.pk,
        "attempt_id": response.attempt_id,
        "user_id": response.attempt.user_id,
        "user_name": response.attempt.user.full_name,
        "position": response.position,
        "text": response.version.text,
        "grader_info": response.version.data.get("grader_info", ""),
        "answer": response.answer or "",
        "max_mark": response.max_mark,
        "mark": None if response.fraction is None else response.fraction * response.max_mark,
        "feedback": response.feedback,
        "finished_at": response.attempt.finished_at,
    }


class ResponseGradeView(APIView):
    permission_classes = [StaffToWrite]

    @extend_schema(
        operation_id="responses_grade",
        request=s.GradeIn,
        responses=s.GradingItemOut,
        description="Grade (or re-grade) one response; the attempt, quiz grade and course "
        "progress are recomputed and the change is audited.",
    )
    def post(self, request, pk: int):
        selectors.response_get_for_staff(request.user, pk)
        data = s.GradeIn(data=request.data)
        data.is_valid(raise_exception=True)
        response = manual_grading.response_grade(actor=request.user, response_id=pk, **data.validated_data)
        return Response(grading_item(response))


WHICH_PARAM = OpenApiParameter(
    "attempts",
    str,
    enum=list(reporting.WHICH),
    description="`first` (default): each trainee's first attempt; `all`.",
)


def _which(request) -> str:
    which = request.query_params.get("attempts", "first")
    return which if which in reporting.WHICH else "first"


class StatisticsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="quizzes_statistics", parameters=[WHICH_PARAM], responses=s.StatisticsOut)
    def get(self, request, pk: int):
        quiz = selectors.quiz_get_for_staff(request.user, pk)
        return Response(reporting.quiz_report(quiz, _which(request)))


class StatisticsCsvView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="quizzes_statistics_csv",
        parameters=[WHICH_PARAM],
        responses={(200, "text/csv"): OpenApiTypes.STR},
        description="The per-question table as CSV (UTF-8 with BOM, for Excel).",
    )
    def get(self, request, pk: int):
        quiz = selectors.quiz_get_for_staff(request.user, pk)
        rows = reporting.report_csv_rows(reporting.quiz_report(quiz, _which(request)))
        return csv_stream(rows, f"quiz-{quiz.pk}-statistics.csv")
