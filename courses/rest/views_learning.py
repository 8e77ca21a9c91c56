"""Learning endpoints (outline, lesson, enrolment, completion, progress) and the lesson detail,
which serves learners the published lesson and authors the draft."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.api import cohort_get, organisation_get, organisation_get_by_code, user_path_by_id
from backend.api.pagination import PaginatedListMixin
from backend.api.params import query_id
from backend.api.permissions import StaffToWrite, TrainerToWrite
from backend.api.schema import error_response
from backend.api.untrusted import parse_id
from backend.errors import DomainError, Forbidden
from courses import enrolments, learning, services
from courses import progress as rules
from courses.due_dates import effective_due_at, with_effective_due_at
from courses.models import Enrolment, LessonProgress
from courses.rest import serializers as s
from courses.rest.payloads import (
    course_progress_payload,
    draft_outline_payload,
    enrolment_brief,
    lesson_payload,
    progress_payload,
    published_outline_payload,
)
from courses.rest.permissions import (
    ContentAccess,
    CourseAccess,
    EnrolmentListAccess,
    content_for,
    course_for,
    enrolment_queryset,
    lesson_queryset,
)
from courses.rest.views_authoring import VERSION_PARAM, _draft_lesson_out, _query_version
from courses.selectors import (
    draft_outline,
    enrolment_of,
    is_course_author,
    is_course_staff,
    learner_statuses,
    lesson_get_for_viewer,
    not_found,
    staff_covers_user,
)

DRAFT_PARAM = OpenApiParameter("draft", bool, description="Authors: the unpublished draft instead.")


def _wants_draft(request) -> bool:
    return request.query_params.get("draft") in ("1", "true", "True")


class OutlineView(APIView):
    permission_classes = [IsAuthenticated, CourseAccess]

    @extend_schema(operation_id="courses_outline", parameters=[DRAFT_PARAM], responses=s.OutlineOut,
                   description="Modules and lessons with the caller's progress; a fixed number of "
                               "queries whatever the course's size.")
    def get(self, request, pk: int):
        wants_draft = _wants_draft(request)
        # The hot path, a learner's own outline: the enrolment and its course in one read (a
        # live enrolment is what makes the course visible to them), then their progress.
        enrolment = None if wants_draft else enrolment_of(request.user.pk, pk, with_course=True)
        if enrolment is not None:
            course = enrolment.course
            self.check_object_permissions(request, course)
        else:
            course = course_for(request, self, pk)
            if wants_draft and is_course_author(request.user, course):
                return Response(s.OutlineOut(draft_outline_payload(course, draft_outline(course))).data)
            if wants_draft:  # not looked for above
                enrolment = enrolment_of(request.user.pk, course.pk)
            if enrolment is None and not is_course_staff(request.user, course):
                raise Forbidden(_("Enrol in the course to see its lessons."), code="not_enrolled")
        if course.published is None:
            raise not_found()
        statuses = learner_statuses(enrolment.pk) if enrolment else {}
        return Response(outline_out(published_outline_payload(course, statuses, enrolment)))


def outline_out(payload: dict) -> dict:
    """What `OutlineOut(payload).data` renders, without re-serialising the lessons: they are the
    published snapshot's values (ints, strings, booleans, lists of ids) that OutlineOut passes
    through unchanged (tests/courses/test_outline_payload.py holds the two equal). Only the
    enrolment's dates need the serializer's formatting."""
    enrolment = payload["enrolment"]
    return {**payload, "enrolment": None if enrolment is None else s.EnrolmentBriefOut(enrolment).data}


class LessonDetailView(APIView):
    permission_classes = [TrainerToWrite, ContentAccess]

    @extend_schema(operation_id="lessons_retrieve", parameters=[DRAFT_PARAM],
                   responses={200: s.LessonOut, 409: error_response("`lesson_locked`: prerequisites first.")},
                   description="Learners: the published lesson with their progress (409 "
                               "`lesson_locked` until prerequisites are met). Staff: the published "
                               "lesson; authors with ?draft=true: the draft.")
    def get(self, request, pk: int):
        lesson, draft, enrolment = lesson_get_for_viewer(request.user, pk, draft=_wants_draft(request))
        if draft:
            return Response(_draft_lesson_out(lesson))
        if enrolment is None:  # the course's staff
            return Response(s.LessonOut(lesson_payload(lesson, draft=False)).data)
        progress = LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).first()
        return Response(s.LessonOut(lesson_payload(lesson, draft=False, progress=progress,
                                                   with_progress=True)).data)

    @extend_schema(operation_id="lessons_update", request=s.LessonUpdateIn, responses=s.LessonOut)
    def patch(self, request, pk: int):
        content_for(request, self, lesson_queryset(request).filter(deleted_at__isnull=True), pk)
        data = s.LessonUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        lesson = services.lesson_update(actor=request.user, lesson_id=pk, **data.validated_data)
        return Response(_draft_lesson_out(lesson))

    @extend_schema(operation_id="lessons_destroy", parameters=[VERSION_PARAM], responses={204: None})
    def delete(self, request, pk: int):
        content_for(request, self, lesson_queryset(request).filter(deleted_at__isnull=True), pk)
        services.lesson_delete(actor=request.user, lesson_id=pk, version=_query_version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LessonCompleteView(APIView):
    @extend_schema(operation_id="lessons_complete", request=None, responses=s.CompleteOut,
                   description="Mark a text, video or file lesson done. 404 if not enrolled, 409 "
                               "`lesson_locked`, `completed_by_activity` (quiz, H5P) or `course_archived`.")
    def post(self, request, pk: int):
        progress, enrolment = learning.lesson_complete(user=request.user, lesson_id=pk)
        return Response(s.CompleteOut({"lesson": progress_payload(progress),
                                       "enrolment": enrolment_brief(enrolment)}).data)


class LessonTrackView(APIView):
    @extend_schema(operation_id="lessons_track", request=s.TrackIn, responses=s.CompleteOut,
                   description="Report time spent and where to resume; marks the lesson started.")
    def post(self, request, pk: int):
        data = s.TrackIn(data=request.data)
        data.is_valid(raise_exception=True)
        progress, enrolment = learning.lesson_track(user=request.user, lesson_id=pk, **data.validated_data)
        return Response(s.CompleteOut({"lesson": progress_payload(progress),
                                       "enrolment": enrolment_brief(enrolment)}).data)


class EnrolSelfView(APIView):
    @extend_schema(operation_id="courses_enrol", request=None,
                   responses={201: s.EnrolmentBriefOut, 200: s.EnrolmentBriefOut},
                   description="Self-enrolment where the course allows it (201 new, 200 already).")
    def post(self, request, pk: int):
        enrolment, created = enrolments.enrolment_self(user=request.user, course_id=pk)
        return Response(s.EnrolmentBriefOut(enrolment_brief(enrolment)).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class UnenrolSelfView(APIView):
    @extend_schema(operation_id="courses_unenrol", request=None, responses=s.EnrolmentBriefOut,
                   description="Leave a course you enrolled in yourself; your progress is kept.")
    def post(self, request, pk: int):
        enrolment = enrolments.enrolment_withdraw(actor=request.user, course_id=pk, user_id=request.user.pk)
        return Response(s.EnrolmentBriefOut(enrolment_brief(enrolment)).data)


def _resolve(value: str | None, by_id, by_code):
    if value in (None, ""):
        return None
    number = parse_id(value)
    found = by_id(number) if number is not None else by_code(value)
    return found.id if found else -1


class EnrolmentsView(PaginatedListMixin, APIView):
    permission_classes = [IsAuthenticated, EnrolmentListAccess, CourseAccess]
    course_action = "staff"

    @extend_schema(operation_id="courses_enrolments_list", responses=s.EnrolmentOut(many=True),
                   parameters=[OpenApiParameter("status", str, enum=["active", "completed", "withdrawn"])])
    def get(self, request, pk: int):
        course = _course_visible(request, self, pk)
        qs = with_effective_due_at(enrolment_queryset(request, course).select_related("user")
                                   .order_by("user__search_name", "pk"))
        if request.query_params.get("status"):
            qs = qs.filter(status=request.query_params["status"])
        return self.paginated(qs, lambda page: s.EnrolmentOut([
            {"id": e.pk, "user": {"id": e.user_id, "full_name": e.user.full_name, "email": e.user.email},
             "status": e.status, "source": e.source, "percent": e.percent,
             "enrolled_at": e.enrolled_at, "completed_at": e.completed_at,
             "withdrawn_at": e.withdrawn_at, "due_at": e.due_at,
             "effective_due_at": e.effective_due_at} for e in page], many=True).data)

    @extend_schema(operation_id="courses_enrolments_create", request=s.EnrolIn, responses=s.EnrolResultOut,
                   description="Staff enrol users (ids, e-mails), a cohort or a unit's subtree. "
                               "Idempotent; users outside the caller's units are reported in not_found.")
    def post(self, request, pk: int):
        course_for(request, self, pk)
        data = s.EnrolIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        cohort_id = _resolve(v["cohort"], lambda i: cohort_get(cohort_id=i), lambda c: cohort_get(code=c))
        unit_id = _resolve(v["organisation"], organisation_get, organisation_get_by_code)
        result = enrolments.enrolments_add(actor=request.user, course_id=pk, user_ids=v["user_ids"],
                                           emails=v["emails"], cohort_id=cohort_id, organisation_id=unit_id)
        return Response(s.EnrolResultOut({"created": result.created, "reactivated": result.reactivated,
                                          "unchanged": result.unchanged, "total": result.total,
                                          "not_found": result.not_found}).data)


def _course_visible(request, view, pk: int):
    """GET on the enrolment list: visible course; what is listed is filtered per caller."""
    from courses.rest.permissions import course_queryset

    course = course_queryset(request).filter(pk=pk).first()
    if course is None:
        raise not_found()
    return course


class EnrolmentDetailView(APIView):
    permission_classes = [StaffToWrite, CourseAccess]
    course_action = "staff"

    @extend_schema(operation_id="courses_enrolments_destroy", request=None,
                   responses={200: s.EnrolmentBriefOut},
                   description="Unenrol a user; their enrolment, progress and completion are kept.")
    def delete(self, request, pk: int, user_id: int):
        course_for(request, self, pk)
        enrolment = enrolments.enrolment_withdraw(actor=request.user, course_id=pk, user_id=user_id)
        return Response(s.EnrolmentBriefOut(enrolment_brief(enrolment)).data)


class ProgressView(APIView):
    permission_classes = [IsAuthenticated, CourseAccess]

    @extend_schema(operation_id="courses_progress", responses=s.ProgressOut,
                   parameters=[OpenApiParameter("user", OpenApiTypes.INT,
                                                description="Staff: another user's progress.")])
    def get(self, request, pk: int):
        course = course_for(request, self, pk)
        user_id = query_id(request, "user") or request.user.pk
        if user_id != request.user.pk and not (
                is_course_staff(request.user, course)
                or staff_covers_user(request.user, user_path_by_id(user_id))):
            raise not_found()
        enrolment = Enrolment.objects.filter(user_id=user_id, course=course).first()
        if enrolment is None:
            raise DomainError(_("Not enrolled in this course."), code="not_enrolled", status=404)
        progress = {p.lesson_id: p for p in LessonProgress.objects.filter(enrolment=enrolment)}
        return Response(s.ProgressOut(course_progress_payload(course, enrolment, progress)).data)


class ContinueView(APIView):
    permission_classes = [IsAuthenticated, CourseAccess]

    @extend_schema(operation_id="courses_continue", responses=s.ContinueOut,
                   description="Continue where you left off: the next lesson to do (null when done).")
    def get(self, request, pk: int):
        course = course_for(request, self, pk)
        enrolment = enrolment_of(request.user.pk, course.pk)
        if enrolment is None:
            raise DomainError(_("Not enrolled in this course."), code="not_enrolled", status=404)
        statuses = learner_statuses(enrolment.pk)
        lesson = rules.next_lesson(course.published, statuses, enrolment.last_lesson_id)
        module_id = None
        item = None
        if lesson is not None:
            for module in course.published["modules"]:
                if any(x["id"] == lesson["id"] for x in module["lessons"]):
                    module_id = module["id"]
            item = {**lesson, "status": rules.stored_status(statuses.get(lesson["id"], "not_started")),
                    "locked": False,
                    "quiz_id": lesson.get("activity_id") if lesson["kind"] == "quiz" else None}
        return Response(s.ContinueOut({"lesson": item, "module_id": module_id,
                                       "percent": enrolment.percent,
                                       "completed": enrolment.completed_at is not None}).data)


def _enrolment_out(enrolment: Enrolment) -> dict:
    return {"id": enrolment.pk,
            "user": {"id": enrolment.user_id, "full_name": enrolment.user.full_name,
                     "email": enrolment.user.email},
            "status": enrolment.status, "source": enrolment.source, "percent": enrolment.percent,
            "enrolled_at": enrolment.enrolled_at, "completed_at": enrolment.completed_at,
            "withdrawn_at": enrolment.withdrawn_at, "due_at": enrolment.due_at,
            "effective_due_at": effective_due_at(enrolment)}


def _enrolment_for_staff(request, pk: int) -> Enrolment:
    """The enrolment, for trainers and administrators of its course's unit (others: 404)."""
    enrolment = (Enrolment.objects.select_related("user", "course__organisation").filter(pk=pk).first())
    if enrolment is None or not is_course_staff(request.user, enrolment.course):
        raise not_found()
    return enrolment


class EnrolmentByIdView(APIView):
    permission_classes = [StaffToWrite]

    @extend_schema(operation_id="enrolments_retrieve", responses=s.EnrolmentOut,
                   description="One enrolment with its extension and effective due date (course staff).")
    def get(self, request, pk: int):
        return Response(s.EnrolmentOut(_enrolment_out(_enrolment_for_staff(request, pk))).data)

    @extend_schema(operation_id="enrolments_update", request=s.EnrolmentUpdateIn, responses=s.EnrolmentOut,
                   description="Trainers and administrators of the course's unit: `due_at` gives this "
                               "person an extension of the course's due date (null removes it). Audited.")
    def patch(self, request, pk: int):
        _enrolment_for_staff(request, pk)
        data = s.EnrolmentUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        enrolments.enrolment_set_due_at(actor=request.user, enrolment_id=pk,
                                        due_at=data.validated_data["due_at"])
        return Response(s.EnrolmentOut(_enrolment_out(_enrolment_for_staff(request, pk))).data)
