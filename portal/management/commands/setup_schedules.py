from django.core.management.base import BaseCommand
from django_q.models import Schedule

from portal.schedules import SCHEDULES


class Command(BaseCommand):
    help = "Create or update the portal's django-q2 schedules (idempotent)."

    def handle(self, *args, **options):
        for spec in SCHEDULES:
            spec = dict(spec)
            name = spec.pop("name")
            _, created = Schedule.objects.update_or_create(name=name, defaults=spec)
            self.stdout.write(f"{'created' if created else 'updated'} schedule {name}")
