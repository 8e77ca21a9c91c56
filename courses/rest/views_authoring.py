"""Catalogue and authoring endpoints: input serializer -> service -> output serializer."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.api import Role, organisation_default_for, organisation_get_by_code
from backend.api.pagination import PaginatedListMixin
from backend.api.parsers import FormParser, MultiPartParser
from backend.api.permissions import TrainerToWrite
from backend.errors import DomainError
from backend.private_media import private_file_response
from courses import services
from courses.models import Enrolment, Lesson, LessonKind, Module
from courses.rest import serializers as s
from courses.rest.payloads import course_payload, draft_outline_payload, lesson_payload
from courses.rest.permissions import (
    ContentAccess,
    CourseAccess,
    content_for,
    course_for,
    course_queryset,
    lesson_queryset,
    module_queryset,
)
from courses.selectors import (
    LIVE_ENROLMENT,
    draft_outline,
    is_course_author,
    is_course_staff,
    lesson_get_for_viewer,
    lesson_stored_file,
    not_found,
)

VERSION_PARAM = OpenApiParameter("version", OpenApiTypes.INT, required=False,
                                 description="Refuse (409) if the course changed since this version.")


def _query_version(request) -> int | None:
    raw = request.query_params.get("version")
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise DomainError(_("The version must be a number."), code="invalid",
                          fields={"version": _("The version must be a number.")}) from exc


def _course_out(request, course, enrolment=None) -> dict:
    staff = is_course_staff(request.user, course)
    return s.CourseOut(course_payload(course, staff=staff, author=is_course_author(request.user, course),
                                      enrolment=enrolment)).data


class CourseListView(PaginatedListMixin, APIView):
    permission_classes = [TrainerToWrite]

    @extend_schema(
        operation_id="courses_list", responses=s.CourseOut(many=True),
        parameters=[
            OpenApiParameter("search", str, description="Title, summary or the text of a lesson; "
                             "ignores case and diacritics."),
            OpenApiParameter("status", str, enum=["draft", "published", "archived"]),
            OpenApiParameter("enrolled", bool, description="Only courses I am enrolled in."),
        ],
    )
    def get(self, request):
        qs = course_queryset(request, search=request.query_params.get("search", ""),
                             status=request.query_params.get("status", ""))
        if request.query_params.get("enrolled") in ("1", "true", "True"):
            qs = qs.filter(pk__in=Enrolment.objects.filter(
                user_id=request.user.pk, status__in=LIVE_ENROLMENT).values("course_id"))

        def render(page):
            mine = {e.course_id: e for e in Enrolment.objects.filter(
                user_id=request.user.pk, course_id__in=[c.pk for c in page])}
            return [_course_out(request, c, mine.get(c.pk)) for c in page]

        return self.paginated(qs.order_by("-published_at", "-id"), render)

    @extend_schema(operation_id="courses_create", request=s.CourseCreateIn, responses={201: s.CourseOut})
    def post(self, request):
        data = s.CourseCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        code = fields.pop("organisation").strip()
        unit = organisation_get_by_code(code) if code else organisation_default_for(
            request.user, [Role.TRAINER])
        if unit is None:
            raise DomainError(_("Unknown unit."), code="invalid", fields={"organisation": _("Unknown unit.")})
        course = services.course_create(actor=request.user, organisation_id=unit.id, **fields)
        course = course_queryset(request).get(pk=course.pk)
        return Response(_course_out(request, course), status=status.HTTP_201_CREATED)


class CourseDetailView(APIView):
    patch_is_partial = False  # PATCH needs the `version` you read
    permission_classes = [TrainerToWrite, CourseAccess]

    @extend_schema(operation_id="courses_retrieve", responses=s.CourseOut)
    def get(self, request, pk: int):
        course = course_for(request, self, pk)
        enrolment = Enrolment.objects.filter(user_id=request.user.pk, course=course).first()
        return Response(_course_out(request, course, enrolment))

    @extend_schema(operation_id="courses_update", request=s.CourseUpdateIn, responses=s.CourseOut)
    def patch(self, request, pk: int):
        course_for(request, self, pk)
        data = s.CourseUpdateIn(data=request.data, partial=False)
        data.is_valid(raise_exception=True)
        services.course_update(actor=request.user, course_id=pk, **data.validated_data)
        return Response(_course_out(request, course_queryset(request).get(pk=pk)))


class _CourseAction(APIView):
    permission_classes = [TrainerToWrite, CourseAccess]
    service = None

    def post(self, request, pk: int):
        course_for(request, self, pk)
        data = s.VersionIn(data=request.data)
        data.is_valid(raise_exception=True)
        self.run(request, pk, data.validated_data["version"])
        return Response(_course_out(request, course_queryset(request).get(pk=pk)))


class CoursePublishView(_CourseAction):
    @extend_schema(operation_id="courses_publish", request=s.VersionIn, responses=s.CourseOut,
                   description="Make the current draft what trainees see.")
    def post(self, request, pk: int):
        return super().post(request, pk)

    def run(self, request, pk, version):
        services.course_publish(actor=request.user, course_id=pk, version=version)


class CourseArchiveView(_CourseAction):
    @extend_schema(operation_id="courses_archive", request=s.VersionIn, responses=s.CourseOut)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def run(self, request, pk, version):
        services.course_archive(actor=request.user, course_id=pk)


class CourseRestoreView(_CourseAction):
    @extend_schema(operation_id="courses_restore", request=s.VersionIn, responses=s.CourseOut)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def run(self, request, pk, version):
        services.course_restore(actor=request.user, course_id=pk)


class CourseReorderView(APIView):
    permission_classes = [TrainerToWrite, CourseAccess]

    @extend_schema(operation_id="courses_reorder", request=s.ReorderIn, responses=s.OutlineOut,
                   description="Order modules and lessons (lessons may move between modules). "
                               "List every live module and lesson exactly once.")
    def post(self, request, pk: int):
        course_for(request, self, pk)
        data = s.ReorderIn(data=request.data)
        data.is_valid(raise_exception=True)
        course = services.course_reorder(actor=request.user, course_id=pk, **data.validated_data)
        return Response(s.OutlineOut(draft_outline_payload(course, draft_outline(course))).data)


class ModuleCreateView(APIView):
    permission_classes = [TrainerToWrite, CourseAccess]

    @extend_schema(operation_id="modules_create", request=s.ModuleIn, responses={201: s.ModuleOut})
    def post(self, request, pk: int):
        course_for(request, self, pk)
        data = s.ModuleIn(data=request.data)
        data.is_valid(raise_exception=True)
        module = services.module_create(actor=request.user, course_id=pk, **data.validated_data)
        return Response(s.ModuleOut(module).data, status=status.HTTP_201_CREATED)


class ModuleDetailView(APIView):
    patch_is_partial = False  # PATCH renames: `title` is required
    permission_classes = [TrainerToWrite, ContentAccess]

    @extend_schema(operation_id="modules_update", request=s.ModuleIn, responses=s.ModuleOut)
    def patch(self, request, pk: int):
        content_for(request, self, module_queryset(request), pk)
        data = s.ModuleIn(data=request.data)
        data.is_valid(raise_exception=True)
        module = services.module_update(actor=request.user, module_id=pk, **data.validated_data)
        return Response(s.ModuleOut(module).data)

    @extend_schema(operation_id="modules_destroy", parameters=[VERSION_PARAM], responses={204: None})
    def delete(self, request, pk: int):
        content_for(request, self, module_queryset(request), pk)
        services.module_delete(actor=request.user, module_id=pk, version=_query_version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _draft_lesson_out(lesson: Lesson) -> dict:
    prereqs = sorted(lesson.prerequisites.values_list("pk", flat=True))
    return s.LessonOut(lesson_payload(lesson, draft=True, prerequisite_ids=prereqs)).data


class LessonCreateView(APIView):
    permission_classes = [TrainerToWrite, ContentAccess]

    @extend_schema(operation_id="lessons_create", request=s.LessonCreateIn, responses={201: s.LessonOut})
    def post(self, request, pk: int):
        module: Module = content_for(request, self, module_queryset(request), pk)
        data = s.LessonCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        lesson = services.lesson_create(actor=request.user, module_id=module.pk, **data.validated_data)
        return Response(_draft_lesson_out(lesson), status=status.HTTP_201_CREATED)


class CourseCoverView(APIView):
    permission_classes = [TrainerToWrite, CourseAccess]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="courses_cover_upload", request={"multipart/form-data": s.CourseCoverIn},
                   responses=s.CourseOut,
                   description="Set the course's cover image (resized server-side; anything that is "
                               "not a JPEG, PNG, WebP or GIF picture is a 400 naming `cover`).")
    def post(self, request, pk: int):
        course_for(request, self, pk)
        data = s.CourseCoverIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.course_set_cover(actor=request.user, course_id=pk, upload=data.validated_data["cover"])
        return Response(_course_out(request, course_queryset(request).get(pk=pk)))

    @extend_schema(operation_id="courses_cover_remove", request=None, responses={200: s.CourseOut},
                   description="Remove the cover image (the course shows its generated pattern).")
    def delete(self, request, pk: int):
        course_for(request, self, pk)
        services.course_remove_cover(actor=request.user, course_id=pk)
        return Response(_course_out(request, course_queryset(request).get(pk=pk)))


class LessonFileView(APIView):
    permission_classes = [TrainerToWrite, ContentAccess]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="lessons_file_download",
                   parameters=[OpenApiParameter("draft", bool, description="Authors: the draft's file.")],
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                              (206, "application/octet-stream"): OpenApiTypes.BINARY},
                   description="The lesson's video or attachment, to whoever may read the lesson "
                               "(same rule as GET /lessons/{id}/). Videos play inline and answer "
                               "byte ranges; attachments download under their uploaded name.")
    def get(self, request, pk: int):
        lesson, draft, _enrolment = lesson_get_for_viewer(
            request.user, pk, draft=request.query_params.get("draft") in ("1", "true", "True"))
        name, filename = lesson_stored_file(lesson, draft=draft)
        if not name:
            raise not_found()
        try:
            return private_file_response(request, storage=default_storage, name=name,
                                         filename=filename, inline=lesson.kind == LessonKind.VIDEO)
        except Http404 as exc:
            raise not_found() from exc

    @extend_schema(operation_id="lessons_file_upload", request={"multipart/form-data": s.LessonFileIn},
                   responses=s.LessonOut,
                   description="The video file of a video lesson or the attachment of a file lesson.")
    def post(self, request, pk: int):
        content_for(request, self, lesson_queryset(request).filter(deleted_at__isnull=True), pk)
        data = s.LessonFileIn(data=request.data)
        data.is_valid(raise_exception=True)
        lesson = services.lesson_attach_file(actor=request.user, lesson_id=pk,
                                             upload=data.validated_data["file"],
                                             version=data.validated_data["version"])
        return Response(_draft_lesson_out(lesson))
