"""Factories for the portal core's own records (deadlines, audit), made through the services where one exists."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from portal.deadlines import deadline_open
from portal.models import Deadline, Organization
from tests.factories import OrganizationFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_subjects = itertools.count(1)


def at(day: dt.date, hour: int = 8, minute: int = 0) -> dt.datetime:
    """An aware datetime in Vietnam on ``day`` (services take ``now=`` instead of the clock)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def subject_for(commune) -> Organization:
    """Any model instance can carry deadlines; an organization of the commune is a cheap one."""
    return OrganizationFactory(unit=commune, name=f"Tổ công tác {next(_subjects)}")


def open_deadline(
    *,
    commune=None,
    unit=None,
    village=None,
    rule_code: str = "assigned",
    trigger: dt.date = dt.date(2026, 3, 2),
    due: dt.date | None = None,
    subject=None,
    assignee=None,
    title: str | None = None,
    by=None,
    now: dt.datetime | None = None,
) -> Deadline:
    if rule_code == "assigned" and due is None:
        due = trigger + dt.timedelta(days=7)
    return deadline_open(
        subject=subject or subject_for(commune or unit),
        rule_code=rule_code,
        trigger_date=trigger,
        commune=commune,
        unit=unit,
        village=village,
        assignee=assignee,
        title=title,
        due_date=due if rule_code == "assigned" else None,
        by=by,
        now=now,
    )


def bulk_far_future(commune, n: int, *, due: dt.date = dt.date(2031, 6, 2), start: int = 1_000_000) -> None:
    """``n`` open deadlines due years from now, inserted in bulk (volume for query-count and plan tests)."""
    ct = ContentType.objects.get_for_model(Organization)
    Deadline.objects.bulk_create(
        [
            Deadline(
                rule_code="assigned",
                title=f"Việc dài hạn {i}",
                content_type=ct,
                object_id=str(start + i),
                unit=commune,
                commune=commune,
                trigger_date=dt.date(2026, 1, 5),
                due_date=due + dt.timedelta(days=i % 300),
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
