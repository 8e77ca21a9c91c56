"""`manage.py demo`: the demo units, accounts and content. Idempotent; demo mode only."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import seed_quizzes
from backend.accounts.demo import ACCOUNTS, DEMO_PASSWORD, seed_accounts
from certificates.demo import seed_certificates
from courses.demo import seed_course
from courses.h5p.demo import seed_h5p
from courses.scorm.demo import seed_scorm


class Command(BaseCommand):
    help = ("Create the demo organisation tree, accounts, course with its H5P activity, SCORM package and "
            "quizzes, and the certificate template (safe to run again).")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Run even when DJANGO_DEMO_MODE is off (never in production).")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEMO_MODE and not force:
            raise CommandError("Demo data is only for demo mode (DJANGO_DEMO_MODE=1).")
        users = seed_accounts()
        course = seed_course(users)
        self.stdout.write(f"  course #{course.pk}: {course.title}")
        activity = seed_h5p(users, course.pk)
        self.stdout.write(f"  H5P activity: /learn/lessons/{activity.lesson_id}/h5p/")
        package = seed_scorm(users, course.pk)
        self.stdout.write(f"  SCORM package: /learn/lessons/{package.lesson_id}/scorm/")
        quizzes = seed_quizzes(course.pk, users)
        self.stdout.write(f"  {len(quizzes)} quizzes")
        template = seed_certificates()
        self.stdout.write(f"  certificate template: {template.issuer_name} ({template.serial_pattern})")
        for email, *_rest in ACCOUNTS:
            self.stdout.write(f"  {email} / {DEMO_PASSWORD}")
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
