"""Menus, home panels and audit verb labels, registered by each app in its ``AppConfig.ready``.

The base menu, every role home and the audit log render from these registries: nothing about a feature app is
hard-coded in ``portal/`` templates, and a person sees a link only when they may open it.

Register in ``<app>/apps.py``::

    class DialoguesConfig(AppConfig):
        name = "dialogues"

        def ready(self):
            from dialogues import panels, rules  # noqa: F401  (rules registers the permissions)
            from portal import registry
            from portal.models import Role

            # A menu entry: shown when ``perm`` (django-rules, no object) and ``when`` both allow it.
            registry.register_menu(
                name="dialogues.list",            # unique; registering the same name twice keeps the first
                label="Đối thoại",
                url_name="dialogues:list",        # reverse()d; url_kwargs={...} for a pattern with arguments
                perm="dialogues.view_dialogue",   # optional: user.has_perm(perm) without an object
                roles={Role.STAFF, Role.LEADER},  # optional: the person holds one of these roles somewhere
                when=None,                        # optional: callable(user) -> bool (a rules predicate works)
                order=40,                         # lower first
                group="main",                     # "main" = the top menu; "tools" = the links under a home
            )
            # A home panel: a function (request, access, **kw) -> WorkList | dict | None.
            registry.register_panel(
                name="dialogues.waiting",
                homes={"staff", "mttq"},          # staff (/bang-dieu-khien/), village, mttq, overseer, public
                context=panels.waiting,           # returns registry.WorkList (rendered by the shared template)
                roles={Role.STAFF, Role.LEADER, Role.MTTQ},
                order=30,
            )
            # Audit verbs in Vietnamese (the audit log shows the label; an unknown verb is made readable).
            registry.register_audit_labels({
                "dialogue.created": "Tạo cuộc đối thoại",
                "dialogue.held": "Ghi nhận đã tổ chức đối thoại",
            })

and a panel function, two queries per group whatever the data size::

    def waiting(request, access, **kw):
        qs = selectors.dialogue_list(user=request.user).filter(status="needs_reply").order_by("due_on")
        return registry.WorkList(
            title="Đối thoại",
            groups=[
                registry.work_group(
                    label="Chờ tôi trả lời", kind="action", queryset=qs,
                    item=lambda d: registry.WorkItem(title=d.title, url=d.get_absolute_url(), due=d.due_on),
                    more_url=reverse("dialogues:list") + "?cho=tra-loi",
                ),
            ],
        )

A panel returning a ``dict`` keeps its own ``template=`` (the older style); returning None hides it. Panel
functions must run a constant number of queries and decide by ``access`` whether they concern the person.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

# How many rows a home panel lists per group before "xem tất cả (N)".
PANEL_CAP = 5
WORK_COUNT_LIMIT = 1000  # a home's group counts up to this, then says "hơn 1000"
WORK_TEMPLATE = "includes/panel_work.html"

HOMES = frozenset({"staff", "village", "mttq", "overseer", "public"})
GROUPS = frozenset({"main", "tools", "public"})


# --------------------------------------------------------------------------------------------------- menus


@dataclass(frozen=True)
class MenuEntry:
    name: str
    label: str
    url_name: str
    url_kwargs: dict[str, Any] = field(default_factory=dict)
    perm: str | None = None
    roles: frozenset[str] | None = None
    when: Callable | None = None
    order: int = 100
    group: str = "main"
    badge: Callable | None = None  # callable(request) -> int shown next to the label when > 0

    def allowed(self, user, access) -> bool:
        if self.group == "public":
            return not getattr(user, "is_authenticated", False)
        if not getattr(user, "is_authenticated", False):
            return False
        if self.roles is not None and not (access.is_superuser or access.role_set & self.roles):
            return False
        if self.perm and not user.has_perm(self.perm):
            return False
        return not (self.when is not None and not self.when(user))

    def url(self) -> str:
        return reverse(self.url_name, kwargs=self.url_kwargs or None)


_MENU: dict[str, MenuEntry] = {}


def register_menu(
    *,
    name: str,
    label: str,
    url_name: str,
    url_kwargs: dict[str, Any] | None = None,
    perm: str | None = None,
    roles: Iterable[str] | None = None,
    when: Callable | None = None,
    order: int = 100,
    group: str = "main",
    badge: Callable | None = None,
) -> None:
    """Add a menu entry (see the module docstring). ``group="public"`` entries show only to anonymous visitors."""
    if group not in GROUPS:
        raise ValueError(f"unknown menu group {group!r}; one of {sorted(GROUPS)}")
    _MENU.setdefault(
        name,
        MenuEntry(
            name=name,
            label=label,
            url_name=url_name,
            url_kwargs=dict(url_kwargs or {}),
            perm=perm,
            roles=frozenset(str(r) for r in roles) if roles is not None else None,
            when=when,
            order=order,
            group=group,
            badge=badge,
        ),
    )


def menu_entries() -> list[MenuEntry]:
    return sorted(_MENU.values(), key=lambda e: (e.order, e.name))


def menu_raw(user, access, group: str) -> list[tuple[str, str, str]]:
    """``(name, label, url)`` of the entries of ``group`` this person may open: what ``menu_for`` shows before the
    per-request parts. A function of the person only (roles, permissions without an object, ``when(user)``), so
    ``portal.principal`` keeps it with the person's cached memberships."""
    shown = []
    for entry in menu_entries():
        if entry.group != group or not entry.allowed(user, access):
            continue
        try:
            url = entry.url()
        except (
            NoReverseMatch
        ):  # an app registered an entry whose URL it does not (yet) serve: never a dead link
            continue
        shown.append((entry.name, entry.label, url))
    return shown


