"""portal/duerules.py: every kind of due rule lands on a working day of the decreed calendar.

Tết 2025: days off Sat 25/01 – Sun 02/02/2025; Tết 2026: Sat 14/02 – Sun 22/02/2026. Make-up Saturdays: 26/04/2025
and 10/01/2026 (portal/calendar_data.py).
"""

import datetime as dt

import pytest

from portal import statutes, workdays
from portal.duerules import DueRule, Kind

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rule", "start", "triggered", "expected", "why"),
    [
        (DueRule.on(D(2026, 2, 16)), D(2026, 1, 5), None, D(2026, 2, 23), "a date in Tết 2026 moves past it"),
        (DueRule.on(D(2026, 3, 20)), D(2026, 1, 5), None, D(2026, 3, 20), "a working day stays"),
        (
            DueRule.period(D(2026, 1, 1), D(2026, 2, 14)),
            D(2026, 1, 5),
            None,
            D(2026, 2, 23),
            "period end in Tết",
        ),
        (DueRule.before(D(2025, 2, 1)), D(2025, 1, 2), None, D(2025, 1, 24), "before a day in Tết 2025"),
        (DueRule.before(D(2026, 3, 26)), D(2026, 1, 5), None, D(2026, 3, 25), "the working day before"),
        (DueRule.before(D(2026, 1, 11)), D(2026, 1, 5), None, D(2026, 1, 10), "make-up Saturday 10/01/2026"),
        (DueRule.before(D(2025, 4, 27)), D(2025, 4, 1), None, D(2025, 4, 26), "make-up Saturday 26/04/2025"),
        (DueRule.in_month(2026, 2), D(2026, 1, 5), None, D(2026, 2, 27), "28/02/2026 is a Saturday"),
        (DueRule.in_month(2025, 1), D(2025, 1, 2), None, D(2025, 1, 24), "January 2025 ends in Tết"),
        (DueRule.in_quarter(2025, 1), D(2025, 1, 2), None, D(2025, 3, 31), "a Monday"),
        (DueRule.in_quarter(2026, 2), D(2026, 1, 5), None, D(2026, 6, 30), "a Tuesday"),
        (DueRule.in_year(2026), D(2026, 1, 5), None, D(2026, 12, 31), "a Thursday"),
        (DueRule.yearly_before(1, 2), D(2025, 1, 2), None, D(2025, 1, 24), "31/01/2025 is in Tết"),
        (DueRule.yearly_before(1, 2), D(2025, 2, 10), None, D(2026, 1, 30), "next year: 31/01/2026 is a Sat"),
        (DueRule.yearly_before(15, 12), D(2026, 3, 2), None, D(2026, 12, 14), "the Monday before"),
        (DueRule.ongoing("monthly"), D(2026, 2, 3), None, D(2026, 2, 27), "month ends on a Saturday"),
        (DueRule.ongoing("quarterly"), D(2026, 2, 10), None, D(2026, 3, 31), "quarter end"),
        (DueRule.ongoing("half_yearly"), D(2026, 8, 3), None, D(2026, 12, 31), "half-year end"),
        (
            DueRule.after_trigger("Khi có", 10),
            D(2025, 1, 2),
            D(2025, 1, 20),
            D(2025, 2, 3),
            "ends in Tết 2025",
        ),
        (
            DueRule.after_trigger("Khi có", 5, working=True),
            D(2026, 1, 5),
            D(2026, 2, 12),
            D(2026, 2, 26),
            "Tết",
        ),
        (
            DueRule.after_trigger("Khi có", 1, working=True),
            D(2026, 1, 5),
            D(2026, 1, 9),
            D(2026, 1, 10),
            "make-up",
        ),
        (
            DueRule.after_trigger("Khi có", 2, working=True),
            D(2025, 4, 24),
            D(2025, 4, 24),
            D(2025, 4, 26),
            "make-up",
        ),
        (DueRule.after_trigger("Khi có"), D(2026, 1, 5), D(2026, 3, 2), D(2026, 4, 1), "default 30 days"),
    ],
)
def test_next_due_is_counted_through_the_working_day_calendar(rule, start, triggered, expected, why):
    due = rule.next_due(start, triggered_on=triggered)
    assert due == expected, why
    assert workdays.is_working_day(due)


