"""GET/PUT /api/v1/lessons/{id}/scorm/cmi/ (helper scorm-runtime builds this)."""

from rest_framework.views import APIView


class CmiView(APIView):
    pass
