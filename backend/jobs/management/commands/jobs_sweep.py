"""Run the stale-job sweep once (what Celery beat does every JOBS_SWEEP_SECONDS)."""

from django.core.management.base import BaseCommand

from backend.jobs.recovery import sweep_stale_jobs


class Command(BaseCommand):
    help = "Re-queue jobs whose worker stopped, or fail them after JOBS_MAX_ATTEMPTS runs."

    def handle(self, *args, **options) -> None:
        report = sweep_stale_jobs()
        self.stdout.write(f"re-queued {len(report.requeued)}, failed {len(report.failed)}")
