"""H5P endpoints: upload and settings (trainers), state and xAPI (learners), statement export.
Views are thin: input serializer -> service or selector -> output serializer."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.params import query_id
from backend.api.parsers import FormParser, JSONParser, MultiPartParser
from backend.api.permissions import TrainerToWrite
from backend.errors import DomainError

from .. import selectors, services
from ..models import H5PContent
from . import serializers as s


def content_payload(content: H5PContent, added: tuple[str, ...] = ()) -> dict:
    main = content.main_library
    return {
        "id": content.pk, "lesson_id": content.lesson_id, "title": content.title,
        "language": content.language, "main_library": f"{main.machine_name} {main.version}",
        "libraries": [{"machine_name": lib.machine_name, "version": lib.version, "title": lib.title,
                       "files_hash": lib.files_hash, "added": lib.store_folder in added}
                      for lib in sorted(content.libraries.all(), key=lambda lib: lib.store_folder)],
        "warnings": [{"code": w.get("code", ""), "message": w.get("message", ""), "path": w.get("path")}
                     for w in content.warnings],
        "embed_types": content.embed_types, "grading_method": content.grading_method,
        "uploaded_at": content.uploaded_at, "uploads": content.uploads,
        "player_url": f"/learn/lessons/{content.lesson_id}/h5p/",
    }


class ContentView(APIView):
    permission_classes = [TrainerToWrite]  # learners read; uploads and settings: trainers
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(operation_id="h5p_content_retrieve", responses=s.ContentOut,
                   description="The lesson's H5P content: learners of the lesson and its staff.")
    def get(self, request, pk: int):
        selectors.lesson_for_player(user=request.user, lesson_id=pk)
        content = selectors.content_require(pk)
        return Response(s.ContentOut(content_payload(content)).data)

    @extend_schema(operation_id="h5p_upload", request={"multipart/form-data": s.UploadIn},
                   responses={201: s.ContentOut},
                   description="Upload a .h5p package (with its libraries) for an H5P lesson; "
                               "replaces the lesson's earlier package, keeping learners' results. "
                               "Refused packages give 400 with a stable `code` (not_zip, "
                               "path_traversal, symlink, file_type, missing_library, ...).")
    def post(self, request, pk: int):
        selectors.lesson_for_author(user=request.user, lesson_id=pk)  # authorise, then read the body
        data = s.UploadIn(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        result = services.h5p_upload(actor=request.user, lesson_id=pk, upload=upload.file,
                                     grading_method=data.validated_data.get("grading_method"))
        return Response(s.ContentOut(content_payload(result.content, result.added_libraries)).data,
                        status=201)

    @extend_schema(operation_id="h5p_settings_update", request=s.SettingsIn, responses=s.ContentOut)
    def patch(self, request, pk: int):
        selectors.lesson_for_author(user=request.user, lesson_id=pk)
        data = s.SettingsIn(data=request.data)
        data.is_valid(raise_exception=True)
        content = services.h5p_settings_update(actor=request.user, lesson_id=pk, **data.validated_data)
        return Response(s.ContentOut(content_payload(content)).data)


class StateView(APIView):
    @extend_schema(operation_id="h5p_state_retrieve", responses=s.StateOut,
                   description="The learner's saved player state (null when none, or when it "
                               "belongs to an earlier upload).")
    def get(self, request, pk: int):
        selectors.lesson_for_learner(user=request.user, lesson_id=pk)
        content = selectors.content_require(pk)
        return Response({"state": selectors.state_for(user=request.user, lesson_id=pk,
                                                      content_key=content.content_key)})

    @extend_schema(operation_id="h5p_state_update", request=s.StateIn, responses=s.StateOut)
    def put(self, request, pk: int):
        data = s.StateIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.h5p_state_save(user=request.user, lesson_id=pk, data=data.validated_data["state"])
        return Response({"state": data.validated_data["state"] or None})


class XAPIView(APIView):
    accepts_json_list = True  # one statement or a batch
    @extend_schema(operation_id="h5p_xapi_create", request=OpenApiTypes.OBJECT, responses=s.XAPIOut,
                   description="One xAPI statement, or a list, from the H5P player. `id` (a UUID) "
                               "is required; the same id twice is stored once. `actor` is ignored: "
                               "the signed-in learner is the actor.")
    def post(self, request, pk: int):
        statements = request.data if isinstance(request.data, list) else [request.data]
        if not statements or len(statements) > settings.H5P_XAPI_BATCH_MAX:
            raise DomainError(_("Send between 1 and %(n)d statements.") % {"n": settings.H5P_XAPI_BATCH_MAX},
                              code="invalid_batch")
        result = services.xapi_ingest(user=request.user, lesson_id=pk, statements=statements)
        return Response({"stored": result.stored, "duplicates": result.duplicates,
                         "attempts": result.attempts, "score": result.score,
                         "completed": result.completed})


USER_PARAM = OpenApiParameter("user", int, description="Staff: only this learner's statements.")


class XAPIExportView(APIView):
    @extend_schema(operation_id="h5p_xapi_export", parameters=[USER_PARAM], responses=OpenApiTypes.OBJECT,
                   description="The lesson's stored statements as one JSON array (streamed), each "
                               "with the learner as `actor` and `stored`. Staff: everyone's; "
                               "learners: their own.")
    def get(self, request, pk: int):
        wanted = query_id(request, "user")
        user_id = selectors.export_scope(user=request.user, lesson_id=pk, user_id=wanted)
        rows = selectors.statements_for_export(lesson_id=pk, user_id=user_id)
        response = StreamingHttpResponse(_json_array(rows), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="lesson-{pk}-xapi.json"'
        return response


def _json_array(rows):
    yield "["
    for index, (statement_id, raw, stored_at, name, email) in enumerate(rows):
        statement = {**raw, "id": str(statement_id), "stored": stored_at.isoformat(),
                     "actor": {"objectType": "Agent", "name": name, "mbox": f"mailto:{email}"}}
        yield ("," if index else "") + json.dumps(statement, ensure_ascii=False)
    yield "]"
