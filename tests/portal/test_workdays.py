"""The working-day calendar against the civil-service schedules of 2024–2026 (law.md §5) and the Civil Code rule."""

import datetime as dt

import pytest

from portal import workdays
from portal.models import CalendarDay

D = dt.date

pytestmark = pytest.mark.django_db


def _range(a: dt.date, b: dt.date) -> list[dt.date]:
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


# Every weekday a civil servant does not work in 2024–2026 (Mon–Fri only; weekends are off anyway).
WEEKDAYS_OFF = {
    2024: [
        D(2024, 1, 1),
        *_range(D(2024, 2, 8), D(2024, 2, 9)),
        *_range(D(2024, 2, 12), D(2024, 2, 14)),  # Tết Thu 08/02–Wed 14/02
        D(2024, 4, 18),  # Giỗ Tổ
        D(2024, 4, 29),  # swapped with Sat 04/05/2024
        D(2024, 4, 30),
        D(2024, 5, 1),
        D(2024, 9, 2),
        D(2024, 9, 3),
    ],
    2025: [
        D(2025, 1, 1),
        *_range(D(2025, 1, 27), D(2025, 1, 31)),  # Tết Mon–Fri
        D(2025, 4, 7),
        D(2025, 4, 30),
        D(2025, 5, 1),
        D(2025, 5, 2),  # swapped with Sat 26/04/2025
        D(2025, 9, 1),
        D(2025, 9, 2),
    ],
    2026: [
        D(2026, 1, 1),
        D(2026, 1, 2),  # swapped with Sat 10/01/2026
        *_range(D(2026, 2, 16), D(2026, 2, 20)),  # Tết Mon–Fri
        D(2026, 4, 27),  # Giỗ Tổ fell on Sun 26/04, observed Mon 27/04
        D(2026, 4, 30),
        D(2026, 5, 1),
        D(2026, 8, 31),  # swapped with Sat 22/08/2026
        D(2026, 9, 1),
        D(2026, 9, 2),
        D(2026, 11, 24),  # Ngày Văn hóa Việt Nam (PORTAL_CULTURE_DAY_OFF, default on)
    ],
}
MAKE_UP_SATURDAYS = [D(2024, 5, 4), D(2025, 4, 26), D(2026, 1, 10), D(2026, 8, 22)]


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_weekdays_off_of_each_year_are_exactly_the_decreed_ones(year):
    off = [
        d
        for d in _range(D(year, 1, 1), D(year, 12, 31))
        if d.weekday() < 5 and not workdays.is_working_day(d)
    ]
    assert off == sorted(WEEKDAYS_OFF[year])


@pytest.mark.parametrize("day", MAKE_UP_SATURDAYS)
def test_make_up_saturdays_are_working_days(day):
    assert day.weekday() == 5
    assert workdays.is_working_day(day)
    # ...and the Saturday next to it is not.
    assert not workdays.is_working_day(day + dt.timedelta(days=7))


def test_ordinary_weekends_are_off_and_days_around_tet_are_worked():
    assert not workdays.is_working_day(D(2026, 2, 14))  # Sat of Tết 2026
    assert not workdays.is_working_day(D(2026, 2, 22))  # Sun after Tết 2026
    assert workdays.is_working_day(D(2026, 2, 13))  # Fri before Tết
    assert workdays.is_working_day(D(2026, 2, 23))  # Mon after Tết
    assert workdays.is_working_day(D(2024, 2, 7))  # Wed before Tết 2024
    assert workdays.is_working_day(D(2024, 2, 15))  # Thu after Tết 2024
    assert workdays.is_working_day(D(2025, 2, 3))  # Mon after Tết 2025
    assert not workdays.is_working_day(D(2026, 4, 26))  # Sun Giỗ Tổ itself


def test_culture_day_is_a_working_day_when_switched_off(settings):
    assert not workdays.is_working_day(D(2026, 11, 24))
    settings.PORTAL_CULTURE_DAY_OFF = False
    assert workdays.is_working_day(D(2026, 11, 24))
    # Only the weekday off goes: 5 working days after Fri 20/11/2026 are Mon 23 – Fri 27/11.
    assert workdays.add_working_days(D(2026, 11, 20), 5) == D(2026, 11, 27)
    settings.PORTAL_CULTURE_DAY_OFF = True
    assert workdays.add_working_days(D(2026, 11, 20), 5) == D(2026, 11, 30)


