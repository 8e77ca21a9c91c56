"""Run the notifications job once: `manage.py notifications_run [--at ISO-8601] [--dry-run]`."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from backend.notifications.job import run


class Command(BaseCommand):
    help = ("Run the reminder job now (or, in DEBUG/demo mode or with --dry-run, at another "
            "instant) and print what it sent.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--at", help="ISO-8601 instant, e.g. 2026-12-24T08:00+07:00")
        parser.add_argument("--dry-run", action="store_true",
                            help="show what would be created; write and send nothing")

    def handle(self, *args, at=None, dry_run=False, **options) -> None:
        now = None
        if at:
            if not (dry_run or settings.DEBUG or settings.DEMO_MODE):
                raise CommandError("--at chỉ dùng được ở chế độ DEBUG/demo hoặc cùng --dry-run "
                                   "(--at needs DEBUG/demo mode or --dry-run).")
            now = parse_datetime(at)
            if now is None:
                raise CommandError(f"--at: không đọc được thời điểm “{at}” (ISO-8601).")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        report = run(now=now, dry_run=dry_run)
        local = timezone.localtime(report.at).strftime("%H:%M %d/%m/%Y")
        mode = " (chạy thử, không ghi gì / dry run)" if dry_run else ""
        self.stdout.write(f"Thông báo lúc {local}{mode}:")
        if not report.created:
            self.stdout.write("  không có thông báo mới (nothing new)")
        for kind, count in sorted(report.created.items()):
            self.stdout.write(f"  {kind}: {count}")
        for row in report.examples:
            self.stdout.write(f"    → #{row.recipient_id} [{row.delivery}] {row.title}")
        self.stdout.write(f"  bản tin hằng ngày (digests): {report.digests}")
        if report.outbox:
            o = report.outbox
            self.stdout.write(f"  e-mail: đã gửi {o['sent']}, bỏ vì không còn đúng {o['cancelled']}, "
                              f"thử lại sau {o['retry']}, thất bại {o['failed']}")
