"""Create the demo data (idempotent): the portal core, then each feature app's ``demo.seed(core)`` if it has one."""

import importlib

from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, USERS, seed_core

APPS_WITH_DEMO = ["portal.documents", "consultations", "dialogues", "campaigns"]


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (chạy lại nhiều lần không tạo trùng)."

    def handle(self, *args, **options):
        core = seed_core()
        for app in APPS_WITH_DEMO:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.seed(core)
        self.stdout.write(
            self.style.SUCCESS(f"Dữ liệu mẫu đã sẵn sàng. Tài khoản demo (mật khẩu chung: {DEMO_PASSWORD}):")
        )
        self.stdout.write(f"  {'admin':<14} Quản trị hệ thống (superuser)")
        for username, full_name, _role, _unit, _org, position in USERS:
            self.stdout.write(f"  {username:<14} {position} — {full_name}")
