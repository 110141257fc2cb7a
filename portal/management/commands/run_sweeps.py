"""Run the portal's scheduled sweeps now, once (what django-q2 runs every few minutes: portal/schedules.py).

    python manage.py run_sweeps                              # as of now
    python manage.py run_sweeps --now 2026-12-21T00:30       # as if it were that time (a demonstration, a test)

Each sweep is idempotent: running it again, or before the scheduled run, does nothing twice.
"""

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from portal.schedules import SCHEDULES


class Command(BaseCommand):
    help = "Chạy ngay các việc định kỳ (mở/kết thúc lấy ý kiến, nhắc hạn, báo quá hạn…); --now để chạy như ở một thời điểm."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", default=None, help="thời điểm ISO, ví dụ 2026-12-21T00:30 (giờ Việt Nam)"
        )

    def handle(self, *args, now=None, **options):
        for spec in SCHEDULES:
            result = import_string(spec["func"])(now=now)
            self.stdout.write(f"{spec['name']}: {result}")
