"""What consultations contribute to contest criteria (portal/metrics.py): consultations held and results publicized
on time (Luật 10/2022/QH15, Điều 28 khoản 3). Registered from ``ConsultationsConfig.ready``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from portal import statutes
from portal.metrics import COUNT, MAX_RECORDS, PERCENT, Measurement, Metric, Record, percent, register_metric

RESULTS_RULE = "consultation.results_publicize"


def _rows(commune_id: int, start: dt.date, end: dt.date):
    from consultations.models import Consultation

    return list(
        Consultation.objects.filter(commune_id=commune_id, closes_on__gte=start, closes_on__lte=end)
        .exclude(status=Consultation.Status.DRAFT)
        .order_by("closes_on", "id")
        .values("pk", "title", "audience", "closes_on", "results_issued_on")
    )


def _public_url(row) -> str:
    """The consultation's public page, for a people's consultation; a staff consultation's pages are internal, so
    its record is evidence without a link (a contest judge could not open it)."""
    from consultations.models import Audience

    if row["audience"] != Audience.PEOPLE:
        return ""
    return reverse("consultations:public_detail", args=[row["pk"]])


def results_on_time(*, commune_id: int, start: dt.date, end: dt.date) -> Measurement:
    """Consultations closed in the period whose results were publicized within the statutory period."""
    rule = statutes.get(RESULTS_RULE)
    today = dt.date.today()  # noqa: DTZ011 - a calendar date compared with due dates
    counted, on_time, records = 0, 0, []
    for row in _rows(commune_id, start, end):
        due = rule.due(row["closes_on"])
        issued = row["results_issued_on"]
        if issued is None and due >= today:
            continue  # still within the period: not counted yet
        counted += 1
        ok = issued is not None and issued <= due
        on_time += ok
        when = f"công khai {issued:%d/%m/%Y}" if issued else "chưa công khai kết quả"
        if len(records) < MAX_RECORDS:
            records.append(
                Record(
                    f"{row['title']} — hạn {due:%d/%m/%Y}, {when}",
                    _public_url(row),
                    ok,
                )
            )
    return Measurement(percent(on_time, counted), on_time, counted, tuple(records))


def held(*, commune_id: int, start: dt.date, end: dt.date) -> Measurement:
    rows = _rows(commune_id, start, end)
    records = tuple(Record(r["title"], _public_url(r), None) for r in rows[:MAX_RECORDS])
    return Measurement(Decimal(len(rows)), len(rows), len(rows), records)


def register() -> None:
    register_metric(
        Metric(
            code="consultations.results_on_time",
            label="Tỷ lệ cuộc lấy ý kiến công khai kết quả đúng hạn",
            unit=PERCENT,
            compute=results_on_time,
            source="Lấy ý kiến Nhân dân — Luật 10/2022/QH15, Điều 28 khoản 3",
        )
    )
    register_metric(
        Metric(
            code="consultations.held",
            label="Số cuộc lấy ý kiến Nhân dân đã tổ chức",
            unit=COUNT,
            compute=held,
            source="Lấy ý kiến Nhân dân — Luật 10/2022/QH15, Điều 25–28",
        )
    )
