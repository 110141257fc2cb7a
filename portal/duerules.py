"""Due rules: one value for "when is this due?", computed only through :mod:`portal.workdays`.

A plan's task, a statutory period and an app's own steps all say when something is due in one of a few ways. Each
is a :class:`DueRule`; :meth:`DueRule.next_due` turns it into a date, always through the working-day calendar
(Tết, the decreed days off and the make-up Saturdays included)::

    from portal.duerules import DueRule

    DueRule.on(date)                     # "ngày 15/3/2026": a last day off moves to the next working day (BLDS 148)
    DueRule.before(date)                 # "trước ngày 15/3/2026": the last working day before that date
    DueRule.period(start, end)           # "từ ngày … đến ngày …": due at the end, like on()
    DueRule.in_month(2026, 3)            # "trong tháng 03/2026": the month's last working day
    DueRule.in_quarter(2026, 1)          # "Quý I/2026": the quarter's last working day
    DueRule.in_year(2026)                # "trong năm 2026": the year's last working day
    DueRule.yearly_before(15, 12)        # "trước ngày 15/12 hằng năm": the last working day before it, each year
    DueRule.ongoing("quarterly")         # "thường xuyên, báo cáo hằng quý": last working day of the current period
    DueRule.after_trigger("Khi có …", 10)                # N calendar days after the event (BLDS Điều 147–148)
    DueRule.after_trigger("Khi có …", 5, working=True)   # N working days after the event
    DueRule.after_trigger("Khi có …")                    # the default: statutes.TASK_ON_TRIGGER (30 days)
    DueRule.after_trigger("Khi có …", no_limit=True)     # tracked, but the plan sets no time limit: no due date
    DueRule.after_trigger("Mỗi khi có …", 10, repeats=True)  # each recorded event opens its own due date
    DueRule.before_event("kỳ họp HĐND xã", 7)            # "trước 07 ngày": 7 days before the recorded event date
    DueRule.ongoing("yearly", since=2024)                # "năm 2024 và các năm tiếp theo"
    DueRule.ongoing("quarterly", note="và khi có yêu cầu")  # "định kỳ … và khi có yêu cầu", "… hoặc đột xuất"

    rule.next_due(start=date, triggered_on=None)  # the due date counted from ``start``, or None (no due date yet)
    rule.next_period_start(start)                 # recurring rules: where the next period starts (None otherwise)
    rule.describe()                               # a short Vietnamese phrase ("trước ngày 15/03/2026")
    rule.to_spec() / DueRule.from_spec(value)     # the FORMAT.md "due" value (JSON-able; dates as date objects)

``start`` is the day counting starts from (an issue date, or the day after the last completed period of a recurring
task); ``triggered_on`` is when the awaited event happened (None: not yet, so no due date). Statutory rules
(:class:`portal.statutes.Rule`) compute their due dates through :meth:`DueRule.next_due` too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from portal import workdays


class Kind(StrEnum):
    NONE = "none"
    DATE = "date"
    BEFORE = "before"
    PERIOD = "period"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    YEARLY = "yearly"
    ONGOING = "ongoing"
    TRIGGER = "trigger"
    BEFORE_EVENT = "event"


RHYTHM_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
# Vietnamese words a clerk writes for a reporting rhythm -> the rhythm's code.
RHYTHM_WORDS = {
    "hằng tháng": "monthly",
    "hàng tháng": "monthly",
    "hằng quý": "quarterly",
    "hàng quý": "quarterly",
    "6 tháng": "half_yearly",
    "06 tháng": "half_yearly",
    "sáu tháng": "half_yearly",
    "nửa năm": "half_yearly",
    "hằng năm": "yearly",
    "hàng năm": "yearly",
}
RHYTHM_LABELS = {
    "monthly": "hằng tháng",
    "quarterly": "hằng quý",
    "half_yearly": "6 tháng",
    "yearly": "hằng năm",
}
ROMAN = ("I", "II", "III", "IV")


def _d(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class DueRule:
    kind: Kind = Kind.NONE
    date: dt.date | None = None  # DATE, BEFORE, PERIOD (its end)
    start: dt.date | None = None  # PERIOD (its beginning; optional)
    year: int | None = None  # MONTH, QUARTER, YEAR
    month: int | None = None  # MONTH, YEARLY
    day: int | None = None  # YEARLY
    quarter: int | None = None  # QUARTER (1–4)
    rhythm: str = ""  # ONGOING: monthly / quarterly / half_yearly / yearly
    label: str = ""  # TRIGGER: the awaited event, as the plan words it
    days: int | None = None  # TRIGGER: N days after the event (None: the statutory default)
    working: bool = False  # TRIGGER: N working days instead of calendar days
    repeats: bool = False  # TRIGGER, BEFORE_EVENT: every recorded event opens a new due date
    no_limit: bool = False  # TRIGGER: tracked without a time limit (no due date)
    note: str = ""  # ONGOING: what the plan adds ("và khi có yêu cầu", "hoặc đột xuất")

    def __post_init__(self) -> None:
        if self.kind in (Kind.DATE, Kind.BEFORE, Kind.PERIOD) and self.date is None:
            raise ValueError("a dated rule needs its date")
        if self.kind == Kind.PERIOD and self.start and self.start > self.date:
            raise ValueError("the period starts after it ends")
        if self.kind == Kind.MONTH and not (self.year and self.month and 1 <= self.month <= 12):
            raise ValueError("a month rule needs a year and a month 1–12")
        if self.kind == Kind.QUARTER and not (self.year and self.quarter and 1 <= self.quarter <= 4):
            raise ValueError("a quarter rule needs a year and a quarter 1–4")
        if self.kind == Kind.YEAR and not self.year:
            raise ValueError("a year rule needs its year")
        if self.kind == Kind.YEARLY:
            dt.date(
                2024, self.month or 0, self.day or 0
            )  # ValueError for an impossible day (29/02 is allowed)
        if self.kind == Kind.ONGOING and self.rhythm not in RHYTHM_MONTHS:
            raise ValueError(f"rhythm must be one of {', '.join(RHYTHM_MONTHS)}")
        if self.kind == Kind.TRIGGER and self.days is not None and self.days < 0:
            raise ValueError("days after the trigger must not be negative")
        if self.kind == Kind.BEFORE_EVENT and not (self.days and self.days > 0):
            raise ValueError("a period before an event needs its number of days")

    # --- constructors ------------------------------------------------------------------------------------------
    @classmethod
    def none(cls) -> DueRule:
        return cls()

    @classmethod
    def on(cls, date: dt.date) -> DueRule:
        return cls(Kind.DATE, date=date)

    @classmethod
    def before(cls, date: dt.date) -> DueRule:
        return cls(Kind.BEFORE, date=date)

    @classmethod
    def period(cls, start: dt.date | None, end: dt.date) -> DueRule:
        return cls(Kind.PERIOD, date=end, start=start)

    @classmethod
    def in_month(cls, year: int, month: int) -> DueRule:
        return cls(Kind.MONTH, year=year, month=month)

    @classmethod
    def in_quarter(cls, year: int, quarter: int) -> DueRule:
        return cls(Kind.QUARTER, year=year, quarter=quarter)

    @classmethod
    def in_year(cls, year: int) -> DueRule:
        return cls(Kind.YEAR, year=year)

    @classmethod
    def yearly_before(cls, day: int, month: int) -> DueRule:
        return cls(Kind.YEARLY, day=day, month=month)

    @classmethod
    def ongoing(cls, rhythm: str = "quarterly", *, since: int | None = None, note: str = "") -> DueRule:
        return cls(Kind.ONGOING, rhythm=rhythm or "quarterly", year=since, note=note)

    @classmethod
    def after_trigger(
        cls,
        label: str = "",
        days: int | None = None,
        *,
        working: bool = False,
        repeats: bool = False,
        no_limit: bool = False,
    ) -> DueRule:
        return cls(
            Kind.TRIGGER,
            label=label,
            days=None if no_limit else days,
            working=working,
            repeats=repeats,
            no_limit=no_limit,
        )

    @classmethod
    def before_event(cls, label: str, days: int, *, repeats: bool = False) -> DueRule:
        return cls(Kind.BEFORE_EVENT, label=label, days=days, repeats=repeats)

    # --- computation -------------------------------------------------------------------------------------------
    @property
    def trigger_days(self) -> int:
        """N of an "on trigger + N days" rule, the statutory default when the plan gives none."""
        from portal import statutes

        return self.days if self.days is not None else statutes.TASK_ON_TRIGGER.days

    @property
    def recurring(self) -> bool:
        return self.kind in (Kind.YEARLY, Kind.ONGOING)

    @property
    def awaits_event(self) -> bool:
        """A rule whose due date waits until someone records the event (its date)."""
        return self.kind in (Kind.TRIGGER, Kind.BEFORE_EVENT)

    def _yearly_occurrence(self, start: dt.date, *, by_due: bool = True) -> tuple[dt.date, dt.date] | None:
        """(the "trước ngày" date X, its due date) of the first yearly occurrence after ``start``: whose due date
        is on or after it (``by_due``), or whose calendar day before X is (the period a report completes)."""
        for year in (start.year, start.year + 1, start.year + 2):
            day = dt.date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))
            due = workdays.previous_working_day(day - dt.timedelta(days=1))
            if (due if by_due else day - dt.timedelta(days=1)) >= start:
                return day, due
        return None

    def _ongoing_period_end(self, start: dt.date) -> dt.date:
        months = RHYTHM_MONTHS[self.rhythm]
        return _last_day(start.year, ((start.month - 1) // months + 1) * months)

    def next_period_start(self, start: dt.date) -> dt.date | None:
        """For a recurring rule: the first day of the period after the one due on or after ``start`` (a completed
        period reopens the task from there). None for rules that do not recur."""
        if self.kind == Kind.YEARLY:
            occurrence = self._yearly_occurrence(start, by_due=False)
            return occurrence[0] if occurrence else None
        if self.kind == Kind.ONGOING:
            return self._ongoing_period_end(start) + dt.timedelta(days=1)
        return None

    def next_due(self, start: dt.date, triggered_on: dt.date | None = None) -> dt.date | None:
        """The due date counted from ``start`` (see the module docstring), always a working day; None if none."""
        k = self.kind
        if k in (Kind.DATE, Kind.PERIOD):
            # A time limit whose last day is a day off ends on the next working day (BLDS 2015, Điều 148 khoản 5).
            return workdays.next_working_day(self.date)
        if k == Kind.BEFORE:
            return workdays.previous_working_day(self.date - dt.timedelta(days=1))
        if k == Kind.MONTH:
            return workdays.previous_working_day(_last_day(self.year, self.month))
        if k == Kind.QUARTER:
            return workdays.previous_working_day(_last_day(self.year, self.quarter * 3))
        if k == Kind.YEAR:
            return workdays.previous_working_day(dt.date(self.year, 12, 31))
        if k == Kind.YEARLY:
            occurrence = self._yearly_occurrence(start)
            return occurrence[1] if occurrence else None
        if k == Kind.ONGOING:
            if self.year and start.year < self.year:  # "năm 2024 và các năm tiếp theo": from its first year
                start = dt.date(self.year, 1, 1)
            return workdays.previous_working_day(self._ongoing_period_end(start))
        if k == Kind.BEFORE_EVENT:
            if triggered_on is None:
                return None
            # "Trước 07 ngày": the latest day is 7 days before the event, or the working day before that.
            return workdays.previous_working_day(triggered_on - dt.timedelta(days=self.days))
        if k == Kind.TRIGGER:
            if triggered_on is None or self.no_limit:
                return None
            if self.working:
                return workdays.add_working_days(triggered_on, self.trigger_days)
            return workdays.period_end(triggered_on, self.trigger_days)
        return None

    # --- words and storage -------------------------------------------------------------------------------------
    def describe(self) -> str:
        k = self.kind
        if k == Kind.DATE:
            return f"ngày {_d(self.date)}"
        if k == Kind.BEFORE:
            return f"trước ngày {_d(self.date)}"
        if k == Kind.PERIOD:
            if self.start:
                return f"từ ngày {_d(self.start)} đến ngày {_d(self.date)}"
            return f"đến ngày {_d(self.date)}"
        if k == Kind.MONTH:
            return f"trong tháng {self.month:02d}/{self.year}"
        if k == Kind.QUARTER:
            return f"Quý {ROMAN[self.quarter - 1]}/{self.year}"
        if k == Kind.YEAR:
            return f"trong năm {self.year}"
        if k == Kind.YEARLY:
            return f"trước ngày {self.day:02d}/{self.month:02d} hằng năm"
        if k == Kind.ONGOING:
            if self.year and self.rhythm == "yearly":
                text = f"năm {self.year} và các năm tiếp theo"
            elif self.year:
                text = f"thường xuyên từ năm {self.year}, báo cáo {RHYTHM_LABELS[self.rhythm]}"
            else:
                text = f"thường xuyên, báo cáo {RHYTHM_LABELS[self.rhythm]}"
            return f"{text} {self.note}" if self.note else text
        if k == Kind.BEFORE_EVENT:
            return f"{self.days:02d} ngày trước {self.label}"
        if k == Kind.TRIGGER:
            label = self.label[:1].lower() + self.label[1:] if self.label else "khi có sự kiện"
            if self.no_limit:
                return label
            unit = "ngày làm việc" if self.working else "ngày"
            return f"{label} (trong {self.trigger_days} {unit})"
        return ""

    def to_spec(self):
        """The FORMAT.md ``due`` value (None for no due date)."""
        k = self.kind
        if k == Kind.DATE:
            return self.date
        if k == Kind.BEFORE:
            return {"before": self.date}
        if k == Kind.PERIOD:
            return {"from": self.start, "to": self.date} if self.start else {"to": self.date}
        if k == Kind.MONTH:
            return {"month": f"{self.year}-{self.month:02d}"}
        if k == Kind.QUARTER:
            return {"quarter": f"{ROMAN[self.quarter - 1]}/{self.year}"}
        if k == Kind.YEAR:
            return {"year": self.year}
        if k == Kind.YEARLY:
            return {"every_year_before": f"{self.day}/{self.month}"}
        if k == Kind.ONGOING:
            out = {"ongoing": self.rhythm}
            if self.year:
                out["since"] = self.year
            if self.note:
                out["note"] = self.note
            return out
        if k == Kind.BEFORE_EVENT:
            out = {"before_event": self.label, "days": self.days}
            return out | ({"each_time": True} if self.repeats else {})
        if k == Kind.TRIGGER:
            key = "within_working_days" if self.working else "within_days"
            out = {"on_trigger": self.label, key: "none" if self.no_limit else self.trigger_days}
            return out | ({"each_time": True} if self.repeats else {})
        return None

    @classmethod
    def from_spec(cls, value) -> DueRule:
        """Parse a FORMAT.md ``due`` value (dates as ``date`` or ISO strings); ValueError when it is not one."""

        def date(v) -> dt.date:
            return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))

        if value is None:
            return cls.none()
        if not isinstance(value, dict):
            return cls.on(date(value))
        if "before" in value:
            return cls.before(date(value["before"]))
        if "on" in value:
            return cls.on(date(value["on"]))
        if "to" in value:
            return cls.period(date(value["from"]) if value.get("from") else None, date(value["to"]))
        if "month" in value:
            m = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value["month"]).strip())
            if not m:
                raise ValueError("tháng phải có dạng YYYY-MM")
            return cls.in_month(int(m.group(1)), int(m.group(2)))
        if "quarter" in value:
            m = re.fullmatch(r"(I{1,3}|IV|[1-4])\s*/\s*(\d{4})", str(value["quarter"]).strip())
            if not m:
                raise ValueError('quý phải có dạng "I/2024"')
            q = m.group(1)
            return cls.in_quarter(int(m.group(2)), ROMAN.index(q) + 1 if q in ROMAN else int(q))
        if "year" in value:
            return cls.in_year(int(value["year"]))
        if "every_year_before" in value:
            m = re.fullmatch(r"(\d{1,2})/(\d{1,2})", str(value["every_year_before"]).strip())
            if not m:
                raise ValueError("phải có dạng DD/MM")
            return cls.yearly_before(int(m.group(1)), int(m.group(2)))
        if "ongoing" in value:
            rhythm = str(value["ongoing"]).strip()
            return cls.ongoing(
                RHYTHM_WORDS.get(rhythm.lower(), rhythm),
                since=int(value["since"]) if value.get("since") else None,
                note=str(value.get("note") or ""),
            )
        if "before_event" in value:
            return cls.before_event(
                str(value["before_event"]), int(value["days"]), repeats=bool(value.get("each_time"))
            )
        if "on_trigger" in value:
            working = "within_working_days" in value
            days = value.get("within_working_days" if working else "within_days")
            no_limit = str(days).strip().lower() == "none"
            return cls.after_trigger(
                str(value["on_trigger"]),
                None if days is None or no_limit else int(days),
                working=working,
                repeats=bool(value.get("each_time")),
                no_limit=no_limit,
            )
        raise ValueError("thời hạn không hợp lệ")