MENU_GROUPS_SIGNED_IN = ("main", "tools")  # "public" shows to anonymous visitors only
_ANONYMOUS_MENUS: dict[str, list[tuple[str, str, str]]] = {}


def menu_for(request, *, group: str = "main") -> list[dict]:
    """The entries of ``group`` this person may open: ``[{name, label, url, current, badge}]``."""
    from portal.access import access_for

    user = getattr(request, "user", None)
    signed_in = getattr(user, "is_authenticated", False)
    raw = (
        (getattr(user, "_portal_menus", None) or {}).get(group) if signed_in else _ANONYMOUS_MENUS.get(group)
    )
    if raw is None:
        raw = menu_raw(user, access_for(user), group)
        if not signed_in:  # the same for every anonymous visitor: once per process
            _ANONYMOUS_MENUS[group] = raw
    path = getattr(request, "path", "")
    shown = []
    for name, label, url in raw:
        entry = _MENU.get(name)
        shown.append(
            {
                "name": name,
                "label": label,
                "url": url,
                "current": url != "/" and path.startswith(url),
                "badge": entry.badge(request) if entry is not None and entry.badge else 0,
            }
        )
    return shown


# ----------------------------------------------------------------------------------------------- home panels


@dataclass
class WorkItem:
    """One row of a home panel: what it is, where to act, when it is due."""

    title: str
    url: str = ""
    due: dt.date | None = None
    note: str = ""


@dataclass
class WorkGroup:
    """A workflow bucket of a panel: ``kind`` is "overdue", "due" (this week), "action" (waits for me) or "info"."""

    label: str
    count: int
    items: list[WorkItem]
    kind: str = "action"
    more_url: str = ""
    count_more: bool = False  # there are more than ``count`` (the bounded count of work_group)

    @property
    def count_label(self) -> str:
        return f"hơn {self.count}" if self.count_more else str(self.count)

    @property
    def more(self) -> bool:
        return bool(self.more_url) and (self.count_more or self.count > len(self.items))


@dataclass
class WorkList:
    """What a registered panel returns: a title, groups with counts and at most ``PANEL_CAP`` rows each."""

    title: str
    groups: list[WorkGroup] = field(default_factory=list)
    summary: str = ""  # one line under the title (e.g. "40 việc quá hạn từ trước 31/10/2026")
    summary_url: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) under the panel
    empty: str = "Không có việc nào đang chờ."

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def total_label(self) -> str:
        return f"hơn {self.total}" if any(g.count_more for g in self.groups) else str(self.total)

    @property
    def shown_groups(self) -> list[WorkGroup]:
        return [g for g in self.groups if g.count]


