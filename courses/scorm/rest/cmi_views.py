"""GET/PUT /api/v1/lessons/{id}/scorm/cmi/: the SCORM runtime's data model, for the player page's
scorm-again (learners of the lesson; staff preview, recorded nowhere). Thin: authorise, check
the body, call courses.scorm.runtime."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.api.parsers import JSONParser
from backend.api.schema import error_response
from backend.errors import DomainError

from .. import runtime
from . import cmi_serializers as s

SCO_PARAM = OpenApiParameter("sco", str, required=True, description="The SCO's item identifier.")
NOT_PLAYABLE = error_response("`lesson_locked` (prerequisites first) or `no_content` (no package yet).")
UNKNOWN_SCO = error_response("`unknown_sco`: the package has no SCO with this identifier (`fields.sco`).")
TOO_LARGE = error_response("`commit_too_large`: the body is above SCORM_COMMIT_MAX_BYTES.")


def _field(code: str, field: str, message: str) -> DomainError:
    return DomainError(message, code=code, fields={field: [message]})


def _whole(data: dict, name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2 ** 62:
        raise _field(f"invalid_{name}", name, _("%(field)s must be a whole number from 1.") % {"field": name})
    return value


class CmiView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="scorm_cmi_retrieve", parameters=[SCO_PARAM],
                   responses={200: s.ScormCmiOut, 404: UNKNOWN_SCO, 409: NOT_PLAYABLE},
                   description="Start a SCO's session: its attempt (a new one when the last ended: "
                               "terminated, not suspended, completed/passed/failed), the last applied "
                               "commit number, and the data model to load (restored on resume, "
                               "LMS-owned elements filled).")
    def get(self, request, pk: int):
        access = runtime.runtime_access(user=request.user, lesson_id=pk)
        start = runtime.cmi_get(user=request.user, access=access, sco=request.query_params.get("sco"))
        return Response(s.ScormCmiOut({
            "sco": start.sco, "attempt": start.attempt, "seq": start.seq, "version": start.version,
            "entry": start.entry, "cmi": start.cmi, "result": start.result, "preview": start.preview}).data)

    @extend_schema(operation_id="scorm_cmi_commit", request=s.ScormCommitIn,
                   responses={200: s.ScormCommitOut, 404: UNKNOWN_SCO, 409: NOT_PLAYABLE, 413: TOO_LARGE},
                   description="Commit the SCO's data model. Ordered and idempotent: a `seq` not above "
                               "the stored one, or another attempt than the current, changes nothing "
                               "(`applied: false`). Invalid elements: 400 naming `cmi.<element>` with a "
                               "stable code (unknown_element, invalid_vocabulary, invalid_number, "
                               "out_of_range, invalid_time, suspend_data_too_long, value_too_long).")
    def put(self, request, pk: int):
        access = runtime.runtime_access(user=request.user, lesson_id=pk)  # authorise, then read the body
        length = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.SCORM_COMMIT_MAX_BYTES
        if not length.isdigit() or int(length) > limit:
            raise DomainError(_("The commit is larger than %(n)d bytes.") % {"n": limit},
                              code="commit_too_large", status=413)
        data = request.data
        sco = data.get("sco")
        if not isinstance(sco, str) or not sco or len(sco) > 255:
            raise _field("invalid_sco", "sco", _("sco must name one of the package's SCOs."))
        attempt, seq = _whole(data, "attempt"), _whole(data, "seq")
        terminated = data.get("terminated", False)
        if not isinstance(terminated, bool):
            raise _field("invalid_terminated", "terminated", _("terminated must be true or false."))
        if "cmi" not in data:
            raise _field("invalid_cmi", "cmi", _("cmi is required: the data model elements."))
        done = runtime.cmi_commit(user=request.user, access=access, sco=sco, attempt=attempt, seq=seq,
                                  cmi=data["cmi"], terminated=terminated)
        return Response(s.ScormCommitOut({"applied": done.applied, "seq": done.seq, "attempt": done.attempt,
                                     "result": done.result, "preview": done.preview}).data)
