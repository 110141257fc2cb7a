"""The deadline engine: due dates from the statutes registry, transitions with audit, and the sweep."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_q.models import Schedule

from portal import deadlines as engine
from portal import statutes, workdays
from portal.audit import audit_for
from portal.deadlines import deadline_meet, deadline_open, deadline_sweep, deadline_waive, sweep_candidates
from portal.models import Deadline, Notification
from portal.tasks import sweep_deadlines
from tests.portal.factories import at, bulk_far_future, open_deadline, subject_for

D = dt.date
pytestmark = pytest.mark.django_db


def recipients(deadline, event: str) -> set[str]:
    return set(
        Notification.objects.filter(key=f"deadline:{deadline.pk}:{event}").values_list(
            "recipient__username", flat=True
        )
    )


# --- Opening --------------------------------------------------------------------------------------------------


def test_publicize_due_date_is_5_working_days_across_tet(commune, staff):
    # Decided Fri 13/02/2026; Tết is Mon 16 – Fri 20/02: the 5 working days are Mon 23 … Fri 27/02.
    d = open_deadline(commune=commune, rule_code="publicize.within", trigger=D(2026, 2, 13), by=staff)
    assert d.due_date == D(2026, 2, 27)
    assert d.title == statutes.PUBLICIZE_WITHIN.title
    assert d.status == Deadline.Status.OPEN


def test_calendar_day_rule_follows_the_civil_code(commune):
    # Petition answer within 15 d after Fri 30/01/2026 → Sat 14/02 (Tết weekend) → Mon 23/02/2026.
    d = open_deadline(commune=commune, rule_code="supervision.answer", trigger=D(2026, 1, 30))
    assert d.due_date == D(2026, 2, 23)


def test_assigned_rule_needs_a_due_date(commune):
    with pytest.raises(ValidationError) as exc:
        deadline_open(
            subject=subject_for(commune), rule_code="assigned", trigger_date=D(2026, 3, 2), commune=commune
        )
    assert "phải có hạn hoàn thành" in exc.value.messages[0]
    d = open_deadline(commune=commune, rule_code="assigned", trigger=D(2026, 3, 2), due=D(2026, 3, 20))
    assert d.due_date == D(2026, 3, 20)


def test_statutory_due_date_ignores_a_caller_date(commune):
    d = deadline_open(
        subject=subject_for(commune),
        rule_code="publicize.within",
        trigger_date=D(2026, 3, 2),
        commune=commune,
        due_date=D(2030, 1, 1),
    )
    assert d.due_date == workdays.add_working_days(D(2026, 3, 2), 5) == D(2026, 3, 9)


def test_one_open_deadline_per_subject_and_rule(commune, staff):
    subject = subject_for(commune)
    first = open_deadline(
        commune=commune, subject=subject, rule_code="publicize.within", trigger=D(2026, 3, 2)
    )
    again = open_deadline(
        commune=commune, subject=subject, rule_code="publicize.within", trigger=D(2026, 3, 9)
    )
    assert again.pk == first.pk and again.due_date == first.due_date
    other_rule = open_deadline(
        commune=commune, subject=subject, rule_code="citizen.reply", trigger=D(2026, 3, 2)
    )
    assert other_rule.pk != first.pk
    assert Deadline.objects.filter(status=Deadline.Status.OPEN).count() == 2
    # Once met, a new one may open for the same subject and rule.
    deadline_meet(subject=subject, rule_code="publicize.within", by=staff)
    third = open_deadline(
        commune=commune, subject=subject, rule_code="publicize.within", trigger=D(2026, 4, 1)
    )
    assert third.pk != first.pk


# --- Transitions and audit ------------------------------------------------------------------------------------


def test_meet_and_waive_are_audited_with_actor_and_time(commune, staff, leader):
    opened_at, met_at, waived_at = at(D(2026, 3, 2), 9), at(D(2026, 3, 5), 10), at(D(2026, 3, 6), 11)
    a = open_deadline(
        commune=commune, rule_code="publicize.within", trigger=D(2026, 3, 2), by=staff, now=opened_at
    )
    b = open_deadline(
        commune=commune, rule_code="citizen.reply", trigger=D(2026, 3, 2), by=staff, now=opened_at
    )

    met = deadline_meet(subject=a.subject, rule_code=a.rule_code, by=staff, now=met_at)
    assert (
        met.pk == a.pk and met.status == Deadline.Status.MET and met.met_by == staff and met.met_at == met_at
    )

    with pytest.raises(ValidationError) as exc:
        deadline_waive(deadline=b, reason="   ", by=leader, now=waived_at)
    assert exc.value.messages == ["Phải ghi rõ lý do miễn thời hạn."]
    b.refresh_from_db()
    assert b.status == Deadline.Status.OPEN

    waived = deadline_waive(
        deadline=b, reason="Nội dung đã rút, không còn phải trả lời", by=leader, now=waived_at
    )
    assert waived.status == Deadline.Status.WAIVED and waived.waived_reason.startswith("Nội dung đã rút")
    with pytest.raises(ValidationError, match="đã đóng"):
        deadline_waive(deadline=b, reason="lần nữa", by=leader, now=waived_at)
    assert deadline_meet(subject=b.subject, rule_code=b.rule_code, by=staff) is None  # nothing open to meet

    trail_a = [(e.action, e.actor, e.at) for e in audit_for(a).order_by("at", "id")]
    assert trail_a == [("deadline.open", staff, opened_at), ("deadline.met", staff, met_at)]
    trail_b = [(e.action, e.actor, e.at, e.note) for e in audit_for(b).order_by("at", "id")]
    assert trail_b == [
        ("deadline.open", staff, opened_at, ""),
        ("deadline.waived", leader, waived_at, "Nội dung đã rút, không còn phải trả lời"),
    ]
    assert audit_for(b).get(action="deadline.waived").changes == {"status": ["open", "waived"]}
    assert all(e.commune_id == commune.pk for e in audit_for(a))


def test_a_missed_deadline_can_still_be_met_late(commune, staff, leader, mttq):
    d = open_deadline(commune=commune, trigger=D(2026, 3, 2), due=D(2026, 3, 4))
    deadline_sweep(now=at(D(2026, 3, 5)))
    d.refresh_from_db()
    assert d.status == Deadline.Status.MISSED
    miss = audit_for(d).get(action="deadline.missed")
    assert miss.actor is None and miss.at == at(D(2026, 3, 5))
    met = deadline_meet(subject=d.subject, rule_code="assigned", by=staff, now=at(D(2026, 3, 6)))
    assert met.status == Deadline.Status.MET
    assert audit_for(d).get(action="deadline.met").changes == {"status": ["missed", "met"], "late": True}


# --- The sweep --------------------------------------------------------------------------------------------------


def test_sweep_reminds_3_working_days_before_then_on_the_due_day_then_escalates(
    commune, village, staff, leader, mttq, union_rep, radio, village_head, other_village_head
):
    d = open_deadline(commune=commune, village=village, trigger=D(2026, 3, 2), due=D(2026, 3, 4))

    # Thu 26/02: due Wed 04/03 is 4 working days away — too early.
    assert deadline_sweep(now=at(D(2026, 2, 26))).as_dict() == {
        "reminded": 0,
        "due_reminded": 0,
        "escalated": 0,
        "failed": 0,
    }
    assert Notification.objects.count() == 0
    # Fri 27/02: 3 working days before (Mon 02, Tue 03, Wed 04): the village head of the village is reminded.
    assert deadline_sweep(now=at(D(2026, 2, 27))).reminded == 1
    assert recipients(d, "reminder") == {"truongthon"}
    # Reruns the same day, over the weekend and the day before: nothing new.
    for day in (D(2026, 2, 27), D(2026, 2, 28), D(2026, 3, 2), D(2026, 3, 3)):
        deadline_sweep(now=at(day, 16))
    assert Notification.objects.count() == 1
    # The due day: one due-day reminder, once, however often the sweep runs.
    assert deadline_sweep(now=at(D(2026, 3, 4), 7)).due_reminded == 1
    assert deadline_sweep(now=at(D(2026, 3, 4), 7)).due_reminded == 0
    deadline_sweep(now=at(D(2026, 3, 4), 23, 55))
    assert recipients(d, "due") == {"truongthon"}
    assert Notification.objects.count() == 2
    # The day after: escalated to the commune leaders and MTTQ (and the responsible village head), marked missed.
    assert deadline_sweep(now=at(D(2026, 3, 5), 0, 5)).escalated == 1
    assert recipients(d, "escalated") == {"chutich", "mttq", "truongthon"}
    d.refresh_from_db()
    assert d.status == Deadline.Status.MISSED and d.escalated_at == at(D(2026, 3, 5), 0, 5)
    for day in (D(2026, 3, 5), D(2026, 3, 6), D(2026, 3, 9)):
        deadline_sweep(now=at(day, 12))
    assert Notification.objects.count() == 5  # 1 reminder + 1 due-day + 3 escalations, never more


def test_commune_level_deadline_reminds_staff_and_an_assignee_only_the_assignee(commune, staff, leader, mttq):
    commune_level = open_deadline(commune=commune, trigger=D(2026, 3, 2), due=D(2026, 3, 4))
    assigned = open_deadline(commune=commune, trigger=D(2026, 3, 2), due=D(2026, 3, 4), assignee=leader)
    deadline_sweep(now=at(D(2026, 3, 2)))
    assert recipients(commune_level, "reminder") == {"canbo"}
    assert recipients(assigned, "reminder") == {"chutich"}
    deadline_sweep(now=at(D(2026, 3, 5)))
    assert recipients(commune_level, "escalated") == {"chutich", "mttq", "canbo"}
    assert recipients(assigned, "escalated") == {"chutich", "mttq"}


def test_reminder_counts_working_days_across_tet(commune, staff):
    # Due Tue 24/02/2026. Three working days before it are Mon 23/02, Fri 13/02, Thu 12/02 (Tết in between).
    d = open_deadline(commune=commune, trigger=D(2026, 2, 2), due=D(2026, 2, 24))
    deadline_sweep(now=at(D(2026, 2, 11)))
    assert recipients(d, "reminder") == set()
    deadline_sweep(now=at(D(2026, 2, 12)))
    assert recipients(d, "reminder") == {"canbo"}


def test_a_deadline_opened_on_its_due_day_gets_only_the_due_day_reminder(commune, staff):
    d = open_deadline(commune=commune, trigger=D(2026, 3, 4), due=D(2026, 3, 4))
    deadline_sweep(now=at(D(2026, 3, 4)))
    deadline_sweep(now=at(D(2026, 3, 4), 15))
    assert set(Notification.objects.values_list("key", flat=True)) == {f"deadline:{d.pk}:due"}


def test_met_and_waived_deadlines_are_not_swept(commune, staff, leader):
    a = open_deadline(commune=commune, trigger=D(2026, 3, 2), due=D(2026, 3, 4))
    b = open_deadline(commune=commune, trigger=D(2026, 3, 2), due=D(2026, 3, 4))
    deadline_meet(subject=a.subject, rule_code="assigned", by=staff)
    deadline_waive(deadline=b, reason="Không còn cần thiết", by=leader)
    assert deadline_sweep(now=at(D(2026, 3, 10))).as_dict() == {
        "reminded": 0,
        "due_reminded": 0,
        "escalated": 0,
        "failed": 0,
    }
    assert Notification.objects.count() == 0


def test_sweep_survives_being_killed_mid_run(commune, staff, monkeypatch):
    ds = [open_deadline(commune=commune, trigger=D(2026, 3, 2), due=D(2026, 3, 6)) for _ in range(3)]
    real_notify = engine.notify
    calls = {"n": 0}

    def dying_notify(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the worker dies while handling the 2nd deadline
            raise SystemExit("worker killed")
        return real_notify(**kwargs)

    monkeypatch.setattr(engine, "notify", dying_notify)
    with pytest.raises(SystemExit):
        deadline_sweep(now=at(D(2026, 3, 3)))
    assert [len(recipients(d, "reminder")) for d in ds] == [1, 0, 0]
    monkeypatch.setattr(engine, "notify", real_notify)

    result = deadline_sweep(now=at(D(2026, 3, 3), 8, 5))
    assert result.reminded == 2
    deadline_sweep(now=at(D(2026, 3, 3), 8, 10))
    for d in ds:
        assert Notification.objects.filter(key=f"deadline:{d.pk}:reminder").count() == 1
    assert Notification.objects.count() == 3


def test_one_broken_deadline_does_not_block_the_others(commune, staff, leader, mttq, monkeypatch, caplog):
    ds = [open_deadline(commune=commune, trigger=D(2026, 3, 2), due=D(2026, 3, 4)) for _ in range(3)]
    broken = ds[0]
    real_notify = engine.notify

    def notify_breaking_on_first(**kwargs):
        if kwargs["key"].startswith(f"deadline:{broken.pk}:"):
            raise RuntimeError("bad data")
        return real_notify(**kwargs)

    monkeypatch.setattr(engine, "notify", notify_breaking_on_first)
    result = deadline_sweep(now=at(D(2026, 3, 5)))
    assert (result.escalated, result.failed) == (2, 1)
    assert f"deadline sweep failed for deadline {broken.pk}" in caplog.text
    statuses = list(
        Deadline.objects.filter(pk__in=[d.pk for d in ds]).order_by("id").values_list("status", flat=True)
    )
    assert statuses == ["open", "missed", "missed"]  # the broken one is retried next run
    monkeypatch.setattr(engine, "notify", real_notify)
    assert deadline_sweep(now=at(D(2026, 3, 5), 9)).escalated == 1
    assert all(recipients(d, "escalated") == {"canbo", "chutich", "mttq"} for d in ds)


def test_a_deadline_of_a_removed_rule_still_escalates(commune, staff, leader, mttq):
    bulk_far_future(commune, 1, due=D(2026, 3, 4))
    Deadline.objects.update(rule_code="removed.rule")
    assert deadline_sweep(now=at(D(2026, 3, 5))).escalated == 1
    assert Notification.objects.filter(body__contains="Căn cứ: removed.rule").count() == 3


def _sweep_queries(now) -> int:
    with CaptureQueriesContext(connection) as ctx:
        deadline_sweep(now=now)
    return len(ctx.captured_queries)


def test_sweep_cost_grows_with_deadlines_due_not_with_all_deadlines(commune, staff):
    now = at(D(2026, 6, 15))  # Mon
    workdays.add_working_days(D(2026, 6, 15), 3)  # warm the calendar cache of 2026
    bulk_far_future(commune, 10)
    for _ in range(3):
        open_deadline(commune=commune, trigger=D(2026, 6, 1), due=D(2026, 6, 17))
    with_10 = _sweep_queries(now)

    bulk_far_future(commune, 490, start=2_000_000)
    for _ in range(3):
        open_deadline(commune=commune, trigger=D(2026, 6, 1), due=D(2026, 6, 17))
    with_500 = _sweep_queries(now)

    assert Deadline.objects.count() == 506
    assert with_10 == with_500
    assert Notification.objects.count() == 6


@pytest.mark.postgres
def test_sweep_candidates_use_the_partial_index_on_postgresql(commune):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN of the partial index needs PostgreSQL")
    bulk_far_future(commune, 5000)
    open_deadline(commune=commune, trigger=D(2026, 6, 1), due=D(2026, 6, 17))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE portal_deadline")
    plan = sweep_candidates(D(2026, 6, 15)).explain()
    assert "deadline_open_due_idx" in plan, plan
    assert "Index Scan" in plan, plan  # "Index Scan" or "Bitmap Index Scan" on it, not a Seq Scan
    assert "Seq Scan on portal_deadline" not in plan, plan
    assert list(sweep_candidates(D(2026, 6, 15)).values_list("due_date", flat=True)) == [D(2026, 6, 17)]


# --- django-q2 entry points -----------------------------------------------------------------------------------


def test_the_task_sweeps_when_called_directly(commune, staff):
    d = open_deadline(commune=commune, trigger=D(2026, 3, 2), due=D(2026, 3, 4))
    assert sweep_deadlines(at(D(2026, 3, 4)).isoformat()) == {
        "reminded": 0,
        "due_reminded": 1,
        "escalated": 0,
        "failed": 0,
    }
    assert recipients(d, "due") == {"canbo"}
    # Without ``now`` it sweeps at the current time (this deadline is long past by then: escalated).
    assert sweep_deadlines()["escalated"] == 1


def test_the_task_accepts_a_naive_iso_time_as_local_time(commune, staff):
    d = open_deadline(commune=commune, trigger=D(2026, 3, 2), due=D(2026, 3, 4))
    assert sweep_deadlines("2026-03-04T07:30:00")["due_reminded"] == 1
    assert recipients(d, "due") == {"canbo"}


def test_setup_schedules_twice_leaves_one_schedule():
    call_command("setup_schedules")
    call_command("setup_schedules")
    schedules = Schedule.objects.filter(name="portal.sweep_deadlines")
    assert schedules.count() == 1
    assert schedules.get().func == "portal.tasks.sweep_deadlines"


def test_meet_a_given_deadline_rather_than_the_newest_of_its_subject(commune, staff):
    subject = subject_for(commune)
    old = open_deadline(commune=commune, subject=subject, trigger=D(2026, 3, 2), due=D(2026, 3, 4))
    deadline_sweep(now=at(D(2026, 3, 5)))  # old is missed; the same work may get a new deadline
    new = open_deadline(commune=commune, subject=subject, trigger=D(2026, 3, 6), due=D(2026, 3, 20))
    assert new.pk != old.pk
    met = deadline_meet(deadline=old, by=staff, now=at(D(2026, 3, 9)))
    assert met.pk == old.pk and met.status == Deadline.Status.MET
    new.refresh_from_db()
    assert new.status == Deadline.Status.OPEN
    assert deadline_meet(deadline=old, by=staff) is None  # already met: nothing to do
    # By subject and rule, the newest open one is met.
    assert deadline_meet(subject=subject, rule_code="assigned", by=staff).pk == new.pk


@pytest.mark.parametrize(
    ("event", "due", "why"),
    [
        (D(2026, 3, 16), D(2026, 3, 9), "Mon 16/03 − 7 days = Mon 09/03, a working day"),
        (D(2026, 3, 15), D(2026, 3, 6), "Sun 15/03 − 7 = Sun 08/03: the office last works on Fri 06/03"),
        (
            D(2026, 2, 24),
            D(2026, 2, 13),
            "Tue 24/02 − 7 = Tue 17/02 is Tết: the last working day before is Fri 13/02",
        ),
    ],
)
def test_notice_before_an_event_is_due_on_a_working_day_no_later_than_n_days_before(commune, event, due, why):
    d = open_deadline(commune=commune, rule_code="dialogue.notice_before", trigger=event)
    assert d.due_date == due, why
    assert (event - d.due_date).days >= statutes.DIALOGUE_NOTICE_BEFORE.days
    assert workdays.is_working_day(d.due_date)


def test_sweep_uses_the_vietnamese_date(commune, staff, leader, mttq):
    d = open_deadline(commune=commune, trigger=D(2026, 3, 2), due=D(2026, 3, 4))
    # 17:30 UTC on 04/03 is 00:30 on Thu 05/03 in Vietnam: the deadline has passed.
    deadline_sweep(now=dt.datetime(2026, 3, 4, 17, 30, tzinfo=dt.UTC))
    d.refresh_from_db()
    assert d.status == Deadline.Status.MISSED


def test_a_village_without_a_head_falls_back_to_commune_staff(commune, other_village, staff):
    d = open_deadline(commune=commune, village=other_village, trigger=D(2026, 3, 2), due=D(2026, 3, 4))
    deadline_sweep(now=at(D(2026, 3, 4)))
    assert recipients(d, "due") == {"canbo"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_opening_the_same_deadline_at_once_get_one(commune, monkeypatch):
    """Both pass the "already open?" check before either inserts (forced with a barrier in full_clean)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections")
    import threading

    from django.db import connections

    subject = subject_for(commune)
    barrier = threading.Barrier(2, timeout=10)
    real_full_clean = Deadline.full_clean

    def full_clean_after_both_checked(self, *args, **kwargs):
        barrier.wait()
        return real_full_clean(self, *args, **kwargs)

    monkeypatch.setattr(Deadline, "full_clean", full_clean_after_both_checked)
    results, errors = [], []

    def open_it():
        try:
            results.append(
                deadline_open(
                    subject=subject, rule_code="publicize.within", trigger_date=D(2026, 3, 2), commune=commune
                ).pk
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert Deadline.objects.filter(object_id=str(subject.pk), status=Deadline.Status.OPEN).count() == 1


def test_the_system_may_waive_without_a_user(commune):
    from django.contrib.auth.models import AnonymousUser

    for by in (None, AnonymousUser()):
        d = open_deadline(commune=commune)
        waived = deadline_waive(deadline=d, reason="Hồ sơ bị rút", by=by)
        assert waived.status == Deadline.Status.WAIVED and waived.met_by is None
        assert audit_for(d).get(action="deadline.waived").actor is None


def test_cancel_for_waives_the_open_and_missed_deadlines_of_a_withdrawn_subject(commune, staff, leader):
    from portal.deadlines import deadline_cancel_for

    subject = subject_for(commune)
    missed = open_deadline(commune=commune, subject=subject, rule_code="citizen.reply", trigger=D(2026, 2, 2))
    deadline_sweep(now=at(D(2026, 3, 2)))
    opened = open_deadline(
        commune=commune, subject=subject, rule_code="publicize.within", trigger=D(2026, 3, 2)
    )
    met = open_deadline(commune=commune, subject=subject, rule_code="assigned", due=D(2026, 3, 3))
    deadline_meet(deadline=met, by=staff)
    other = open_deadline(commune=commune, rule_code="publicize.within", trigger=D(2026, 3, 2))

    assert deadline_cancel_for(subject=subject, reason="Rút dự thảo", by=leader) == 2
    statuses = dict(Deadline.objects.values_list("pk", "status"))
    assert statuses == {missed.pk: "waived", opened.pk: "waived", met.pk: "met", other.pk: "open"}
    assert Deadline.objects.get(pk=missed.pk).waived_reason == "Rút dự thảo"
