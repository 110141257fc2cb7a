"""Role home pages and the portal core's pages. Views are thin: permission, selector or service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from portal import generations, selectors, workdays
from portal.access import access_for
from portal.deadlines import deadline_meet
from portal.models import AdministrativeUnit, CalendarDay, Deadline, Role
from portal.notifications import notification_groups, notification_mark_read
from portal.registry import notification_topic_label, panels_for

PAGE_SIZE = 20


def _page(request, qs, size: int = PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


@require_GET
def favicon(request):
    """``/favicon.ico``, which browsers ask for on their own and other clients too: the portal's icon (pages name it in
    ``base.html``), instead of a 404 rendered through every middleware on each first visit. A day's temporary
    redirect: the icon's static name changes with its content."""
    response = redirect(static("img/favicon.svg"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


def home(request):
    """Send each person to the home page of their role; the public sees the communes."""
    if not request.user.is_authenticated:
        communes = AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.COMMUNE, active=True
        ).select_related("parent")
        return render(request, "portal/home_public.html", {"communes": communes})
    access = access_for(request.user)
    if access.has_role(Role.STAFF, Role.LEADER, Role.RADIO, Role.JUDGE):
        return redirect("staff_dashboard")
    if access.has_role(Role.VILLAGE_HEAD):
        return redirect("my_village")
    if access.has_role(Role.MTTQ, Role.UNION):
        return redirect("mttq_review")
    if access.has_role(Role.OVERSEER):
        return redirect("overseer_home")
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "portal/home_norole.html")


def _require_role(access, *roles):
    if not (access.has_role(*roles) or access.is_superuser):
        raise PermissionDenied("Trang này dành cho vai trò khác.")


def _home_context(request, access, home: str, **kwargs) -> dict:
    """What every role home shows: the registered panels of this home, then the tools this person may open."""
    return {
        "today": timezone.localdate(),
        "panels": panels_for(home, request, access, **kwargs),
        "commune": access.home_commune,
    }


@login_required
def staff_dashboard(request):
    access = access_for(request.user)
    _require_role(access, Role.STAFF, Role.LEADER, Role.RADIO, Role.JUDGE)
    return render(request, "portal/dashboard_staff.html", _home_context(request, access, "staff"))


@login_required
def my_village(request):
    access = access_for(request.user)
    _require_role(access, Role.VILLAGE_HEAD)
    villages = [m.unit for m in access.memberships if m.role == Role.VILLAGE_HEAD]
    village = villages[0] if villages else None
    context = _home_context(request, access, "village", village=village)
    context.update({"village": village, "villages": villages})
    return render(request, "portal/my_village.html", context)


@login_required
def mttq_review(request):
    access = access_for(request.user)
    _require_role(access, Role.MTTQ, Role.UNION)
    return render(request, "portal/mttq_review.html", _home_context(request, access, "mttq"))


@login_required
def overseer_home(request):
    access = access_for(request.user)
    _require_role(access, Role.OVERSEER)
    context = _home_context(request, access, "overseer")

    def communes_table() -> str:  # reads deadlines and units, both watched (portal/generations.py)
        communes = selectors.commune_list_overseen(user=request.user)
        return render_to_string("includes/overseer_communes.html", {"communes": communes})

    context.update(
        {
            "communes_table": mark_safe(  # noqa: S308 - the autoescaped output of a template
                generations.person_cached("overseer-communes", access, (1,), communes_table)
            ),
            "units": [m.unit for m in access.memberships if m.role == Role.OVERSEER],
        }
    )
    return render(request, "portal/overseer_home.html", context)


def commune_public(request, code: str):
    commune = get_object_or_404(
        AdministrativeUnit.objects.select_related("parent"), code=code, level=AdministrativeUnit.Level.COMMUNE
    )
    context = {
        "commune": commune,
        "villages": selectors.village_list(commune=commune),
        "panels": panels_for("public", request, access_for(request.user), commune=commune),
    }
    return render(request, "portal/commune_public.html", context)


# The deadline list's filters, in the words of its URLs (links from the homes: "xem tất cả (N)").
DEADLINE_WINDOW_PARAMS = {
    "qua-han": "overdue",
    "tuan-nay": "week",
    "qua-han-cu": "old",
    "sau-tuan-nay": "later",
}