def work_group(
    *,
    label: str,
    queryset,
    item: Callable[[Any], WorkItem],
    kind: str = "action",
    more_url: str = "",
    cap: int = PANEL_CAP,
    count_limit: int = WORK_COUNT_LIMIT,
) -> WorkGroup:
    """List the first ``cap`` rows of ``queryset`` and count them up to ``count_limit`` ("hơn 1000"): two queries,
    each reading at most ``count_limit + 1`` index entries whatever the size of the set (a home with 100,000
    unassigned petitions costs what it costs with 100). A window count in the page query was tried and dropped:
    PostgreSQL then reads and sorts the whole set before the LIMIT."""
    rows = list(queryset[:cap])
    # always: a home's query count must not depend on the data
    count = queryset.order_by().values("pk")[: count_limit + 1].count()
    more = count > count_limit
    return WorkGroup(
        label=label,
        count=min(count, count_limit),
        items=[item(r) for r in rows],
        kind=kind,
        more_url=more_url,
        count_more=more,
    )


@dataclass(frozen=True)
class Panel:
    name: str
    homes: frozenset[str]
    context: Callable
    template: str = WORK_TEMPLATE
    roles: frozenset[str] | None = None
    perm: str | None = None
    order: int = 100
    cached: bool = False  # declared what it reads: served from the home's cache entry (portal/generations.py)


_PANELS: dict[str, Panel] = {}


def register_panel(
    *,
    name: str,
    homes: Iterable[str],
    context: Callable,
    template: str = WORK_TEMPLATE,
    roles: Iterable[str] | None = None,
    perm: str | None = None,
    order: int = 100,
    reads: Iterable | None = None,
) -> None:
    """Add a panel to the role homes in ``homes`` (see the module docstring).

    ``reads``: every model whose rows the panel shows (a model, or ``(model, scopes)`` for a model whose foreign
    keys do not name its unit, see ``portal.generations.watch``). A panel that declares it is rendered once and
    served from the cache until one of those rows changes (``portal/generations.py``); it must return a
    ``WorkList`` (or None) that depends only on the person, their roles, the models read and today's date. Without
    ``reads`` the panel runs on every request."""
    from portal import generations

    homes = frozenset(homes)
    if not homes <= HOMES:
        raise ValueError(f"unknown home(s) {sorted(homes - HOMES)}; one of {sorted(HOMES)}")
    if reads is not None and (template != WORK_TEMPLATE or "public" in homes):
        raise ValueError("only WorkList panels of the working homes are cached (reads=)")
    for model in reads or ():
        model, scopes = model if isinstance(model, tuple) else (model, None)
        generations.watch(model, scopes)
    _PANELS.setdefault(
        name,
        Panel(
            name=name,
            homes=homes,
            context=context,
            template=template,
            roles=frozenset(str(r) for r in roles) if roles is not None else None,
            perm=perm,
            order=order,
            cached=reads is not None,
        ),
    )


def panels_for(home: str, request, access, /, **kwargs) -> list[dict]:
    """Render data of the panels of ``home`` that concern this person: ``[{name, template, ctx, html}]``.

    Each panel function is called as ``context(request, access, home=home, **kwargs)``. The panels that declared
    ``reads`` come rendered (``html``, ``ctx`` None) from one cache entry per (home, person, day, generations of
    the person's scopes): see ``portal/generations.py``; the others run on every request (``html`` None)."""
    user = getattr(request, "user", None)
    panels = [
        panel
        for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name))
        if home in panel.homes
        and (panel.roles is None or access.is_superuser or access.role_set & panel.roles)
        and not (panel.perm and not (user is not None and user.has_perm(panel.perm)))
    ]
    cached = _cached_panels(home, request, access, kwargs, [p for p in panels if p.cached])
    shown = []
    for panel in panels:
        if cached is not None and panel.name in cached:
            if cached[panel.name]:
                shown.append(
                    {"template": WORK_TEMPLATE, "ctx": None, "name": panel.name, "html": cached[panel.name]}
                )
            continue
        ctx = panel.context(request, access, home=home, **kwargs)
        if ctx is None:
            continue
        template = WORK_TEMPLATE if isinstance(ctx, WorkList) else panel.template
        shown.append({"template": template, "ctx": ctx, "name": panel.name, "html": None})
    return shown


HOME_CACHE_VERSION = 1  # bump when the panel template or a panel's output changes shape (old entries: TTL)


