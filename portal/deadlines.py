"""The deadline engine: open, meet and waive deadlines, and the sweep that reminds and escalates.

A deadline's due date comes from a rule in :mod:`portal.statutes`. The sweep (a django-q2 schedule, see
``setup_schedules``) only reads open deadlines due within the reminder horizon through a partial index, so its
cost grows with the deadlines due, not with all deadlines. Each deadline is handled in its own transaction under
``select_for_update(skip_locked=True)`` and every notification is recorded with a ``*_sent_at`` stamp and a unique
key, so a rerun, a retry after the worker was killed, or two workers at once notify nobody twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from portal import bounds, lookups, statutes, workdays
from portal.audit import audit_record
from portal.models import Deadline, Role
from portal.notifications import notify

logger = logging.getLogger(__name__)


def _today(now: dt.datetime | None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def deadline_open(
    *,
    subject,
    rule_code: str,
    trigger_date: dt.date,
    commune=None,
    unit=None,
    title: str | None = None,
    village=None,
    assignee=None,
    due_date: dt.date | None = None,
    url: str = "",
    by=None,
    now: dt.datetime | None = None,
) -> Deadline:
    """Open (or return the already open) deadline of ``rule_code`` for ``subject``.

    The deadline belongs to ``unit`` (any level: a district-level contest's deadline) or, as before, to ``commune``
    (give one of them). ``due_date`` is computed from the rule; only rules of kind "assigned" take it from the
    caller. ``by=None``: opened by the system (see portal/access.py).
    """
    unit = unit if unit is not None else commune
    if unit is None:
        raise ValueError("deadline_open needs the unit (or commune) the deadline belongs to")
    rule = statutes.rule_for(rule_code, unit)
    if rule.kind == "assigned":
        if due_date is None:
            raise ValidationError("Việc được giao phải có hạn hoàn thành.")
    else:
        due_date = rule.due(trigger_date)
    ct = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    open_ones = Deadline.objects.filter(
        content_type=ct, object_id=str(subject.pk), rule_code=rule_code, status=Deadline.Status.OPEN
    )
    with transaction.atomic():
        existing = open_ones.select_for_update().first()
        if existing is not None:
            return existing
        deadline = Deadline(
            rule_code=rule_code,
            title=(title or rule.title)[:300],
            content_type=ct,
            object_id=str(subject.pk),
            unit=unit,
            commune_id=unit.commune_id,
            village=village,
            assignee=assignee,
            trigger_date=trigger_date,
            due_date=due_date,
            url=url,
        )
        # The one-open-deadline constraint is left to the database: another process may insert the same deadline
        # between the check above and this insert (there is no row to lock yet).
        deadline.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                deadline.save()
        except IntegrityError:
            existing = open_ones.first()
            if existing is None:
                raise
            return existing
        audit_record(
            actor=by,
            action="deadline.open",
            obj=deadline,
            now=now,
            changes={"rule": rule_code, "due_date": due_date, "legal_source": rule.legal_source},
        )
    return deadline


def deadline_meet(
    *,
    subject=None,
    rule_code: str | None = None,
    deadline: Deadline | None = None,
    by=None,
    now: dt.datetime | None = None,
) -> Deadline | None:
    """Mark the open deadline of ``rule_code`` for ``subject`` as met (late ones become met too, with the date).

    Pass ``deadline`` instead to meet that very deadline (e.g. the one a user clicked), not the newest of its
    subject and rule.
    """
    now = now or timezone.now()
    with transaction.atomic():
        qs = Deadline.objects.select_for_update().filter(
            status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED]
        )
        if deadline is not None:
            qs = qs.filter(pk=deadline.pk)
        else:
            ct = ContentType.objects.get_for_model(subject, for_concrete_model=False)
            qs = qs.filter(content_type=ct, object_id=str(subject.pk), rule_code=rule_code)
        deadline = qs.order_by("-id").first()
        if deadline is None:
            return None
        old = deadline.status
        deadline.status = Deadline.Status.MET
        deadline.met_at = now
        deadline.met_by = by if getattr(by, "is_authenticated", False) else None
        deadline.save(update_fields=["status", "met_at", "met_by"])
        audit_record(
            actor=by,
            action="deadline.met",
            obj=deadline,
            now=now,
            changes={"status": [old, deadline.status], "late": _today(now) > deadline.due_date},
        )
    return deadline


def deadline_waive(*, deadline: Deadline, reason: str, by, now: dt.datetime | None = None) -> Deadline:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Phải ghi rõ lý do miễn thời hạn.")
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if deadline.status not in (Deadline.Status.OPEN, Deadline.Status.MISSED):
            raise ValidationError("Thời hạn này đã đóng, không thể miễn.")
        old = deadline.status
        deadline.status = Deadline.Status.WAIVED
        deadline.waived_reason = reason
        bounds.validate_fields(deadline, "waived_reason")
        deadline.met_by = by if getattr(by, "is_authenticated", False) else None
        deadline.met_at = now or timezone.now()
        deadline.save(update_fields=["status", "waived_reason", "met_by", "met_at"])
        audit_record(
            actor=by,
            action="deadline.waived",
            obj=deadline,
            now=now,
            changes={"status": [old, deadline.status]},
            note=reason,
        )
    return deadline


def deadline_cancel_for(*, subject, reason: str, by=None, now: dt.datetime | None = None) -> int:
    """Waive every open (or missed) deadline of a subject that no longer needs them (e.g. a withdrawn consultation).

    Missed ones too: otherwise they stay on every dashboard as overdue work that nobody will ever do.
    """
    ct = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    count = 0
    pending = [Deadline.Status.OPEN, Deadline.Status.MISSED]
    for deadline in Deadline.objects.filter(content_type=ct, object_id=str(subject.pk), status__in=pending):
        deadline_waive(deadline=deadline, reason=reason, by=by, now=now)
        count += 1
    return count


# --- The sweep -----------------------------------------------------------------------------------------------------


def _office_users(deadline: Deadline, roles) -> list:
    """Members of the deadline's unit with ``roles``: the commune's office, or above communes the roles held at
    the unit itself (a district contest's judges)."""
    if deadline.commune_id is not None:
        return lookups.member_users(deadline.commune_id, *roles)
    return lookups.member_users(deadline.unit, *roles)


def _reminded(deadline: Deadline) -> list:
    """Who a reminder reaches: the person responsible, and whoever the subject's app adds for this rule."""
    from portal import registry

    return _responsible(deadline) + registry.deadline_recipients(deadline)


def _responsible(deadline: Deadline) -> list:
    if deadline.assignee_id:
        return [deadline.assignee]
    if deadline.village_id:
        heads = lookups.village_heads(deadline.village_id)
        if heads:
            return heads
    if deadline.commune_id is None:  # above communes: whoever runs it there (judges), else the overseers
        return _office_users(deadline, [Role.JUDGE]) or _office_users(deadline, [Role.OVERSEER])
    return _office_users(deadline, [Role.STAFF])


@dataclass
class SweepResult:
    reminded: int = 0
    due_reminded: int = 0
    escalated: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "reminded": self.reminded,
            "due_reminded": self.due_reminded,
            "escalated": self.escalated,
            "failed": self.failed,
        }


def sweep_candidates(today: dt.date):
    """Open deadlines that may need an action today: the indexed part of the sweep."""
    horizon = workdays.add_working_days(today, statutes.REMINDER_WORKING_DAYS_BEFORE)
    return (
        Deadline.objects.filter(status=Deadline.Status.OPEN, due_date__lte=horizon)
        .filter(
            Q(reminder_sent_at__isnull=True)
            | Q(due_reminder_sent_at__isnull=True, due_date__lte=today)
            | Q(escalated_at__isnull=True, due_date__lt=today)
        )
        .order_by("due_date", "id")
    )


SWEEP_TIME_BUDGET = 240.0  # seconds per run: below django-q2's task timeout (300 s), the next run goes on


def deadline_sweep(
    *, now: dt.datetime | None = None, batch: int = 500, time_budget: float = SWEEP_TIME_BUDGET
) -> SweepResult:
    """Handle every due deadline, ``batch`` at a time, until none is left or ``time_budget`` seconds have passed.

    A backlog (5,000 deadlines of a province's communes after an outage) is drained in one run, not 500 per run;
    a deadline that fails is logged, skipped for the rest of this run and retried next run.
    """
    now = now or timezone.now()
    today = _today(now)
    result = SweepResult()
    started = time.monotonic()
    seen: set[int] = set()
    while time.monotonic() - started < time_budget:
        ids = list(sweep_candidates(today).exclude(pk__in=seen).values_list("pk", flat=True)[:batch])
        if not ids:
            break
        seen.update(ids)
        for pk in ids:
            _sweep_pk(pk, today=today, now=now, result=result)
    return result


def _sweep_pk(pk: int, *, today: dt.date, now: dt.datetime, result: SweepResult) -> None:
    try:
        with transaction.atomic():
            deadline = (
                # of=("self",): lock only the deadline; PostgreSQL refuses FOR UPDATE on the nullable side of
                # the outer join that select_related("assignee") adds.
                Deadline.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, status=Deadline.Status.OPEN)
                .select_related("assignee")
                .first()
            )
            if deadline is None:  # handled meanwhile by another worker, or closed
                return
            _sweep_one(deadline, today=today, now=now, result=result)
    except Exception:
        # One broken deadline must not block every deadline after it, run after run: its transaction is
        # rolled back (nothing recorded), it is retried next run, and the error is logged.
        logger.exception("deadline sweep failed for deadline %s", pk)
        result.failed += 1


