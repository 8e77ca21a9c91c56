"""Per-person and per-cohort quiz overrides (decision 0061): course staff, audited."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import overrides
from assessments.rest import serializers as s
from backend.api.permissions import StaffToWrite

APPLIES = ("Changes apply to attempts started after them: an attempt in progress keeps the deadline it "
           "started with.")


def override_payload(row, write: overrides.OverrideWrite | None = None) -> dict:
    body = {
        "id": row.pk, "quiz_id": row.quiz_id,
        "user": {"id": row.user.pk, "full_name": row.user.full_name, "email": row.user.email}
        if row.user_id else None,
        "cohort": {"id": row.cohort.pk, "code": row.cohort.code, "name": row.cohort.name}
        if row.cohort_id else None,
        "opens_at": row.opens_at, "closes_at": row.closes_at,
        "time_limit_seconds": row.time_limit_seconds, "max_attempts": row.max_attempts,
        "created_at": row.created_at, "updated_at": row.updated_at,
    }
    if write is not None:
        body["running_attempts"] = write.running_attempts
        body["notice"] = _("Changes apply to attempts started after them: an attempt in progress keeps "
                           "the deadline it started with.")
    return body


class QuizOverridesView(APIView):
    permission_classes = [StaffToWrite]

    @extend_schema(operation_id="quizzes_overrides_list", responses=s.QuizOverrideOut(many=True),
                   description="Overrides of the quiz (trainers and administrators of its course's unit).")
    def get(self, request, pk: int):
        _quiz, rows = overrides.overrides_for_staff(request.user, pk)
        return Response(s.QuizOverrideOut([override_payload(r) for r in rows], many=True).data)

    @extend_schema(operation_id="quizzes_overrides_create", request=s.QuizOverrideIn,
                   responses={201: s.QuizOverrideOut},
                   description="Other dates, time limit or attempts for one enrolled person (`user`) or one "
                               "cohort (`cohort`), exactly one of them. Fields left out are not overridden. "
                               + APPLIES + " Audited.")
    def post(self, request, pk: int):
        overrides.overrides_for_staff(request.user, pk)  # authorise before validating
        data = s.QuizOverrideIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        user_id, cohort_id = v.pop("user", None), v.pop("cohort", None)
        write = overrides.override_create(actor=request.user, quiz_id=pk, user_id=user_id,
                                          cohort_id=cohort_id, **v)
        row = overrides.override_get_for_staff(request.user, write.override.pk)
        return Response(s.QuizOverrideOut(override_payload(row, write)).data, status=status.HTTP_201_CREATED)


class OverrideDetailView(APIView):
    permission_classes = [StaffToWrite]

    @extend_schema(operation_id="overrides_retrieve", responses=s.QuizOverrideOut)
    def get(self, request, pk: int):
        row = overrides.override_get_for_staff(request.user, pk)
        return Response(s.QuizOverrideOut(override_payload(row)).data)

    @extend_schema(operation_id="overrides_update", request=s.QuizOverrideFieldsIn,
                   responses=s.QuizOverrideOut,
                   description="Change the override's dates or limits (null: no longer overridden). "
                               + APPLIES + " Audited.")
    def patch(self, request, pk: int):
        overrides.override_get_for_staff(request.user, pk)
        data = s.QuizOverrideFieldsIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        write = overrides.override_update(actor=request.user, override_id=pk, **data.validated_data)
        row = overrides.override_get_for_staff(request.user, pk)
        return Response(s.QuizOverrideOut(override_payload(row, write)).data)

    @extend_schema(operation_id="overrides_destroy", request=None, responses={204: None},
                   description="Remove the override; attempts in progress keep their deadline. Audited.")
    def delete(self, request, pk: int):
        overrides.override_delete(actor=request.user, override_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