def _kwargs_key(kwargs: dict) -> tuple | None:
    """A home's keyword arguments as key parts (a model instance by its label and pk), None if not keyable."""
    parts = []
    for name, value in sorted(kwargs.items()):
        if value is None or isinstance(value, str | int | dt.date):
            parts.append((name, value))
        elif hasattr(value, "_meta") and getattr(value, "pk", None) is not None:
            parts.append((name, value._meta.label_lower, value.pk))
        else:
            return None
    return tuple(parts)


class _Uncacheable(Exception):  # noqa: N818 - control flow: a panel returned a dict (rendered live)
    pass


def _cached_panels(home, request, access, kwargs, panels: list[Panel]) -> dict[str, str] | None:
    """``{panel name: rendered HTML, "" when hidden}`` of the cached panels, from the cache or rendered now."""
    from django.template.defaultfilters import slugify
    from django.template.loader import render_to_string
    from django.utils import timezone

    from portal import generations

    if not panels:
        return None
    scopes = generations.person_scopes(access)
    kwargs_key = _kwargs_key(kwargs)
    if scopes is None or kwargs_key is None or generations.written(scopes):
        return None

    def build() -> dict[str, str]:
        rendered = {}
        for panel in panels:
            ctx = panel.context(request, access, home=home, **kwargs)
            if ctx is None:
                rendered[panel.name] = ""
            elif isinstance(ctx, WorkList):
                rendered[panel.name] = render_to_string(
                    WORK_TEMPLATE, {"ctx": ctx, "panel_id": slugify(panel.name)}
                )
            else:  # a dict despite reads=: rendered live as before, never cached
                raise _Uncacheable
        return rendered

    parts = (
        HOME_CACHE_VERSION,
        home,
        access.user.pk,
        timezone.localdate(),
        kwargs_key,
        tuple(p.name for p in panels),
    )
    try:  # the scopes' generations and the panels in one cache round trip
        rendered = generations.cached("home", parts, scopes, build)
    except _Uncacheable:
        return None
    return {name: mark_safe(html) for name, html in rendered.items()}  # noqa: S308 - autoescaped template output


# ---------------------------------------------------------------------------------------------- audit labels


_AUDIT_LABELS: dict[str, str] = {}
_OBJECT_LABELS: dict[str, str] = {}


def register_audit_labels(labels: dict[str, str], *, objects: dict[str, str] | None = None) -> None:
    """Vietnamese labels for audit verbs (``"consultation.published": "Công bố lấy ý kiến"``).

    ``objects`` names the verb prefixes (``{"consultation": "cuộc lấy ý kiến"}``) for the fallback of verbs
    without a label of their own.
    """
    for verb, label in labels.items():
        _AUDIT_LABELS.setdefault(verb, label)
    for prefix, label in (objects or {}).items():
        _OBJECT_LABELS.setdefault(prefix, label)


_FALLBACK_VERBS = {
    "created": "Tạo",
    "create": "Tạo",
    "updated": "Sửa",
    "update": "Sửa",
    "changed": "Sửa",
    "deleted": "Xóa",
    "published": "Công bố",
    "opened": "Mở",
    "closed": "Đóng",
    "approved": "Duyệt",
    "rejected": "Từ chối",
    "signed": "Ký",
    "issued": "Ban hành",
    "cancelled": "Hủy",
    "canceled": "Hủy",
    "met": "Hoàn thành",
    "missed": "Quá hạn",
    "waived": "Miễn",
    "confirmed": "Xác nhận",
    "hidden": "Ẩn",
    "answered": "Trả lời",
    "submitted": "Gửi",
    "assigned": "Giao",
    "recorded": "Ghi nhận",
    "imported": "Nhập",
    "logged": "Ghi nhận",
    "adopted": "Thông qua",
    "reported": "Báo cáo",
}


def audit_label(verb: str) -> str:
    """The Vietnamese label of an audit verb; an unregistered one is still made readable (never a raw code)."""
    if verb in _AUDIT_LABELS:
        return _AUDIT_LABELS[verb]
    prefix, _, rest = verb.rpartition(".")
    last = rest.lower()
    what = _OBJECT_LABELS.get(prefix) or _OBJECT_LABELS.get(prefix.split(".")[0]) or ""
    action = _FALLBACK_VERBS.get(last)
    if action is None:
        action = re.sub(r"[_\-]+", " ", rest).strip().capitalize() or verb
    return f"{action} {what}".strip() if what else action


