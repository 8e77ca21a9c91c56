"""Own notifications and preferences; the platform-wide defaults (platform administrators)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.pagination import Pagination
from backend.errors import DomainError, Forbidden
from backend.notifications import selectors, services
from backend.notifications.rest.serializers import (
    DefaultsSerializer,
    NotificationListSerializer,
    NotificationSerializer,
    PreferencesSerializer,
    PreferencesUpdateSerializer,
    ReadAllSerializer,
)


def _bool(value: str | None, field: str) -> bool | None:
    if value in (None, ""):
        return None
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    message = _("Use true or false.")
    raise DomainError(message, code="invalid", fields={field: [message]})


class NotificationListView(APIView):
    """The caller's own notifications, newest first; `unread=true` keeps the unread ones.
    `unread_count` is always the number of unread (whatever the filter)."""

    pagination_class = Pagination

    @extend_schema(parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, required=False)],
                   responses=NotificationListSerializer, operation_id="notifications_list")
    def get(self, request):
        rows = selectors.notifications_for(
            request.user, unread=_bool(request.query_params.get("unread"), "unread"))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        response = paginator.get_paginated_response(NotificationSerializer(page, many=True).data)
        response.data["unread_count"] = selectors.unread_count(request.user)
        return response


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer,
                   operation_id="notifications_read")
    def post(self, request, pk: int):
        row = services.notification_mark_read(user=request.user, notification_id=pk)
        if row is None:
            raise DomainError(_("Not found."), code="not_found", status=404)
        return Response(NotificationSerializer(row).data)


class NotificationReadAllView(APIView):
    @extend_schema(request=None, responses=ReadAllSerializer,
                   operation_id="notifications_read_all")
    def post(self, request):
        marked = services.notifications_mark_all_read(user=request.user)
        return Response({"marked": marked, "unread_count": 0})


class PreferencesView(APIView):
    """Per kind: `email` (an e-mail now), `digest` (one daily e-mail), `site` (in the site only).
    Kinds the person never set follow the administrators' default."""

    @extend_schema(responses=PreferencesSerializer, operation_id="notification_preferences_get")
    def get(self, request):
        return Response({"preferences": services.preferences_get(request.user)})

    @extend_schema(request=PreferencesUpdateSerializer, responses=PreferencesSerializer,
                   operation_id="notification_preferences_update")
    def patch(self, request):
        data = PreferencesUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rows = services.preferences_update(user=request.user,
                                           changes=data.validated_data["preferences"])
        return Response({"preferences": rows})


class DefaultsView(APIView):
    """The platform-wide default delivery of each kind (decision 0062). Anyone signed in may read
    it; only a platform administrator (administrator of no particular unit) may change it."""

    @extend_schema(responses=DefaultsSerializer, operation_id="notification_defaults_get")
    def get(self, request):
        return Response({"defaults": services.default_preferences_get()})

    @extend_schema(request=DefaultsSerializer, responses=DefaultsSerializer,
                   operation_id="notification_defaults_update")
    def patch(self, request):
        if not services.may_change_defaults(request.user):  # authorise before validating
            raise Forbidden(_("Only a platform administrator can change the defaults."))
        data = DefaultsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"defaults": services.default_preferences_update(
            actor=request.user, changes=data.validated_data["defaults"])})
