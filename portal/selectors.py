"""Reads of the portal core, always filtered by what the viewer may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from portal import lookups, workdays
from portal.access import access_for
from portal.models import AdministrativeUnit, AuditEvent, Deadline, Notification, Role


def deadline_list(
    *,
    user,
    status: str | None = None,
    due_before: dt.date | None = None,
    mine: bool = False,
    pending: bool = False,
) -> QuerySet[Deadline]:
    """Deadlines the viewer may read. ``mine``: those the viewer answers for (assigned to them; unassigned ones of
    their village as village head or of their commune office as staff). ``pending``: open or missed."""
    access = access_for(user)
    qs = Deadline.objects.select_related("unit", "commune", "village", "assignee", "content_type")
    if not access.is_superuser:
        qs = qs.filter(
            Q(commune_id__in=access.readable_commune_ids())
            | Q(unit_id__in=access.readable_unit_ids())
            | Q(village_id__in=access.headed_village_ids)
        )
    if mine:
        qs = qs.filter(
            Q(assignee_id=getattr(user, "pk", None))
            | Q(assignee__isnull=True, village_id__in=access.headed_village_ids)
            | Q(assignee__isnull=True, village__isnull=True, commune_id__in=access.commune_ids(Role.STAFF))
        )
    if pending:
        qs = qs.filter(status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED])
    if status:
        qs = qs.filter(status=status)
    if due_before:
        qs = qs.filter(due_date__lte=due_before)
    return qs.order_by("due_date", "id")


# The windows of the homes and of the deadline list's "han" filter (display choices, not statutory periods).
OLD_OVERDUE_DAYS = 30
DUE_SOON_WORKING_DAYS = 5
DEADLINE_WINDOWS = {
    "overdue": "Quá hạn (trong 30 ngày qua)",
    "week": "Đến hạn trong tuần",
    "old": "Quá hạn từ lâu (trên 30 ngày)",
    "later": "Hạn sau tuần này",
}


def deadline_windows(today: dt.date) -> dict[str, dt.date]:
    return {
        "old_before": today - dt.timedelta(days=OLD_OVERDUE_DAYS),
        "horizon": workdays.add_working_days(today, DUE_SOON_WORKING_DAYS),
    }


def deadline_in_window(qs: QuerySet[Deadline], window: str, today: dt.date) -> QuerySet[Deadline]:
    """Pending deadlines of ``qs`` in one window of the homes (see ``DEADLINE_WINDOWS``)."""
    edges = deadline_windows(today)
    qs = qs.filter(status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED])
    if window == "overdue":
        return qs.filter(due_date__lt=today, due_date__gte=edges["old_before"])
    if window == "week":
        return qs.filter(due_date__gte=today, due_date__lte=edges["horizon"])
    if window == "old":
        return qs.filter(due_date__lt=edges["old_before"])
    if window == "later":
        return qs.filter(due_date__gt=edges["horizon"])
    return qs


def deadline_get(*, user, pk: int) -> Deadline:
    return deadline_list(user=user).get(pk=pk)


def deadlines_due_this_week(*, user, today: dt.date) -> QuerySet[Deadline]:
    horizon = workdays.add_working_days(today, 5)
    return deadline_list(user=user, due_before=horizon).filter(
        status__in=[Deadline.Status.OPEN, Deadline.Status.MISSED]
    )


def audit_list(*, user) -> QuerySet[AuditEvent]:
    access = access_for(user)
    qs = AuditEvent.objects.select_related("actor", "content_type", "commune")
    if not access.is_superuser:
        qs = qs.filter(commune_id__in=access.readable_commune_ids())
    return qs


def notification_list(*, user, topic: str | None = None) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first; ``topic`` keeps one workflow's."""
    qs = Notification.objects.filter(recipient=user)
    if topic is not None:
        qs = qs.filter(topic=topic)
    return qs.annotate(
        unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    ).order_by("-unread", "-created_at", "-id")


def notification_topic_counts(*, user) -> list[dict]:
    """Per topic: how many notifications and how many unread (one query), topics with unread ones first."""
    return list(
        Notification.objects.filter(recipient=user)
        .values("topic")
        .annotate(total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)))
        .order_by("-unread", "topic")
    )


def village_list(*, commune: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    return lookups.villages(commune)


def commune_list_overseen(*, user) -> QuerySet[AdministrativeUnit]:
    access = access_for(user)
    qs = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE)
    if not access.is_superuser:
        qs = qs.filter(pk__in=access.overseen_commune_ids)
    return qs.annotate(
        open_deadlines=Count("deadlines", filter=Q(deadlines__status=Deadline.Status.OPEN)),
        missed_deadlines=Count("deadlines", filter=Q(deadlines__status=Deadline.Status.MISSED)),
    ).order_by("name")