def test_no_due_date_without_the_trigger_or_for_no_rule():
    assert DueRule.after_trigger("Khi có văn bản", 10).next_due(D(2026, 3, 2)) is None
    assert DueRule.none().next_due(D(2026, 3, 2)) is None


def test_the_default_trigger_days_is_one_constant_with_its_source():
    rule = DueRule.after_trigger("Khi có văn bản hướng dẫn")
    assert rule.trigger_days == statutes.TASK_ON_TRIGGER.days == 30
    assert "Bộ luật Dân sự" in statutes.TASK_ON_TRIGGER.legal_source
    assert rule.describe() == "khi có văn bản hướng dẫn (trong 30 ngày)"
    assert DueRule.after_trigger("Khi có", 5, working=True).describe() == "khi có (trong 5 ngày làm việc)"


def test_statutory_before_rules_and_plan_before_rules_agree():
    """ "Trước ngày X" is the last working day before X, in a statute and in a plan alike."""
    event = D(2026, 2, 24)  # a dialogue right after Tết 2026
    notice = statutes.DIALOGUE_NOTICE_BEFORE.due(event)
    assert notice == D(2026, 2, 13)  # 17/02 is in Tết: the last working day before it
    assert DueRule.before(event - dt.timedelta(days=6)).next_due(event) == notice
    assert statutes.PUBLICIZE_WITHIN.due(D(2026, 2, 12)) == D(2026, 2, 26)  # 5 working days across Tết
    assert statutes.CONSULTATION_MIN_WINDOW.due(D(2025, 1, 10)) == D(2025, 2, 3)  # 30/01 in Tết → 03/02


@pytest.mark.parametrize(
    "rule",
    [
        DueRule.on(D(2026, 3, 20)),
        DueRule.before(D(2026, 3, 26)),
        DueRule.period(D(2026, 1, 1), D(2026, 3, 20)),
        DueRule.period(None, D(2026, 3, 20)),
        DueRule.in_month(2026, 2),
        DueRule.in_quarter(2026, 4),
        DueRule.in_year(2027),
        DueRule.yearly_before(15, 12),
        DueRule.ongoing("yearly"),
        DueRule.after_trigger("Khi có quyết định", 15),
        DueRule.after_trigger("Khi có quyết định", 5, working=True),
        DueRule.none(),
    ],
)
def test_spec_round_trip(rule):
    back = DueRule.from_spec(rule.to_spec())
    if rule.kind == Kind.TRIGGER:
        assert (back.kind, back.label, back.trigger_days, back.working) == (
            rule.kind,
            rule.label,
            rule.trigger_days,
            rule.working,
        )
    else:
        assert back == rule
    assert isinstance(rule.describe(), str)


@pytest.mark.parametrize(
    "bad",
    [
        {"month": "2026-13"},
        {"quarter": "V/2026"},
        {"every_year_before": "31/02"},
        {"ongoing": "daily"},
        {"before": "không phải ngày"},
        {"from": "2026-03-20", "to": "2026-03-01"},
        {"whatever": 1},
    ],
)
def test_bad_specs_are_refused(bad):
    with pytest.raises(ValueError):
        DueRule.from_spec(bad)


def test_a_completed_recurring_period_reopens_from_the_next_period():
    monthly = DueRule.ongoing("monthly")
    # February 2026 is due on Friday 27/02 (28/02 is a Saturday); the next period still starts on 01/03.
    assert monthly.next_period_start(D(2026, 2, 27)) == D(2026, 3, 1)
    assert monthly.next_due(D(2026, 3, 1)) == D(2026, 3, 31)
    yearly = DueRule.yearly_before(1, 2)
    assert yearly.next_due(D(2025, 1, 20)) == D(2025, 1, 24)
    assert yearly.next_period_start(D(2025, 1, 20)) == D(2025, 2, 1)
    assert yearly.next_due(D(2025, 2, 1)) == D(2026, 1, 30)
    assert DueRule.on(D(2026, 3, 20)).next_period_start(D(2026, 3, 1)) is None
    # Completed late, inside Tết 2025 (after the 24/01 due date): the 2025 period still ends on 01/02/2025.
    assert yearly.next_period_start(D(2025, 1, 27)) == D(2025, 2, 1)