def _legal_source(rule_code: str) -> str:
    try:
        return statutes.get(rule_code).legal_source
    except KeyError:  # a rule renamed or removed after its deadlines were opened
        return rule_code


def _sweep_one(deadline: Deadline, *, today: dt.date, now: dt.datetime, result: SweepResult) -> None:
    due = deadline.due_date
    when = f"{due:%d/%m/%Y}"
    fields: list[str] = []
    if today > due:
        if deadline.escalated_at is None:
            leaders = _office_users(deadline, [Role.LEADER, Role.MTTQ, Role.OVERSEER])
            notify(
                recipients=leaders + _responsible(deadline),
                title=f"Quá hạn: {deadline.title}",
                body=f"Hạn {when} đã qua mà việc chưa hoàn thành. Căn cứ: {_legal_source(deadline.rule_code)}.",
                url=deadline.url,
                key=f"deadline:{deadline.pk}:escalated",
                now=now,
            )
            deadline.escalated_at = now
            deadline.status = Deadline.Status.MISSED
            fields += ["escalated_at", "status"]
            result.escalated += 1
            audit_record(
                actor=None,
                action="deadline.missed",
                obj=deadline,
                now=now,
                changes={"status": [Deadline.Status.OPEN, Deadline.Status.MISSED]},
            )
    elif today == due:
        if deadline.due_reminder_sent_at is None:
            notify(
                recipients=_reminded(deadline),
                title=f"Hôm nay là hạn: {deadline.title}",
                body=f"Hạn chót {when}.",
                url=deadline.url,
                key=f"deadline:{deadline.pk}:due",
                now=now,
            )
            deadline.due_reminder_sent_at = now
            fields.append("due_reminder_sent_at")
            result.due_reminded += 1
        if deadline.reminder_sent_at is None:  # created too late for the early reminder: do not send it now
            deadline.reminder_sent_at = now
            fields.append("reminder_sent_at")
    elif deadline.reminder_sent_at is None:
        left = workdays.working_days_between(today, due)
        notify(
            recipients=_reminded(deadline),
            title=f"Sắp đến hạn ({left} ngày làm việc): {deadline.title}",
            body=f"Hạn {when}.",
            url=deadline.url,
            key=f"deadline:{deadline.pk}:reminder",
            now=now,
        )
        deadline.reminder_sent_at = now
        fields.append("reminder_sent_at")
        result.reminded += 1
    if fields:
        deadline.save(update_fields=fields)


