"""The working-day calendar: the only place in the portal that does day arithmetic.

State offices work Monday–Friday (Quyết định 188/1999/QĐ-TTg). Days off are:

- the statutory public holidays of Bộ luật Lao động 2019, Điều 112 (from the ``holidays`` package, which also
  knows the decreed Tết and Quốc khánh ranges of recent years and moves a holiday that falls on a weekend);
- the exceptions the government decrees each year, stored as :class:`portal.models.CalendarDay` rows that an
  administrator edits: extra days off ("ngày nghỉ") and make-up working Saturdays ("ngày làm bù"), which the
  package treats as days off. The 2024–2026 schedules ship in a data migration (see ``portal.calendar_data``);
- 24/11, Ngày Văn hóa Việt Nam, from 2026 (Nghị quyết 80-NQ/TW), switchable with ``PORTAL_CULTURE_DAY_OFF``.

Periods counted in calendar days follow Bộ luật Dân sự 2015, Điều 147–148: the period starts the day after the
trigger, and a last day that is not a working day moves to the next working day.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from functools import lru_cache

import holidays
from django.conf import settings

CULTURE_DAY = (11, 24)
CULTURE_DAY_FIRST_YEAR = 2026

# Each process (web workers, the django-q2 worker) caches the table. A save or delete in this process clears the
# cache at once (signals in ``PortalConfig.ready``); an edit made by another process is seen within CACHE_SECONDS.
CACHE_SECONDS = 60
_clock = time.monotonic
_lock = threading.Lock()
_overrides: dict[int, tuple[float, tuple[frozenset[dt.date], frozenset[dt.date]]]] = {}


@lru_cache(maxsize=64)
def _statutory_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def _year_overrides(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(extra days off, make-up working days) of a year, from the administrator-edited table."""
    cached = _overrides.get(year)
    if cached is not None and _clock() - cached[0] < CACHE_SECONDS:
        return cached[1]
    from portal.models import CalendarDay

    off, work = set(), set()
    for day, kind in CalendarDay.objects.filter(date__year=year).values_list("date", "kind"):
        (off if kind == CalendarDay.Kind.DAY_OFF else work).add(day)
    result = (frozenset(off), frozenset(work))
    with _lock:
        _overrides[year] = (_clock(), result)
    return result


def clear_cache() -> None:
    """Forget the cached exceptions (called when an administrator edits a CalendarDay)."""
    with _lock:
        _overrides.clear()


def _is_culture_day(d: dt.date) -> bool:
    """24/11, or the Monday it is observed on when it falls on a weekend (Bộ luật Lao động 2019, Điều 111.3)."""
    if d.year < CULTURE_DAY_FIRST_YEAR:
        return False
    day = dt.date(d.year, *CULTURE_DAY)
    return d == day or (day.weekday() >= 5 and d == day + dt.timedelta(days=7 - day.weekday()))


def is_working_day(d: dt.date) -> bool:
    off, work = _year_overrides(d.year)
    if d in work:
        return True
    if d in off:
        return False
    if d.weekday() >= 5:
        return False
    if _is_culture_day(d):
        return not settings.PORTAL_CULTURE_DAY_OFF
    return d not in _statutory_holidays(d.year)


def holiday_name(d: dt.date) -> str | None:
    """Why ``d`` is a day off (None for working days and plain weekends)."""
    from portal.models import CalendarDay

    if is_working_day(d):
        return None
    row = CalendarDay.objects.filter(date=d).only("name").first()
    if row:
        return row.name
    if _is_culture_day(d):
        return "Ngày Văn hóa Việt Nam"
    vn = holidays.country_holidays("VN", years=d.year, language="vi")
    return vn.get(d)


def next_working_day(d: dt.date) -> dt.date:
    """``d`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(d):
        d += dt.timedelta(days=1)
    return d


def previous_working_day(d: dt.date) -> dt.date:
    """``d`` itself if it is a working day, else the last working day before it."""
    while not is_working_day(d):
        d -= dt.timedelta(days=1)
    return d


def add_working_days(d: dt.date, n: int) -> dt.date:
    """The n-th working day after ``d`` (before it for negative n); ``d`` itself for n = 0."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        d += dt.timedelta(days=step)
        if is_working_day(d):
            remaining -= 1
    return d


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after ``a`` up to and including ``b`` (negative when b is before a)."""
    if b < a:
        return -working_days_between(b, a)
    count, d = 0, a
    while d < b:
        d += dt.timedelta(days=1)
        if is_working_day(d):
            count += 1
    return count


def period_end(trigger: dt.date, days: int) -> dt.date:
    """Last day of a period of ``days`` calendar days triggered on ``trigger`` (Bộ luật Dân sự 2015, Điều 147–148).

    The period starts the day after the trigger; if its last day is not a working day, the period ends at the
    close of the next working day.
    """
    return next_working_day(trigger + dt.timedelta(days=days))


def calendar_days_until(trigger: dt.date, last_day: dt.date) -> int:
    """Calendar days of a period that starts the day after ``trigger`` and ends on ``last_day`` (inclusive)."""
    return (last_day - trigger).days
