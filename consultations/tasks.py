"""django-q2 tasks: thin, take ids and ``now``, call services."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from consultations.models import Consultation, ImportBatch
from consultations.services import (
    consultation_close,
    consultation_open,
    import_batch_run,
    import_batches_expire,
)

logger = logging.getLogger(__name__)


def _as_datetime(now: dt.datetime | str | None) -> dt.datetime:
    if now is None:
        return timezone.now()
    if isinstance(now, str):  # django-q2 passes arguments through JSON/pickle; accept ISO text too
        now = dt.datetime.fromisoformat(now)
    return now if timezone.is_aware(now) else timezone.make_aware(now)


def sweep_windows(now: dt.datetime | str | None = None) -> dict[str, int]:
    """Open published consultations whose window has started; close open ones whose window has passed.

    Idempotent: only rows in the old state and due are touched, each under ``select_for_update(skip_locked=True)``.
    """
    now = _as_datetime(now)
    today = timezone.localdate(now)
    result = {"opened": 0, "closed": 0}
    due = [
        (
            "closed",
            consultation_close,
            Consultation.objects.filter(
                status__in=[Consultation.Status.OPEN, Consultation.Status.PUBLISHED], closes_on__lt=today
            ),
        ),
        (
            "opened",
            consultation_open,
            Consultation.objects.filter(
                status=Consultation.Status.PUBLISHED, opens_on__lte=today, closes_on__gte=today
            ),
        ),
    ]
    for key, service, qs in due:
        for pk in list(qs.values_list("pk", flat=True)[:1000]):
            with transaction.atomic():
                row = qs.select_for_update(skip_locked=True).filter(pk=pk).first()
                if row is None:
                    continue
                try:
                    service(consultation=row, by=None, now=now)
                except ValidationError:
                    logger.exception("window sweep could not move consultation %s", pk)
                    continue
                result[key] += 1
    return result


def import_comments(batch_id: int) -> str:
    """Run a queued import; import_batch_run ends the batch as done or failed (with the reason) whatever happens."""
    batch = ImportBatch.objects.get(pk=batch_id)
    return import_batch_run(batch=batch).status


def expire_imports(now: dt.datetime | str | None = None) -> int:
    """Fail the import batches a worker lost (killed, timed out): their page then says so and offers a retry."""
    return import_batches_expire(now=_as_datetime(now))
