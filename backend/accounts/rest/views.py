from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.import_jobs import users_import_needs_job, users_import_start
from backend.accounts.importing import users_import
from backend.accounts.models import RoleAssignment, User
from backend.accounts.rest.serializers import (
    ImportResultSerializer,
    MeSerializer,
    MeUpdateSerializer,
    UserCreateSerializer,
    UserImportSerializer,
    UserSerializer,
)
from backend.accounts.services import user_create, user_update_profile
from backend.accounts.user_csv import CsvFileError
from backend.api.parsers import FormParser, MultiPartParser
from backend.api.permissions import AdministratorToWrite
from backend.errors import DomainError
from backend.jobs.models import Job
from backend.jobs.rest.views import JobSerializer


class MeView(APIView):
    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request):
        user = User.objects.select_related("organisation").get(pk=request.user.pk)
        return Response(MeSerializer(user).data)

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer, operation_id="me_update")
    def patch(self, request):
        data = MeUpdateSerializer(data={"full_name": request.user.full_name,
                                        "language": request.user.language, **request.data})
        data.is_valid(raise_exception=True)
        user = user_update_profile(user=request.user, **data.validated_data)
        return Response(MeSerializer(user).data)


class UserCreateView(APIView):
    permission_classes = [AdministratorToWrite]

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer},
                   operation_id="users_create")
    def post(self, request):
        data = UserCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_create(actor=request.user, **data.validated_data)
        user = User.objects.select_related("organisation").prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.only("role", "user_id"))
        ).get(pk=user.pk)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class UserImportView(APIView):
    permission_classes = [AdministratorToWrite]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": UserImportSerializer},
        parameters=[OpenApiParameter(
            "async", OpenApiTypes.BOOL, OpenApiParameter.QUERY, required=False,
            description="true: import in the background and answer 202 with the job to follow "
                        "at /api/v1/jobs/{id}/; the per-row result is the finished job's `result`. "
                        "A file of more than USER_IMPORT_SYNC_MAX_ROWS rows (default 5000) is "
                        "always imported this way.")],
        responses={200: ImportResultSerializer, 202: JobSerializer}, operation_id="users_import")
    def post(self, request):
        data = UserImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > settings.USER_IMPORT_MAX_BYTES:
            raise DomainError(_("The file is too large."), code="file_too_large",
                              fields={"file": _("The file is too large.")})
        asked = request.query_params.get("async", "").lower() in {"1", "true", "yes"}
        all_or_nothing = data.validated_data["all_or_nothing"]
        content = upload.read()
        try:
            if asked or users_import_needs_job(content):
                job = users_import_start(actor=request.user, data=content, all_or_nothing=all_or_nothing)
                return Response(JobSerializer(Job.objects.get(pk=job.id)).data,
                                status=status.HTTP_202_ACCEPTED,
                                headers={"Location": f"/api/v1/jobs/{job.id}/"})
            result = users_import(actor=request.user, data=content, all_or_nothing=all_or_nothing)
        except CsvFileError as exc:
            raise DomainError(str(exc), code="invalid_file", fields={"file": str(exc)}) from exc
        return Response(ImportResultSerializer(result.as_dict()).data)