def test_holiday_names_explain_days_off():
    assert workdays.holiday_name(D(2026, 1, 2)).startswith("Nghỉ Tết Dương lịch")
    assert workdays.holiday_name(D(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    assert workdays.holiday_name(D(2026, 2, 17))  # the package's Vietnamese name for Tết
    assert workdays.holiday_name(D(2026, 2, 23)) is None  # a working day


# --- add_working_days / working_days_between ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        # Tết 2026 is Mon 16 – Fri 20/02, with the weekends on each side: after Fri 13/02 the next working days
        # are Mon 23, Tue 24, Wed 25, Thu 26, Fri 27/02.
        (D(2026, 2, 13), 5, D(2026, 2, 27), "across Tết 2026"),
        # Tết 2024 is Thu 08 – Wed 14/02: after Wed 07/02 come Thu 15, Fri 16, Mon 19, Tue 20, Wed 21/02.
        (D(2024, 2, 7), 5, D(2024, 2, 21), "across Tết 2024"),
        # Tết 2025 is Mon 27 – Fri 31/01: after Fri 24/01 come Mon 03 … Fri 07/02.
        (D(2025, 1, 24), 5, D(2025, 2, 7), "across Tết 2025"),
        # Fri 26/04/2024 → Mon 29/04, Tue 30/04 and Wed 01/05 are off; Thu 02, Fri 03, Sat 04/05 (make-up).
        (D(2024, 4, 26), 3, D(2024, 5, 4), "reaches the make-up Saturday"),
        # Thu 01/01/2026 and Fri 02/01 off; Mon 05 … Fri 09 are five days, Sat 10/01 is the sixth.
        (D(2025, 12, 31), 6, D(2026, 1, 10), "New Year 2026 with its make-up Saturday"),
        (D(2026, 2, 27), -5, D(2026, 2, 13), "backwards across Tết"),
        (D(2026, 2, 17), 0, D(2026, 2, 17), "zero days is the day itself"),
        # Fri 28/08/2026 → Mon 31/08, Tue 01/09, Wed 02/09 off: Thu 03 is the first working day.
        (D(2026, 8, 28), 1, D(2026, 9, 3), "Quốc khánh 2026"),
    ],
)
def test_add_working_days(start, n, expected, why):
    assert workdays.add_working_days(start, n) == expected, why


def test_working_days_between():
    assert workdays.working_days_between(D(2026, 2, 13), D(2026, 2, 27)) == 5
    assert workdays.working_days_between(D(2026, 2, 27), D(2026, 2, 13)) == -5
    assert workdays.working_days_between(D(2026, 2, 13), D(2026, 2, 13)) == 0
    # After Fri 26/04/2024 up to Mon 06/05: Thu 02, Fri 03, Sat 04 (make-up), Mon 06.
    assert workdays.working_days_between(D(2024, 4, 26), D(2024, 5, 6)) == 4
    # A whole year 2026: 261 weekdays − 14 weekdays off + 2 make-up Saturdays (10/01, 22/08).
    assert workdays.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 261 - 14 + 2


def test_next_working_day():
    assert workdays.next_working_day(D(2026, 2, 14)) == D(2026, 2, 23)
    assert workdays.next_working_day(D(2026, 2, 23)) == D(2026, 2, 23)
    assert workdays.previous_working_day(D(2026, 2, 22)) == D(2026, 2, 13)
    assert workdays.previous_working_day(D(2026, 1, 4)) == D(
        2025, 12, 31
    )  # 01–02/01/2026 off, then a weekend
    assert workdays.previous_working_day(D(2026, 1, 10)) == D(2026, 1, 10)  # make-up Saturday


