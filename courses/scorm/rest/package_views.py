"""POST/GET/DELETE /api/v1/lessons/{id}/scorm/ (helper scorm-package builds this)."""

from rest_framework.views import APIView


class PackageView(APIView):
    pass
