"""Metrics other apps register for contest criteria (portal/metrics.py), measured on their own demo records."""

import datetime as dt

import pytest

from portal import metrics
from portal.demo import seed_core

pytestmark = pytest.mark.django_db


def test_apps_register_their_metrics():
    codes = {m.code for m in metrics.all_metrics()}
    assert {
        "portal.deadlines_met",
        "consultations.results_on_time",
        "consultations.held",
        "dialogues.held",
        "dialogues.petitions_on_time",
    } <= codes


def test_dialogue_metrics_read_the_dialogues_records():
    from dialogues import demo as dialogues_demo
    from dialogues.models import Dialogue, Petition

    core = seed_core()
    dialogues_demo.seed(core)
    wide = {"commune_id": core.commune.pk, "start": dt.date(2000, 1, 1), "end": dt.date(2100, 1, 1)}
    held = metrics.measure("dialogues.held", **wide)
    assert (
        held.numerator
        == Dialogue.objects.filter(
            commune=core.commune, status__in=["held", "reviewed", "closed"], held_on__isnull=False
        ).count()
    )
    assert held.numerator >= 1 and held.records[0].url.startswith("/doi-thoai/")
    on_time = metrics.measure("dialogues.petitions_on_time", **wide)
    assert on_time.denominator <= Petition.objects.filter(commune=core.commune, due_on__isnull=False).count()
    assert on_time.denominator >= 1  # the demo has at least one answered or overdue petition
    assert all(r.ok in (True, False) for r in on_time.records)
    nothing = metrics.measure(
        "dialogues.held", commune_id=core.other_commune.pk, start=wide["start"], end=wide["end"]
    )
    assert nothing.numerator == 0


def test_evidence_links_only_to_pages_a_judge_may_open():
    """A consultation record links to its public page; a staff consultation and a deadline are evidence as text only
    (their pages are the commune office's, and a contest judge would meet a 404)."""
    from consultations import demo as consultations_demo
    from consultations.models import Audience, Consultation

    core = seed_core()
    consultations_demo.seed(core)
    wide = {"commune_id": core.commune.pk, "start": dt.date(2000, 1, 1), "end": dt.date(2100, 1, 1)}
    held = metrics.measure("consultations.held", **wide)
    by_title = {c.title: c for c in Consultation.objects.filter(commune=core.commune)}
    audiences = set()
    for record in held.records:
        consultation = by_title[record.label]
        audiences.add(consultation.audience)
        if consultation.audience == Audience.PEOPLE:
            assert record.url == f"/lay-y-kien/{consultation.pk}/"
        else:
            assert record.url == ""
    assert audiences == {Audience.PEOPLE, Audience.STAFF}  # the demo has both kinds
    deadlines = metrics.measure("portal.deadlines_met", **wide)
    assert deadlines.records and all(r.url == "" for r in deadlines.records)