# --- Civil Code rule (BLDS 2015, Điều 147–148) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "days", "expected", "why"),
    [
        (D(2024, 2, 29), 20, D(2024, 3, 20), "seed 000: publicized 29/02/2024, window to Wed 20/03/2024"),
        (D(2026, 3, 16), 20, D(2026, 4, 6), "last day Sun 05/04/2026 moves to Mon 06/04"),
        (D(2026, 1, 27), 20, D(2026, 2, 23), "last day Mon 16/02/2026 is Tết: ends Mon 23/02"),
        (D(2026, 1, 15), 30, D(2026, 2, 23), "last day Sat 14/02/2026 (Tết weekend): ends Mon 23/02"),
        (D(2026, 4, 7), 20, D(2026, 4, 28), "last day Mon 27/04/2026 (Giỗ Tổ observed): ends Tue 28/04"),
        (D(2025, 12, 21), 20, D(2026, 1, 10), "last day Sat 10/01/2026 is a make-up working day: it stays"),
    ],
)
def test_period_end(trigger, days, expected, why):
    assert workdays.period_end(trigger, days) == expected, why


# --- The administrator's table ----------------------------------------------------------------------------------


def test_a_new_make_up_saturday_changes_the_answer_at_once_and_its_deletion_too():
    saturday = D(2027, 1, 9)
    assert not workdays.is_working_day(saturday)  # loads (and caches) 2027
    assert workdays.add_working_days(D(2027, 1, 8), 1) == D(2027, 1, 11)

    row = CalendarDay.objects.create(
        date=saturday, kind=CalendarDay.Kind.WORKING_DAY, name="Làm bù cho 04/01/2027"
    )
    assert workdays.is_working_day(saturday)
    assert workdays.add_working_days(D(2027, 1, 8), 1) == saturday

    row.kind = CalendarDay.Kind.DAY_OFF
    row.save()
    assert not workdays.is_working_day(saturday)

    row.delete()
    assert not workdays.is_working_day(saturday)
    row = CalendarDay.objects.create(
        date=D(2027, 1, 4), kind=CalendarDay.Kind.DAY_OFF, name="Nghỉ bù Tết Dương lịch"
    )
    assert not workdays.is_working_day(D(2027, 1, 4))
    row.delete()
    assert workdays.is_working_day(D(2027, 1, 4))


def test_a_working_day_override_on_a_weekday_holiday_makes_it_a_working_day():
    assert not workdays.is_working_day(D(2027, 9, 3))  # Fri, Quốc khánh's adjacent day in the package
    CalendarDay.objects.create(
        date=D(2027, 9, 3), kind=CalendarDay.Kind.WORKING_DAY, name="Đi làm (lịch nghỉ đổi)"
    )
    assert workdays.is_working_day(D(2027, 9, 3))
    assert workdays.holiday_name(D(2027, 9, 3)) is None


def test_an_override_beats_the_culture_day_setting(settings):
    CalendarDay.objects.create(date=D(2026, 11, 24), kind=CalendarDay.Kind.WORKING_DAY, name="Đi làm")
    assert workdays.is_working_day(D(2026, 11, 24))


def test_an_edit_made_by_another_process_is_seen_after_the_cache_expires(monkeypatch):
    """Web workers and the django-q2 worker each cache the table: a row saved elsewhere (no signal here) must
    still reach this process, or the sweep would count days with last year's table until it restarts."""
    clock = [1000.0]
    monkeypatch.setattr(workdays, "_clock", lambda: clock[0])
    saturday = D(2027, 1, 9)
    assert not workdays.is_working_day(saturday)
    # bulk_create sends no post_save: this process is not told, as when another process saves the row.
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=saturday, kind=CalendarDay.Kind.WORKING_DAY, name="Làm bù")]
    )
    assert not workdays.is_working_day(saturday)  # still cached
    clock[0] += workdays.CACHE_SECONDS + 1
    assert workdays.is_working_day(saturday)


@pytest.mark.parametrize(
    ("observed", "why"),
    [
        (D(2029, 11, 26), "Sat 24/11/2029 is observed Mon 26/11"),
        (D(2030, 11, 25), "Sun 24/11/2030 → Mon 25/11"),
    ],
)
def test_the_culture_day_switch_covers_its_observed_monday(settings, observed, why):
    assert not workdays.is_working_day(observed), why
    settings.PORTAL_CULTURE_DAY_OFF = False
    assert workdays.is_working_day(observed), why
    assert workdays.is_working_day(observed + dt.timedelta(days=1))
