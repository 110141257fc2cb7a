"""Live metrics of a commune's own records, for contest criteria (evidence drawn from the portal, not scans).

Feature apps register what they can measure from their ``AppConfig.ready`` (consultations: consultations held, results
publicized on time; dialogues: meetings held, petitions answered on time …); the campaigns app reads them only through
this registry and never imports another feature app. A metric computes, for one commune and a period, a value (a
percentage or a count), the counts behind it and the records themselves with their links, so a judge can open them.

    register_metric(Metric(code="consultations.results_on_time", label=..., unit=PERCENT, compute=fn))
    measure("consultations.results_on_time", commune_id=..., start=..., end=...) -> Measurement
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

PERCENT = "percent"
COUNT = "count"
MAX_RECORDS = 50  # records listed as evidence; the counts cover all of them


@dataclass(frozen=True)
class Record:
    label: str
    url: str = ""
    ok: bool | None = None  # on time / met (True), late / missed (False), not applicable (None)


@dataclass(frozen=True)
class Measurement:
    value: Decimal | None  # a percentage 0–100 or a count; None when there is nothing to measure
    numerator: int = 0
    denominator: int = 0
    records: tuple[Record, ...] = field(default_factory=tuple)

    def as_json(self) -> dict:
        data = asdict(self)
        data["value"] = None if self.value is None else str(self.value)
        data["records"] = [asdict(r) for r in self.records[:MAX_RECORDS]]
        return data


@dataclass(frozen=True)
class Metric:
    code: str
    label: str  # what it measures, in Vietnamese
    unit: str  # PERCENT or COUNT
    compute: Callable[..., Measurement]  # compute(*, commune_id, start, end) -> Measurement
    source: str = ""  # the app (and legal basis) behind it

    def describe(self, m: Measurement) -> str:
        if m.value is None:
            return f"{self.label}: chưa có số liệu trong kỳ."
        if self.unit == PERCENT:
            return f"{self.label}: {m.numerator}/{m.denominator} ({m.value:.0f}%)."
        return f"{self.label}: {m.numerator}."


_METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric) -> Metric:
    """Register once per process (AppConfig.ready); registering the same code again replaces it (autoreload)."""
    if metric.unit not in (PERCENT, COUNT):
        raise ValueError(f"unknown unit {metric.unit!r}")
    _METRICS[metric.code] = metric
    return metric


def get_metric(code: str) -> Metric | None:
    return _METRICS.get(code)


def all_metrics() -> list[Metric]:
    return sorted(_METRICS.values(), key=lambda m: m.code)


def measure(code: str, *, commune_id: int, start: dt.date, end: dt.date) -> Measurement:
    metric = _METRICS[code]
    return metric.compute(commune_id=commune_id, start=start, end=end)


def percent(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))


# -- the core's own metric: deadlines met -------------------------------------------------------------------------------


def _deadlines_met(*, commune_id: int, start: dt.date, end: dt.date) -> Measurement:
    """Deadlines due in the period that were met on time; open ones count once past due; waived ones not at all."""
    from django.utils import timezone

    from portal.models import Deadline

    rows = list(
        Deadline.objects.filter(commune_id=commune_id, due_date__gte=start, due_date__lte=end)
        .exclude(status=Deadline.Status.WAIVED)
        .order_by("due_date", "id")
        .values("title", "due_date", "status", "met_at")
    )
    today = timezone.localdate()
    counted = [r for r in rows if r["status"] != Deadline.Status.OPEN or r["due_date"] < today]

    def on_time(r) -> bool:
        return r["status"] == Deadline.Status.MET and timezone.localdate(r["met_at"]) <= r["due_date"]

    met = [r for r in counted if on_time(r)]
    # No link: a deadline's page is the commune office's work page, which a contest judge may not open; the title,
    # the due date and on time / late are the evidence.
    records = tuple(
        Record(f"{r['title']} (hạn {r['due_date']:%d/%m/%Y})", "", on_time(r)) for r in counted[:MAX_RECORDS]
    )
    return Measurement(percent(len(met), len(counted)), len(met), len(counted), records)


register_metric(
    Metric(
        code="portal.deadlines_met",
        label="Tỷ lệ việc hoàn thành đúng hạn (theo dõi thời hạn trên Cổng)",
        unit=PERCENT,
        compute=_deadlines_met,
        source="Cổng dân chủ cơ sở: thời hạn theo Luật 10/2022/QH15 và kế hoạch của xã",
    )
)