def audit_labels() -> dict[str, str]:
    return dict(_AUDIT_LABELS)


# ----------------------------------------------------------------------------------------- notification topics


_TOPICS: dict[str, str] = {}


def register_notification_topics(labels: dict[str, str]) -> None:
    """Labels of notification topics (``{"consultation": "Lấy ý kiến"}``): the inbox groups by topic."""
    for topic, label in labels.items():
        _TOPICS.setdefault(topic, label)


def notification_topic_label(topic: str) -> str:
    if not topic:
        return "Khác"
    return _TOPICS.get(topic) or re.sub(r"[_\-]+", " ", topic).capitalize()


# --------------------------------------------------------------------------------------------------- documents

_ISSUE_CHECKS: dict[str, Callable] = {}


def register_document_issue_check(name: str, check: Callable) -> None:
    """A feature app's conditions on signing a document it generated: ``check(document, *, today) -> list[str]``
    returns the unmet conditions in Vietnamese (each naming its article), [] when the document is not the app's.
    ``portal.documents.services.document_issue`` refuses to sign while any is unmet; the document page lists them
    above the button (e.g. a consultation's KẾ HOẠCH while its window breaks Điều 28 khoản 2)."""
    _ISSUE_CHECKS.setdefault(name, check)


def document_issue_problems(document, *, today: dt.date) -> list[str]:
    problems: list[str] = []
    for check in _ISSUE_CHECKS.values():
        problems += [p for p in check(document, today=today) if p not in problems]
    return problems


_ISSUED_HOOKS: dict[str, Callable] = {}


def register_document_issued(name: str, hook: Callable) -> None:
    """A feature app's follow-up once a document is issued or registered as issued: ``hook(document, *, by, now)``
    (e.g. a dialogue's notice, publicized while still a draft, gets the issued document attached). Called inside the
    issuing transaction; a hook ignores documents that are not its app's."""
    _ISSUED_HOOKS.setdefault(name, hook)


def document_issued(document, *, by, now) -> None:
    for hook in _ISSUED_HOOKS.values():
        hook(document, by=by, now=now)


# ------------------------------------------------------------------------------------------ deadline recipients

_DEADLINE_RECIPIENTS: dict[str, Callable] = {}


def register_deadline_recipients(rule_code: str, recipients: Callable) -> None:
    """Who else a deadline's reminders reach besides the person responsible: ``recipients(deadline) -> users``
    (e.g. a contest's registration deadline also reminds the communes that have not registered yet). The sweep
    adds them to the early reminder and the due-day reminder; each person is told once per reminder."""
    _DEADLINE_RECIPIENTS.setdefault(rule_code, recipients)


def deadline_recipients(deadline) -> list:
    extra = _DEADLINE_RECIPIENTS.get(deadline.rule_code)
    return list(extra(deadline)) if extra else []


# ------------------------------------------------------------------------------------------ sweep previews


@dataclass(frozen=True)
class SweepStep:
    """Something a scheduled sweep will do by itself: on ``on`` (its first run after midnight that day; a day in
    the past means "at its next run"), ``action`` to ``subject``."""

    on: dt.date
    action: str
    subject: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class SweepPreview:
    name: str
    label: str
    task: str  # the django-q2 function (portal/schedules.py) that does it
    preview: Callable  # preview(user, *, today, until) -> list[SweepStep], only what the user may read


_SWEEPS: dict[str, SweepPreview] = {}


def register_sweep_preview(name: str, *, label: str, task: str, preview: Callable) -> None:
    """What a scheduled sweep will do in the coming days, for the staff page "Việc hệ thống tự làm"."""
    _SWEEPS.setdefault(name, SweepPreview(name, label, task, preview))


def sweep_previews(user, *, today: dt.date, until: dt.date) -> list[dict]:
    """Each registered sweep with its coming steps (soonest first)."""
    return [
        {
            "name": s.name,
            "label": s.label,
            "task": s.task,
            "steps": sorted(
                s.preview(user, today=today, until=until), key=lambda step: (step.on, step.subject)
            ),
        }
        for s in _SWEEPS.values()
    ]
