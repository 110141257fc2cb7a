"""The deadline sweep drains a backlog in one run, in batches (not 500 per run)."""

import datetime as dt

import pytest

from portal.deadlines import deadline_sweep
from portal.models import Deadline
from tests.portal.factories import at, open_deadline

pytestmark = pytest.mark.django_db


def test_a_backlog_larger_than_one_batch_is_escalated_in_one_run(commune, staff, leader):
    for _ in range(25):
        open_deadline(commune=commune, trigger=dt.date(2026, 3, 2), due=dt.date(2026, 3, 4))
    result = deadline_sweep(now=at(dt.date(2026, 3, 10)), batch=10)
    assert result.escalated == 25
    assert not Deadline.objects.filter(status=Deadline.Status.OPEN).exists()


def test_a_deadline_that_fails_is_tried_once_per_run(commune, staff, leader, monkeypatch):
    from portal import deadlines as engine

    for _ in range(3):
        open_deadline(commune=commune, trigger=dt.date(2026, 3, 2), due=dt.date(2026, 3, 4))
    calls = []

    def boom(deadline, **kwargs):
        calls.append(deadline.pk)
        raise RuntimeError("broken")

    monkeypatch.setattr(engine, "_sweep_one", boom)
    result = deadline_sweep(now=at(dt.date(2026, 3, 10)), batch=2)
    assert result.failed == 3 and len(calls) == 3  # no endless loop over the same broken rows