PREVIEW_LIMIT = 300  # rows on the preview page: the soonest first


def _reminder_day(due: dt.date) -> dt.date:
    """The first day the sweep sends the early reminder: ``due`` within REMINDER_WORKING_DAYS_BEFORE working days."""
    day = workdays.add_working_days(due, -statutes.REMINDER_WORKING_DAYS_BEFORE)
    while workdays.add_working_days(day, statutes.REMINDER_WORKING_DAYS_BEFORE) < due:
        day += dt.timedelta(days=1)
    return day


def sweep_preview(deadlines, *, today: dt.date, until: dt.date) -> list:
    """What ``deadline_sweep`` will do to the open ``deadlines`` (a queryset the viewer may read) from ``today`` to
    ``until``: the early reminder, the reminder on the due day, the escalation the day after. One query."""
    from portal.registry import SweepStep

    horizon = workdays.add_working_days(until, statutes.REMINDER_WORKING_DAYS_BEFORE)
    rows = deadlines.filter(status=Deadline.Status.OPEN, due_date__lte=horizon).order_by("due_date", "id")
    steps = []
    for d in rows[:PREVIEW_LIMIT]:
        due, when = d.due_date, f"hạn {d.due_date:%d/%m/%Y}"
        if d.reminder_sent_at is None and today < due:
            steps.append(SweepStep(max(_reminder_day(due), today), "Nhắc trước hạn", d.title, d.url, when))
        if d.due_reminder_sent_at is None and today <= due:
            steps.append(SweepStep(due, "Nhắc đúng ngày hạn", d.title, d.url, when))
        if d.escalated_at is None:
            after = max(due + dt.timedelta(days=1), today)
            steps.append(
                SweepStep(after, "Báo quá hạn cho lãnh đạo, chuyển sang “Quá hạn”", d.title, d.url, when)
            )
    return [s for s in steps if s.on <= until]
