"""Check, and repair, the maintained comment statistics against a fresh aggregate.

    manage.py consultations_recount [--consultation ID ...] [--check]

Without ``--check`` every selected consultation's ``CommentTally`` rows and its comments' ``duplicate_count`` are
rebuilt from the comments (in one transaction per consultation). With ``--check`` nothing is written and the command
exits non-zero when a stored count differs from the fresh one.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, F

from consultations.models import Comment, Consultation
from consultations.services.tally import tally_fresh, tally_of, tally_rebuild


class Command(BaseCommand):
    help = "Rebuild (or with --check, verify) the maintained comment statistics of consultations."

    def add_arguments(self, parser):
        parser.add_argument("--consultation", type=int, action="append", default=[], help="only these ids")
        parser.add_argument("--check", action="store_true", help="report differences, write nothing")

    def handle(self, *args, consultation, check, **options):
        qs = Consultation.objects.order_by("pk")
        if consultation:
            qs = qs.filter(pk__in=consultation)
        wrong = 0
        for pk in qs.values_list("pk", flat=True):
            fresh = {k: n for k, n in tally_fresh(Consultation(pk=pk).comments.all()).items() if n}
            stored = {k: n for k, n in tally_of(pk).items() if n}
            diff = sorted(k for k in fresh.keys() | stored.keys() if fresh.get(k) != stored.get(k))
            stale_duplicates = (
                Comment.objects.filter(consultation_id=pk)
                .annotate(d=Count("duplicates"))
                .exclude(duplicate_count=F("d"))
                .count()
            )
            if diff or stale_duplicates:
                wrong += 1
                self.stdout.write(
                    f"consultation {pk}: {len(diff)} counts differ ({', '.join(diff[:8])}); "
                    f"{stale_duplicates} comments with a wrong duplicate count"
                )
            if not check:
                with transaction.atomic():
                    tally_rebuild(pk)
        if check and wrong:
            raise CommandError(f"{wrong} consultation(s) with stale statistics")
        self.stdout.write(
            f"{qs.count()} consultation(s) {'checked' if check else 'recounted'}; {wrong} differed"
        )
