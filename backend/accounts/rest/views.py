from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.import_jobs import users_import_needs_job, users_import_start
from backend.accounts.importing import users_import
from backend.accounts.models import Accommodation, RoleAssignment, User
from backend.accounts.rest.serializers import (
    AccommodationIn,
    AccommodationOut,
    DeactivationSerializer,
    ImportResultSerializer,
    MeSerializer,
    MeUpdateSerializer,
    UserCreateSerializer,
    UserDeactivateSerializer,
    UserImportSerializer,
    UserSerializer,
    UserUpdateSerializer,
    me_payload,
)
from backend.accounts.selectors import users_search, users_visible_to
from backend.accounts.services import (
    accommodation_set,
    invitation_resend,
    user_create,
    user_deactivate,
    user_reactivate,
    user_update,
    user_update_profile,
)
from backend.accounts.user_csv import CsvFileError
from backend.api.pagination import PaginatedListMixin
from backend.api.parsers import FormParser, MultiPartParser
from backend.api.permissions import AdministratorToWrite
from backend.api.untrusted import parse_id
from backend.errors import Conflict, DomainError
from backend.jobs.models import Job
from backend.jobs.rest.views import JobSerializer


class MeView(APIView):
    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request):
        user = request.user
        if not getattr(user, "_auth_facts", None):  # not built by the auth cache: load its unit
            user = User.objects.select_related("organisation").get(pk=user.pk)
        return Response(me_payload(user))

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer, operation_id="me_update")
    def patch(self, request):
        data = MeUpdateSerializer(data={"full_name": request.user.full_name,
                                        "language": request.user.language, **request.data})
        data.is_valid(raise_exception=True)
        user = user_update_profile(user=request.user, **data.validated_data)
        return Response(MeSerializer(user).data)


def _users(request):
    """The users the caller administers, as the serializer shows them (404 for the others)."""
    return users_visible_to(request.user).select_related("organisation").prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.only("role", "user_id")))


def _user_or_404(request, pk: int) -> User:
    user = _users(request).filter(pk=pk).first()
    if user is None:
        raise DomainError(_("Not found."), code="not_found", status=404)
    return user


class UserCreateView(PaginatedListMixin, APIView):
    permission_classes = [AdministratorToWrite]

    @extend_schema(
        operation_id="users_list", responses=UserSerializer(many=True),
        parameters=[
            OpenApiParameter("search", str, description="Part of the full name (accents and case "
                             "ignored) or of the e-mail address."),
            OpenApiParameter("active", bool, description="Only active (true) or deactivated "
                             "(false) accounts."),
            OpenApiParameter("exclude_cohort", int, description="Leave out the members of this "
                             "cohort (the cohort page's member search)."),
            ],
        description="People of the units the caller administers.")
    def get(self, request):
        users = users_search(_users(request), request.query_params.get("search", ""))
        active = request.query_params.get("active", "").lower()
        if active in {"true", "false", "1", "0"}:
            users = users.filter(is_active=active in {"true", "1"})
        if (cohort := parse_id(request.query_params.get("exclude_cohort", ""))) is not None:
            users = users.exclude(cohorts__pk=cohort)
        return self.paginated(users.order_by("search_name", "email"),
                              lambda page: UserSerializer(page, many=True).data)

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer},
                   operation_id="users_create")
    def post(self, request):
        data = UserCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_create(actor=request.user, **data.validated_data)
        return Response(UserSerializer(_users(request).get(pk=user.pk)).data,
                        status=status.HTTP_201_CREATED)


class UserDetailView(APIView):
    permission_classes = [AdministratorToWrite]

    @extend_schema(responses=UserSerializer, operation_id="users_retrieve")
    def get(self, request, pk: int):
        return Response(UserSerializer(_user_or_404(request, pk)).data)

    @extend_schema(request=UserUpdateSerializer, responses=UserSerializer, operation_id="users_update",
                   description="Correct the name, e-mail address (the login) or unit. Audited.")
    def patch(self, request, pk: int):
        user = _user_or_404(request, pk)
        data = UserUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user_update(actor=request.user, user=user, **data.validated_data)
        return Response(UserSerializer(_user_or_404(request, pk)).data)


class UserDeactivateView(APIView):
    permission_classes = [AdministratorToWrite]

    @extend_schema(request=UserDeactivateSerializer, responses=DeactivationSerializer,
                   operation_id="users_deactivate",
                   description="The person can no longer sign in; every open session and API "
                               "token of theirs ends now. Their history stays. Audited.")
    def post(self, request, pk: int):
        user = _user_or_404(request, pk)
        data = UserDeactivateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ended = user_deactivate(actor=request.user, user=user, **data.validated_data)
        return Response(DeactivationSerializer(
            {"user": _user_or_404(request, pk), "sessions_ended": ended}).data)


class UserReactivateView(APIView):
    permission_classes = [AdministratorToWrite]

    @extend_schema(request=None, responses=UserSerializer, operation_id="users_reactivate")
    def post(self, request, pk: int):
        user_reactivate(actor=request.user, user=_user_or_404(request, pk))
        return Response(UserSerializer(_user_or_404(request, pk)).data)


class UserInvitationView(APIView):
    permission_classes = [AdministratorToWrite]

    @extend_schema(request=None, responses={204: None}, operation_id="users_resend_invitation",
                   description="Send the invitation e-mail again, while the person has not set "
                               "a password yet (409 otherwise).")
    def post(self, request, pk: int):
        try:
            invitation_resend(actor=request.user, user=_user_or_404(request, pk))
        except ValidationError as exc:
            message = " ".join(exc.messages)
            raise Conflict(message, code="invitation_not_needed", fields={"user": message}) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


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


def _accommodation_body(user: User, row: Accommodation | None) -> dict:
    return {"user_id": user.pk, "time_factor": row.time_factor if row else 1,
            "extra_attempts": row.extra_attempts if row else 0, "reason": row.reason if row else "",
            "updated_at": row.updated_at if row else None}


class UserAccommodationView(APIView):
    permission_classes = [AdministratorToWrite]

    @extend_schema(responses=AccommodationOut, operation_id="users_accommodation_retrieve",
                   description="The person's accommodation (administrators of their unit); factor 1 and "
                               "0 extra attempts when none is set.")
    def get(self, request, pk: int):
        user = _user_or_404(request, pk)
        return Response(AccommodationOut(_accommodation_body(
            user, Accommodation.objects.filter(user=user).first())).data)

    @extend_schema(request=AccommodationIn, responses=AccommodationOut,
                   operation_id="users_accommodation_set",
                   description="Set the time factor (1–5) and extra attempts that apply to every timed quiz "
                               "without a per-person override (WCAG 2.2.1 Timing Adjustable). Applies to "
                               "attempts started after the change. Audited.")
    def put(self, request, pk: int):
        user = _user_or_404(request, pk)
        data = AccommodationIn(data=request.data)
        data.is_valid(raise_exception=True)
        row = accommodation_set(actor=request.user, user=user, **data.validated_data)
        body = _accommodation_body(user, row)
        body["notice"] = _("Changes apply to attempts started after them: an attempt in progress keeps "
                           "the deadline it started with.")
        return Response(AccommodationOut(body).data)
