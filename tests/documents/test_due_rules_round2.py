"""Due rules a clerk writes (issue 11, item 4): a whole year, "năm 2024 và các năm tiếp theo", "định kỳ và khi có
yêu cầu", a trigger that recurs, a trigger with no day limit, working days after a trigger, a period before an event;
free text gets the right form as a hint; the rhythm in Vietnamese. Dates through portal/duerules + portal/workdays."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from portal import workdays
from portal.documents.models import Task
from portal.documents.services import (
    document_create_from_spec,
    document_issue,
    task_record_trigger,
    task_report,
)
from portal.documents.specs import SpecError, document_to_spec, parse_spec
from portal.documents.structure import due_phrase
from portal.models import Deadline
from tests.documents.factories import minimal_spec

NOW = dt.datetime(2024, 3, 12, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("Quý I năm 2024", 'due: {quarter: "I/2024"}'),
        ("Năm 2024", "due: {year: 2024}"),
        ("Năm 2024 và các năm tiếp theo", "due: {ongoing: hằng năm, since: 2024}"),
        ("Thường xuyên", "due: {ongoing: hằng quý}"),
        ("Định kỳ và khi có yêu cầu", 'note: "và khi có yêu cầu"'),
        ("Trong tháng 3/2024", "due: {month: 2024-03}"),
        ("Trong 15 ngày làm việc", "within_working_days: 15"),
        ("Trước 07 ngày", "days: 7"),
    ],
)
def test_free_text_gets_the_right_form_as_a_hint(typed, hint):
    with pytest.raises(SpecError) as exc:
        parse_spec(minimal_spec(tasks=[{"lead": "VP", "do": "A", "due": typed}]))
    (message,) = exc.value.messages()
    assert f"thời hạn viết bằng lời chưa đọc được: {typed!r}; hãy viết" in message and hint in message, (
        message
    )
    assert "YYYY-MM-DD" not in message


def test_rhythm_in_vietnamese_and_the_error_in_vietnamese():
    parsed = parse_spec(minimal_spec(tasks=[{"lead": "VP", "do": "A", "due": {"ongoing": "hằng quý"}}]))
    assert parsed.tasks[0].due["rhythm"] == "quarterly"
    with pytest.raises(SpecError, match="phải là hằng tháng, hằng quý, 6 tháng hoặc hằng năm"):
        parse_spec(minimal_spec(tasks=[{"lead": "VP", "do": "A", "due": {"ongoing": "weekly"}}]))


TASKS = [
    {"lead": "VP", "do": "Cả năm", "due": {"year": 2024}},
    {"lead": "VP", "do": "Từ năm sau", "due": {"ongoing": "hằng năm", "since": 2025}},
    {"lead": "VP", "do": "Khi yêu cầu", "due": {"ongoing": "hằng quý", "note": "và khi có yêu cầu"}},
    {
        "lead": "VP",
        "do": "Ngày làm việc",
        "due": {"on_trigger": "Khi có quyết định", "within_working_days": 15},
    },
    {"lead": "VP", "do": "Không hạn", "due": {"on_trigger": "Khi có văn bản chỉ đạo", "within_days": "none"}},
    {
        "lead": "VP",
        "do": "Mỗi lần",
        "due": {"on_trigger": "Mỗi khi có văn bản", "within_days": 10, "each_time": True},
    },
    {
        "lead": "VP",
        "do": "Trước kỳ họp",
        "due": {"before_event": "kỳ họp HĐND xã", "days": 7, "each_time": True},
    },
]


@pytest.fixture
def plan(commune, orgs):
    doc = document_create_from_spec(
        spec=minimal_spec(tasks=TASKS), issuer=orgs["UBND"], by=None, commune=commune
    )
    return document_issue(document=doc, by=None, now=NOW)


def _due(task) -> list[dt.date]:
    ct = ContentType.objects.get_for_model(Task)
    return list(
        Deadline.objects.filter(content_type=ct, object_id=str(task.pk))
        .order_by("id")
        .values_list("due_date", flat=True)
    )


@pytest.mark.django_db
def test_phrases_as_printed(plan):
    phrases = {t.description: due_phrase(t) for t in plan.tasks.all()}
    assert phrases == {
        "Cả năm": "trong năm 2024",
        "Từ năm sau": "năm 2025 và các năm tiếp theo",
        "Khi yêu cầu": "thường xuyên, báo cáo hằng quý và khi có yêu cầu",
        "Ngày làm việc": "khi có quyết định (trong 15 ngày làm việc)",
        "Không hạn": "khi có văn bản chỉ đạo",
        "Mỗi lần": "mỗi khi có văn bản (trong 10 ngày)",
        "Trước kỳ họp": "07 ngày trước kỳ họp HĐND xã",
    }


@pytest.mark.django_db
def test_deadlines_opened_at_issue(plan):
    t = {x.description: x for x in plan.tasks.all()}
    assert _due(t["Cả năm"]) == [dt.date(2024, 12, 31)]
    assert _due(t["Từ năm sau"]) == [dt.date(2025, 12, 31)]  # not 2024: the rule starts in 2025
    assert _due(t["Khi yêu cầu"]) == [dt.date(2024, 3, 29)]
    for name in ("Ngày làm việc", "Không hạn", "Mỗi lần", "Trước kỳ họp"):
        assert _due(t[name]) == [], name  # waiting for the event


@pytest.mark.django_db
def test_working_days_after_a_trigger_skip_the_april_holidays(plan, staff):
    task = plan.tasks.get(description="Ngày làm việc")
    task_record_trigger(task=task, on=dt.date(2024, 4, 25), by=None, now=NOW)
    # 27/4–1/5/2024 are days off (30/4, 1/5 and the swapped days): 15 working days is not 15 calendar days.
    assert _due(task) == [workdays.add_working_days(dt.date(2024, 4, 25), 15)]
    assert _due(task)[0] > dt.date(2024, 5, 10)


@pytest.mark.django_db
def test_a_trigger_with_no_day_limit_is_tracked_without_a_due_date(plan):
    task = plan.tasks.get(description="Không hạn")
    task_record_trigger(task=task, on=dt.date(2024, 4, 2), by=None, now=NOW)
    task.refresh_from_db()
    assert task.triggered_on == dt.date(2024, 4, 2) and _due(task) == []


@pytest.mark.django_db
def test_a_recurring_trigger_opens_a_due_date_each_time(plan, staff):
    task = plan.tasks.get(description="Mỗi lần")
    task_record_trigger(task=task, on=dt.date(2024, 4, 1), by=None, now=NOW)
    with pytest.raises(ValidationError, match="chưa báo cáo hoàn thành"):
        task_record_trigger(task=task, on=dt.date(2024, 4, 5), by=None, now=NOW)
    task_report(task=task, text="Đã triển khai văn bản lần 1.", by=staff, completes=True, now=NOW)
    task.refresh_from_db()
    assert task.done_at is None  # stays open for the next document
    task_record_trigger(task=task, on=dt.date(2024, 6, 3), by=None, now=NOW)
    assert _due(task) == [dt.date(2024, 4, 11), dt.date(2024, 6, 13)]


@pytest.mark.django_db
def test_a_period_before_an_event(plan):
    task = plan.tasks.get(description="Trước kỳ họp")
    # Meeting on Sunday 14/7/2024: 7 days before is Sunday 7/7, so the last working day before it, Friday 5/7.
    task_record_trigger(task=task, on=dt.date(2024, 7, 14), by=None, now=NOW)
    assert _due(task) == [dt.date(2024, 7, 5)]


@pytest.mark.django_db
def test_the_new_rules_round_trip_through_the_format(plan):
    spec = document_to_spec(plan)
    assert [t["due"] for t in spec["tasks"]] == [
        {"year": 2024},
        {"ongoing": "yearly", "since": 2025},
        {"ongoing": "quarterly", "note": "và khi có yêu cầu"},
        {"on_trigger": "Khi có quyết định", "within_working_days": 15},
        {"on_trigger": "Khi có văn bản chỉ đạo", "within_days": "none"},
        {"on_trigger": "Mỗi khi có văn bản", "within_days": 10, "each_time": True},
        {"before_event": "kỳ họp HĐND xã", "days": 7, "each_time": True},
    ]
    again = parse_spec(spec)
    assert [t.due for t in again.tasks][4]["no_limit"] is True
