"""Certificate templates for administrators: list, create, read, change, delete."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.api import organisation_get_by_code
from backend.api.parsers import FormParser, JSONParser, MultiPartParser
from backend.api.permissions import AdministratorToWrite
from backend.errors import DomainError
from certificates import services
from certificates.rest import serializers as s
from certificates.selectors import not_found, templates_visible_to


def _template_for(request, pk: int):
    template = templates_visible_to(request.user).filter(pk=pk).first()
    if template is None:
        raise not_found()
    return template


class TemplateListView(APIView):
    permission_classes = [AdministratorToWrite]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(operation_id="certificate_templates_list", responses=s.TemplateOut(many=True),
                   description="Templates of the units you administer (and of their courses).")
    def get(self, request):
        return Response(s.TemplateOut(templates_visible_to(request.user), many=True).data)

    @extend_schema(operation_id="certificate_templates_create", request=s.TemplateCreateIn,
                   responses={201: s.TemplateOut},
                   description="Give `organisation` (a unit's default, inherited by its subtree) or "
                               "`course` (that course's own). Images by multipart upload.")
    def post(self, request):
        data = s.TemplateCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.to_service()
        code = values.pop("organisation", None)
        course_id = values.pop("course", None)
        organisation_id = None
        if code is not None:
            unit = organisation_get_by_code(code)
            if unit is None:
                raise DomainError(_("Unknown unit."), code="invalid", fields={"organisation": code})
            organisation_id = unit.id
        template = services.template_create(actor=request.user, organisation_id=organisation_id,
                                            course_id=course_id, **values)
        return Response(s.TemplateOut(template).data, status=status.HTTP_201_CREATED)


class TemplateDetailView(APIView):
    permission_classes = [AdministratorToWrite]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(operation_id="certificate_templates_retrieve", responses=s.TemplateOut)
    def get(self, request, pk: int):
        return Response(s.TemplateOut(_template_for(request, pk)).data)

    @extend_schema(operation_id="certificate_templates_update", request=s.TemplateUpdateIn,
                   responses=s.TemplateOut,
                   description="Change fields; certificates already issued keep their wording "
                               "until re-issued.")
    def patch(self, request, pk: int):
        _template_for(request, pk)
        data = s.TemplateUpdateIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        template = services.template_update(actor=request.user, template_id=pk, **data.to_service())
        return Response(s.TemplateOut(template).data)

    @extend_schema(operation_id="certificate_templates_destroy", responses={204: None})
    def delete(self, request, pk: int):
        _template_for(request, pk)
        services.template_delete(actor=request.user, template_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
