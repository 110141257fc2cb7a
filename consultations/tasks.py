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


def window_preview(user, *, today: dt.date, until: dt.date) -> list:
    """What ``sweep_windows`` will do from ``today`` to ``until`` for the consultations of the user's communes: open
    a published one on its first day, close one the day after its last day (the same rules as the sweep)."""
    from django.urls import reverse

    from portal.access import access_for
    from portal.models import Role
    from portal.registry import SweepStep

    access = access_for(user)
    qs = Consultation.objects.filter(
        status__in=[Consultation.Status.PUBLISHED, Consultation.Status.OPEN],
        opens_on__lte=until,
    )
    if not access.is_superuser:
        qs = qs.filter(commune_id__in=access.commune_ids(Role.STAFF, Role.LEADER))
    steps = []
    for c in qs.order_by("opens_on", "id")[:300]:
        url = reverse("consultations:manage", args=[c.pk])
        if c.status == Consultation.Status.PUBLISHED and c.closes_on >= max(c.opens_on, today):
            steps.append(
                SweepStep(
                    max(c.opens_on, today), "Mở lấy ý kiến", c.title, url, f"từ ngày {c.opens_on:%d/%m/%Y}"
                )
            )
        close_on = max(c.closes_on + dt.timedelta(days=1), today)
        if close_on <= until:
            steps.append(
                SweepStep(
                    close_on, "Kết thúc lấy ý kiến", c.title, url, f"đến hết ngày {c.closes_on:%d/%m/%Y}"
                )
            )
    return steps


def build_published(consultation_id: int) -> str:
    """Write the files a consultation's published results are served from (consultations/published.py)."""
    from consultations import published

    return published.build(consultation_id)
