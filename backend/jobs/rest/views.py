from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.generics import RetrieveAPIView

from backend.jobs.models import Job
from backend.jobs.recovery import error_message


class JobSerializer(serializers.ModelSerializer):
    error_message = serializers.SerializerMethodField(
        help_text="Why a failed job stopped, in the reader's language ('' otherwise).")

    class Meta:
        model = Job
        fields = ["id", "kind", "status", "done", "total", "errors", "result", "created_at",
                  "updated_at", "heartbeat_at", "attempts", "error_message"]

    @extend_schema_field(serializers.CharField())
    def get_error_message(self, job: Job) -> str:
        if job.status != "failed":
            return ""
        return error_message(job.error_code, job.attempts) or (job.result or {}).get("message", "")


class JobView(RetrieveAPIView):
    """Progress of a job; only whoever started it can see it (others get 404). A job whose
    worker stopped is resumed by itself (`attempts` counts the runs) or fails with
    `error_message`."""

    serializer_class = JobSerializer

    def get_queryset(self):
        return Job.objects.filter(started_by=self.request.user)
