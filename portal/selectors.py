"""Reads of the portal core, always filtered by what the viewer may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from portal import workdays
from portal.access import access_for
from portal.models import AdministrativeUnit, AuditEvent, Deadline, Notification


def deadline_list(
    *, user, status: str | None = None, due_before: dt.date | None = None
) -> QuerySet[Deadline]:
    access = access_for(user)
    qs = Deadline.objects.select_related("commune", "village", "assignee", "content_type")
    if not access.is_superuser:
        qs = qs.filter(
            Q(commune_id__in=access.readable_commune_ids()) | Q(village_id__in=access.headed_village_ids)
        )
    if status:
        qs = qs.filter(status=status)
    if due_before:
        qs = qs.filter(due_date__lte=due_before)
    return qs.order_by("due_date", "id")


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


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def village_list(*, commune: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(
        parent=commune, level=AdministrativeUnit.Level.VILLAGE, active=True
    ).order_by("name")


def commune_list_overseen(*, user) -> QuerySet[AdministrativeUnit]:
    access = access_for(user)
    qs = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE)
    if not access.is_superuser:
        qs = qs.filter(pk__in=access.overseen_commune_ids)
    return qs.annotate(
        open_deadlines=Count("deadlines", filter=Q(deadlines__status=Deadline.Status.OPEN)),
        missed_deadlines=Count("deadlines", filter=Q(deadlines__status=Deadline.Status.MISSED)),
    ).order_by("name")
