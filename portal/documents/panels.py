"""Home panels of documents (portal.registry): drafts awaiting the leader's signature, overdue plan tasks.

Each group runs at most two queries whatever the data size.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone

from portal.documents.models import Document
from portal.documents.services import overdue_tasks
from portal.models import Deadline, Organization, Role
from portal.registry import WorkItem, WorkList, work_group
from portal.selectors import OLD_OVERDUE_DAYS

# What the panels read (portal/generations.py): documents (commune or unit; ``updated_at`` is also written with
# update(): see services), their issuer's name, the plans' task deadlines.
READS = [Document, Organization, Deadline]


def awaiting_signature(request, access, **kw) -> WorkList | None:
    communes = access.commune_ids(Role.LEADER)
    if not communes:
        return None
    qs = (
        Document.objects.filter(commune_id__in=communes, status=Document.Status.DRAFT)
        .select_related("issuer")
        .order_by("-updated_at", "id")
    )
    group = work_group(
        label="Chờ tôi ký",
        kind="action",
        queryset=qs,
        item=lambda d: WorkItem(
            title=f"{d.get_doc_type_display().capitalize()}: {d.title}",
            url=reverse("documents:detail", args=[d.pk]),
            note=d.issuer.short_name if d.issuer_id else "",
        ),
        more_url=reverse("documents:list") + "?status=draft",
    )
    if not group.count:
        return None
    return WorkList(title="Văn bản chờ ký", groups=[group])


def overdue_tasks_panel(request, access, **kw) -> WorkList | None:
    """Overdue tasks of issued plans: the last 30 days listed, older ones summarized in one line."""
    if kw.get("home") == "overseer":  # an upper level's own plans: their deadlines belong to its unit
        communes, units = set(), {m.unit_id for m in access.memberships if m.role == Role.OVERSEER}
    else:
        communes, units = access.commune_ids(Role.LEADER, Role.STAFF), set()
    if not (communes or units):
        return None
    today = timezone.localdate()
    old_before = today - dt.timedelta(days=OLD_OVERDUE_DAYS)
    qs = overdue_tasks(commune_ids=communes, unit_ids=units, today=today)
    recent = work_group(
        label="Quá hạn",
        kind="overdue",
        queryset=qs.filter(due_date__gte=old_before).order_by("-due_date", "id"),
        item=lambda d: WorkItem(title=d.title, url=d.url, due=d.due_date),
        more_url=reverse("deadline_list") + "?han=qua-han",
    )
    old = qs.filter(due_date__lt=old_before).aggregate(n=Count("id"), oldest=Min("due_date"))
    if not (recent.count or old["n"]):
        return None
    summary = ""
    if old["n"]:
        summary = (
            f"Còn {old['n']} nhiệm vụ quá hạn từ trước {old_before:%d/%m/%Y} "
            f"(cũ nhất: hạn {old['oldest']:%d/%m/%Y})."
        )
    return WorkList(
        title="Nhiệm vụ kế hoạch quá hạn",
        groups=[recent],
        summary=summary,
        summary_url=reverse("deadline_list") + "?han=qua-han-cu" if summary else "",
    )
