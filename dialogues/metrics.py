"""What dialogues contribute to contest criteria (portal/metrics.py): dialogues held, petitions answered on time.
Registered from ``DialoguesConfig.ready``; the campaigns app reads them through the registry only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from portal.metrics import COUNT, MAX_RECORDS, PERCENT, Measurement, Metric, Record, percent, register_metric

HELD = ("held", "reviewed", "closed")
ANSWERED = ("answered", "closed", "forwarded")


def held(*, commune_id: int, start: dt.date, end: dt.date) -> Measurement:
    from dialogues.models import Dialogue

    rows = list(
        Dialogue.objects.filter(commune_id=commune_id, held_on__gte=start, held_on__lte=end, status__in=HELD)
        .order_by("held_on", "id")
        .values("pk", "title", "held_on")
    )
    records = tuple(
        Record(f"{r['title']} ({r['held_on']:%d/%m/%Y})", reverse("dialogues:detail", args=[r["pk"]]), None)
        for r in rows[:MAX_RECORDS]
    )
    return Measurement(Decimal(len(rows)), len(rows), len(rows), records)


def petitions_on_time(*, commune_id: int, start: dt.date, end: dt.date) -> Measurement:
    """Petitions due in the period answered by their due date; open ones count once past due."""
    from django.utils import timezone

    from dialogues.models import Petition

    today = timezone.localdate()
    rows = list(
        Petition.objects.filter(commune_id=commune_id, due_on__gte=start, due_on__lte=end)
        .order_by("due_on", "id")
        .values("pk", "due_on", "answered_on", "status", "dialogue_id")
    )
    counted, on_time, records = 0, 0, []
    for r in rows:
        answered = r["status"] in ANSWERED and r["answered_on"] is not None
        if not answered and r["due_on"] >= today:
            continue
        counted += 1
        ok = answered and r["answered_on"] <= r["due_on"]
        on_time += ok
        if len(records) < MAX_RECORDS:
            when = f"trả lời {r['answered_on']:%d/%m/%Y}" if answered else "chưa trả lời"
            url = reverse("dialogues:detail", args=[r["dialogue_id"]]) if r["dialogue_id"] else ""
            records.append(Record(f"Kiến nghị số {r['pk']} — hạn {r['due_on']:%d/%m/%Y}, {when}", url, ok))
    return Measurement(percent(on_time, counted), on_time, counted, tuple(records))


def register() -> None:
    register_metric(
        Metric(
            code="dialogues.held",
            label="Số cuộc tiếp xúc, đối thoại với Nhân dân đã tổ chức",
            unit=COUNT,
            compute=held,
            source="Tiếp xúc, đối thoại — Luật 10/2022/QH15",
        )
    )
    register_metric(
        Metric(
            code="dialogues.petitions_on_time",
            label="Tỷ lệ kiến nghị được trả lời đúng hạn",
            unit=PERCENT,
            compute=petitions_on_time,
            source="Tiếp xúc, đối thoại — kiến nghị và hạn trả lời",
        )
    )
