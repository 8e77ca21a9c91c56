"""GET/POST/PATCH/DELETE /api/v1/lessons/{id}/scorm/: the lesson's SCORM package.
Views are thin: authorise, input serializer -> service or selector -> output serializer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.parsers import FormParser, JSONParser, MultiPartParser
from backend.api.permissions import TrainerToWrite
from backend.api.schema import error_response

from .. import selectors, services
from ..selectors import PackageData, package_data
from . import serializers as s

NO_PACKAGE = error_response("`lesson_locked` (prerequisites first) or `no_package` (nothing uploaded "
                            "yet).")
REFUSED = error_response("The package was refused; `code` says why, `fields.file` says it for people: "
                         "not_zip, too_large, too_many_files, compression_ratio, path_traversal, "
                         "absolute_path, unsafe_path, symlink, duplicate_entry, file_type, unsafe_archive, "
                         "missing_manifest, unsafe_manifest, invalid_manifest, unsupported_version, "
                         "no_launchable_item, missing_launch_file, href_outside_package, external_href.")


def package_payload(package: PackageData) -> dict:
    return {
        "id": package.id, "lesson_id": package.lesson_id, "title": package.title,
        "version": package.version,
        "items": [{"identifier": i.identifier, "title": i.title, "depth": i.depth, "is_sco": i.is_sco,
                   "href": i.href, "mastery_score": i.mastery_score,
                   "scaled_passing_score": i.scaled_passing_score,
                   "completion_threshold": i.completion_threshold, "required": i.required}
                  for i in package.items],
        "completion_rule": package.completion_rule, "grading_method": package.grading_method,
        "warnings": [{"code": w.get("code", ""), "message": w.get("message", ""), "path": w.get("path")}
                     for w in package.warnings],
        "size_bytes": package.size_bytes, "file_count": package.file_count,
        "uploaded_at": package.uploaded_at, "uploads": package.uploads, "player_url": package.player_url,
    }


class PackageView(APIView):
    permission_classes = [TrainerToWrite]  # learners read; upload, settings, removal: trainers
    patch_is_partial = False  # PATCH sets `grading_method` and/or `completion_rule`
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(operation_id="scorm_package_retrieve", responses={200: s.ScormPackageOut, 409: NO_PACKAGE},
                   description="The lesson's SCORM package (its items in manifest order): enrolled "
                               "learners of the lesson and its staff.")
    def get(self, request, pk: int):
        selectors.lesson_for_viewer(user=request.user, lesson_id=pk)
        return Response(s.ScormPackageOut(package_payload(package_data(selectors.package_require(pk)))).data)

    @extend_schema(operation_id="scorm_package_upload", request={"multipart/form-data": s.ScormUploadIn},
                   responses={201: s.ScormPackageOut, 400: REFUSED},
                   description="Upload a SCORM 1.2 or 2004 (3rd/4th edition) zip for a SCORM lesson; "
                               "replaces the lesson's earlier package, keeping learners' attempts "
                               "and results. A refused package writes nothing.")
    def post(self, request, pk: int):
        selectors.lesson_for_author(user=request.user, lesson_id=pk)  # authorise, then read the body
        data = s.ScormUploadIn(data=request.data)
        data.is_valid(raise_exception=True)
        package = services.package_upload(
            actor=request.user, lesson_id=pk, file=data.validated_data["file"].file,
            grading_method=data.validated_data.get("grading_method"),
            completion_rule=data.validated_data.get("completion_rule"))
        return Response(s.ScormPackageOut(package_payload(package_data(package))).data, status=201)

    @extend_schema(operation_id="scorm_package_settings_update", request=s.ScormSettingsIn,
                   responses={200: s.ScormPackageOut, 409: NO_PACKAGE})
    def patch(self, request, pk: int):
        selectors.lesson_for_author(user=request.user, lesson_id=pk)
        data = s.ScormSettingsIn(data=request.data)
        data.is_valid(raise_exception=True)
        package = services.package_settings_update(actor=request.user, lesson_id=pk, **data.validated_data)
        return Response(s.ScormPackageOut(package_payload(package_data(package))).data)

    @extend_schema(operation_id="scorm_package_destroy", responses={204: None, 409: NO_PACKAGE},
                   description="Remove the lesson's package; learners' attempts and results stay.")
    def delete(self, request, pk: int):
        services.package_remove(actor=request.user, lesson_id=pk)
        return Response(status=204)
