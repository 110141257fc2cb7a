"""Races that only a real database with two connections shows (skipped on SQLite)."""

import threading

import pytest
from django.db import connection, connections

from consultations import services, tasks
from consultations.models import Comment, Consultation
from tests.consultations.factories import at, make_published


@pytest.fixture
def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections (PostgreSQL)")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_double_submit_makes_one_comment(needs_postgres, commune, village, staff):
    c = make_published(commune, staff)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(
                services.comment_submit(
                    consultation=c, text="Gửi hai lần", form_token="same-token", now=at(2024, 3, 5)
                ).pk
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(results)) == 1
    assert Comment.objects.filter(consultation=c).count() == 1


def test_sweep_accepts_iso_text(commune, village, staff, db):
    c = make_published(commune, staff)
    assert tasks.sweep_windows("2024-03-21T00:05:00") == {"opened": 0, "closed": 1}
    assert Consultation.objects.get(pk=c.pk).status == Consultation.Status.CLOSED
