"""The portal core's own menu entries, home panels and audit labels (registered from ``PortalConfig.ready``).

The deadline panel leads every working home with what waits for THIS person: overdue (the last
``selectors.OLD_OVERDUE_DAYS`` days, listed), due within ``DUE_SOON_WORKING_DAYS`` working days, and one line summarizing older
overdue work, so that rows overdue since 2024 never bury current work.
"""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from portal import generations, registry, selectors
from portal.models import AdministrativeUnit, CalendarDay, Deadline, Membership, Notification, Role


def _deadline_item(d) -> registry.WorkItem:
    return registry.WorkItem(title=d.title, url=d.url, due=d.due_date, note=str(d.village or ""))


def _list_url(**params: str) -> str:
    return reverse("deadline_list") + "?" + urlencode(params)


def my_deadlines(request, access, **kw) -> registry.WorkList | None:
    """Deadlines this person answers for, by bucket; plus the commune-wide totals for readers."""
    if not access.is_authenticated or not (
        access.has_role(Role.STAFF, Role.LEADER, Role.MTTQ, Role.UNION, Role.RADIO, Role.VILLAGE_HEAD)
    ):
        return None
    today = timezone.localdate()
    windows = selectors.deadline_windows(today)
    mine = selectors.deadline_list(user=request.user, mine=True, pending=True)
    groups = [
        registry.work_group(
            label="Quá hạn",
            kind="overdue",
            queryset=selectors.deadline_in_window(mine, "overdue", today).order_by("-due_date", "id"),
            item=_deadline_item,
            more_url=_list_url(viec="toi", han="qua-han"),
        ),
        registry.work_group(
            label="Đến hạn trong tuần",
            kind="due",
            queryset=selectors.deadline_in_window(mine, "week", today),
            item=_deadline_item,
            more_url=_list_url(viec="toi", han="tuan-nay"),
        ),
    ]
    old = selectors.deadline_in_window(mine, "old", today).aggregate(n=Count("id"), oldest=Min("due_date"))
    summary = summary_url = ""
    if old["n"]:
        summary = (
            f"Còn {old['n']} việc quá hạn từ trước {windows['old_before']:%d/%m/%Y} "
            f"(cũ nhất: hạn {old['oldest']:%d/%m/%Y}) — xem và xử lý riêng."
        )
        summary_url = _list_url(viec="toi", han="qua-han-cu")
    links = []
    if access.readable_commune_ids():
        totals = selectors.deadline_list(user=request.user, pending=True).aggregate(
            n=Count("id"), late=Count("id", filter=Q(due_date__lt=today))
        )
        if totals["n"]:
            links.append(
                (
                    f"Toàn xã: {totals['n']} việc đang chờ, {totals['late']} quá hạn",
                    reverse("deadline_list") + "?status=open",
                )
            )
    title = "Việc cần làm ở thôn" if kw.get("home") == "village" else "Thời hạn của tôi"
    return registry.WorkList(
        title=title,
        groups=groups,
        summary=summary,
        summary_url=summary_url,
        links=links,
        empty="Không có việc nào của bạn quá hạn hay đến hạn trong tuần này.",
    )


def unread_notifications(request, access, **kw) -> registry.WorkList | None:
    """Unread notifications by topic (one query): a line per workflow, not a list of every message."""
    if not access.is_authenticated:
        return None
    topics = [t for t in selectors.notification_topic_counts(user=request.user) if t["unread"]]
    if not topics:
        return None
    base = reverse("notification_list")
    items = [
        registry.WorkItem(
            title=f"{registry.notification_topic_label(t['topic'])}: {t['unread']} chưa đọc",
            url=f"{base}?{urlencode({'chu-de': t['topic']})}",
        )
        for t in topics[: registry.PANEL_CAP]
    ]
    group = registry.WorkGroup(
        label="Chưa đọc", count=sum(t["unread"] for t in topics), items=items, kind="info", more_url=base
    )
    return registry.WorkList(title="Thông báo mới", groups=[group])


def _is_staff_user(user) -> bool:
    return bool(getattr(user, "is_staff", False))


def _deadline_preview(user, *, today, until):
    from portal.deadlines import sweep_preview

    return sweep_preview(selectors.deadline_list(user=user), today=today, until=until)


def register() -> None:
    r = registry
    r.register_sweep_preview(
        "portal.deadlines",
        label="Nhắc hạn và báo quá hạn",
        task="portal.tasks.sweep_deadlines",
        preview=_deadline_preview,
    )
    r.register_menu(name="portal.home", label="Trang của tôi", url_name="home", order=0)
    r.register_menu(
        name="portal.deadlines",
        label="Thời hạn",
        url_name="deadline_list",
        perm="portal.view_deadline",
        order=80,
    )

    def unread(request) -> int:
        from portal.context_processors import unread_count

        return unread_count(request)

    r.register_menu(
        name="portal.notifications", label="Thông báo", url_name="notification_list", order=90, badge=unread
    )
    r.register_menu(
        name="portal.sweeps",
        label="Việc hệ thống tự làm",
        url_name="sweep_preview",
        roles={Role.STAFF, Role.LEADER},
        group="tools",
    )
    r.register_menu(
        name="portal.audit",
        label="Nhật ký thay đổi",
        url_name="audit_list",
        perm="portal.view_audit",
        group="tools",
    )
    r.register_menu(
        name="portal.lookup",
        label="Tra cứu ý kiến, kiến nghị",
        url_name="intake_lookup",
        group="public",
        order=30,
    )
    r.register_menu(name="portal.calendar", label="Lịch làm việc", url_name="workday_calendar", group="tools")
    r.register_menu(
        name="portal.admin",
        label="Quản trị",
        url_name="admin:index",
        when=_is_staff_user,
        group="tools",
        order=200,
    )
    # Cached (portal/generations.py): a deadline's unit, village and assignee; a unit's name (the village note);
    # a membership (who answers for the commune's unassigned deadlines); a calendar day (a holiday moves the
    # "this week" horizon, counted in working days: every home). Notifications: their recipient.
    r.register_panel(
        name="portal.deadlines",
        homes={"staff", "village", "mttq"},
        context=my_deadlines,
        order=10,
        reads=[Deadline, AdministrativeUnit, Membership, (CalendarDay, lambda day: [generations.ALL])],
    )
    r.register_panel(
        name="portal.notifications",
        homes={"staff", "village", "mttq", "overseer"},
        context=unread_notifications,
        order=90,
        reads=[Notification, Membership],
    )
    r.register_notification_topics({"deadline": "Thời hạn"})
    r.register_audit_labels(
        {
            "deadline.open": "Mở thời hạn",
            "deadline.met": "Ghi nhận hoàn thành thời hạn",
            "deadline.missed": "Ghi nhận quá hạn",
            "deadline.waived": "Miễn thời hạn (có lý do)",
            "deadline.cancelled": "Hủy thời hạn",
        },
        objects={"deadline": "thời hạn"},
    )
