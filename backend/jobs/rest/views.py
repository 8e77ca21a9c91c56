from rest_framework import serializers
from rest_framework.generics import RetrieveAPIView

from backend.jobs.models import Job


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = ["id", "kind", "status", "done", "total", "errors", "result", "created_at",
                  "updated_at"]


class JobView(RetrieveAPIView):
    """Progress of a job; only whoever started it can see it (others get 404)."""

    serializer_class = JobSerializer

    def get_queryset(self):
        return Job.objects.filter(started_by=self.request.user)