@login_required
def deadline_list(request):
    status = request.GET.get("status") or None
    if status and status not in Deadline.Status.values:
        status = None
    mine = request.GET.get("viec") == "toi"
    han = request.GET.get("han", "")
    window = DEADLINE_WINDOW_PARAMS.get(han)
    today = timezone.localdate()
    qs = selectors.deadline_list(user=request.user, status=status, mine=mine)
    if window:
        qs = selectors.deadline_in_window(qs, window, today)
        if window in {"overdue", "old"}:
            qs = qs.order_by("-due_date", "id")
    params = {
        k: v
        for k, v in (("status", status), ("viec", "toi" if mine else ""), ("han", han if window else ""))
        if v
    }
    return render(
        request,
        "portal/deadline_list.html",
        {
            "page": _page(request, qs),
            "status": status,
            "mine": mine,
            "han": han if window else "",
            "windows": [(k, selectors.DEADLINE_WINDOWS[v]) for k, v in DEADLINE_WINDOW_PARAMS.items()],
            "query": urlencode(params),
            "statuses": Deadline.Status.choices,
            "today": today,
        },
    )


@login_required
@require_POST
def deadline_resolve(request, pk: int):
    try:
        deadline = selectors.deadline_get(user=request.user, pk=pk)
    except Deadline.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm("portal.resolve_deadline", deadline):
        raise PermissionDenied("Bạn không có quyền cập nhật thời hạn này.")
    try:
        deadline_meet(deadline=deadline, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Đã ghi nhận hoàn thành.")
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse(
            "deadline_list"
        )  # a path of this site only (redirect() would reverse any other text)
    return redirect(target)


@login_required
def notification_list(request):
    topics = selectors.notification_topic_counts(user=request.user)
    known = {t["topic"] for t in topics}
    topic = request.GET.get("chu-de")
    if topic not in known:
        topic = None
    page = _page(request, selectors.notification_list(user=request.user, topic=topic))
    for t in topics:
        t["label"] = notification_topic_label(t["topic"])
    return render(
        request,
        "portal/notification_list.html",
        {
            "page": page,
            "groups": notification_groups(page.object_list),
            "topics": topics,
            "topic": topic,
            "unread_total": sum(t["unread"] for t in topics),
            "query": urlencode({"chu-de": topic}) if topic is not None else "",
        },
    )


@login_required
@require_POST
def notification_read(request):
    raw = request.POST.get("id")
    topic = request.POST.get("chu-de")
    notification_mark_read(
        user=request.user,
        notification_id=int(raw) if raw and raw.isdigit() else None,
        topic=topic[:40] if topic is not None else None,
    )
    if topic:
        return redirect(reverse("notification_list") + "?" + urlencode({"chu-de": topic[:40]}))
    return redirect("notification_list")


@login_required
def audit_list(request):
    access = access_for(request.user)
    if not (access.readable_commune_ids() or access.is_superuser):
        raise PermissionDenied("Chỉ cán bộ xã, MTTQ và cấp trên được xem nhật ký.")
    return render(
        request, "portal/audit_list.html", {"page": _page(request, selectors.audit_list(user=request.user))}
    )


@require_GET
def workday_calendar(request):
    try:
        year = int(request.GET.get("nam", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2020), 2100)
    days_off, day = [], dt.date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5 and not workdays.is_working_day(day):
            days_off.append((day, workdays.holiday_name(day)))
        day += dt.timedelta(days=1)
    make_up = CalendarDay.objects.filter(date__year=year, kind=CalendarDay.Kind.WORKING_DAY)
    return render(
        request, "portal/workday_calendar.html", {"year": year, "days_off": days_off, "make_up": make_up}
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def robots(request):  # pragma: no cover - trivial
    return HttpResponse("User-agent: *\nDisallow: /admin/\n", content_type="text/plain")


SWEEP_PREVIEW_DAYS = {"7": 7, "30": 30, "60": 60}


@login_required
@require_GET
def sweep_preview(request):
    """Việc hệ thống tự làm: what the scheduled sweeps will do in the coming days (staff and leaders)."""
    from django_q.models import Schedule

    from portal import registry
    from portal.schedules import SCHEDULES

    access = access_for(request.user)
    if not (access.is_superuser or access.commune_ids(Role.STAFF, Role.LEADER)):
        raise PermissionDenied("Chỉ cán bộ, lãnh đạo xã xem được lịch việc hệ thống tự làm.")
    days = SWEEP_PREVIEW_DAYS.get(request.GET.get("ngay", ""), 30)
    today = timezone.localdate()
    until = today + dt.timedelta(days=days)
    runs = {s.func: s for s in Schedule.objects.filter(func__in=[spec["func"] for spec in SCHEDULES])}
    sweeps = registry.sweep_previews(request.user, today=today, until=until)
    for sweep in sweeps:
        spec = next((spec for spec in SCHEDULES if spec["func"] == sweep["task"]), None)
        sweep["every"] = spec.get("minutes") if spec else None
        sweep["next_run"] = runs[sweep["task"]].next_run if sweep["task"] in runs else None
    return render(
        request,
        "portal/sweep_preview.html",
        {"sweeps": sweeps, "today": today, "until": until, "days": days, "choices": SWEEP_PREVIEW_DAYS},
    )
