"""portal/registry.py: menus and panels show only what the person may open; audit verbs read in Vietnamese."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from portal import registry
from portal.access import access_for
from portal.models import Deadline, Role
from tests.factories import make_user
from tests.portal.factories import open_deadline

pytestmark = pytest.mark.django_db


def _menu(rf, user, group="main", path="/"):
    request = rf.get(path)
    request.user = user
    return {item["label"]: item["url"] for item in registry.menu_for(request, group=group)}


def test_each_role_sees_only_the_menu_entries_it_may_open(
    rf, staff, village_head, radio, mttq, overseer, commune
):
    judge = make_user(Role.JUDGE, commune.parent, username="giamkhao")

    assert set(_menu(rf, staff)) >= {"Trang của tôi", "Lấy ý kiến", "Văn bản", "Thời hạn", "Thông báo"}
    assert "Niêm yết" not in _menu(rf, staff) and "Truyền thanh" not in _menu(rf, staff)
    head = _menu(rf, village_head)
    assert head["Niêm yết"] == reverse("publicity:my_postings") and "Lấy ý kiến" not in head
    assert "Truyền thanh" in _menu(rf, radio)
    assert "Lấy ý kiến" in _menu(rf, mttq) and "Lấy ý kiến" in _menu(rf, overseer)
    # The judge is not linked to the audit log (403 for a judge) nor to the commune deadlines.
    assert "Nhật ký thay đổi" not in _menu(rf, judge, group="tools")
    assert "Thời hạn" not in _menu(rf, judge)
    assert "Nhật ký thay đổi" in _menu(rf, staff, group="tools")
    assert "Nhật ký thay đổi" not in _menu(rf, village_head, group="tools")


def test_anonymous_visitors_get_the_public_menu_only(rf, db):
    assert _menu(rf, AnonymousUser()) == {}
    public = _menu(rf, AnonymousUser(), group="public")
    assert public["Lấy ý kiến Nhân dân"] == reverse("consultations:public_list")


def test_the_current_page_is_marked(rf, staff):
    request = rf.get(reverse("consultations:list"))
    request.user = staff
    current = [i["label"] for i in registry.menu_for(request) if i["current"]]
    assert current == ["Lấy ý kiến"]


def test_an_entry_whose_url_does_not_exist_is_never_shown(rf, staff, monkeypatch):
    monkeypatch.setattr(registry, "_MENU", dict(registry._MENU))
    registry.register_menu(name="test.dead", label="Trang chưa có", url_name="no_such_page")
    registry.register_menu(name="test.roles", label="Chỉ MTTQ", url_name="home", roles={Role.MTTQ})
    registry.register_menu(name="test.when", label="Khi được phép", url_name="home", when=lambda u: True)
    menu = _menu(rf, staff)
    assert "Trang chưa có" not in menu and "Chỉ MTTQ" not in menu and "Khi được phép" in menu


def test_registering_rejects_unknown_homes_and_groups():
    with pytest.raises(ValueError, match="home"):
        registry.register_panel(name="x", homes={"kitchen"}, context=lambda *a, **k: None)
    with pytest.raises(ValueError, match="group"):
        registry.register_menu(name="x", label="x", url_name="home", group="side")


def test_audit_verbs_read_in_vietnamese_with_a_readable_fallback():
    assert registry.audit_label("consultation.published") == "Công bố lấy ý kiến"
    assert registry.audit_label("document.issue") == "Ban hành văn bản"
    assert registry.audit_label("deadline.met") == "Ghi nhận hoàn thành thời hạn"
    # Not registered: a known last word and a known object prefix still read as Vietnamese.
    assert registry.audit_label("consultation.cancelled") == "Hủy cuộc lấy ý kiến"
    assert registry.audit_label("widget.frobnicated") == "Frobnicated"


def test_work_group_caps_the_rows_and_counts_them_all(staff, commune):
    today = timezone.localdate()
    for i in range(8):
        open_deadline(commune=commune, trigger=today, due=today + dt.timedelta(days=i), title=f"Việc {i}")
    group = registry.work_group(
        label="Tất cả",
        queryset=Deadline.objects.order_by("due_date"),
        item=lambda d: registry.WorkItem(title=d.title),
        more_url="/thoi-han/",
    )
    assert group.count == 8 and len(group.items) == registry.PANEL_CAP and group.more
    assert [i.title for i in group.items] == [f"Việc {i}" for i in range(5)]
    assert group.count_label == "8" and not group.count_more


def test_work_group_count_is_bounded_and_says_so(staff, commune):
    """A home never counts a whole large set: past the limit it says "hơn N" (issue 13: 100,000 petitions)."""
    today = timezone.localdate()
    for i in range(6):
        open_deadline(commune=commune, trigger=today, due=today + dt.timedelta(days=i), title=f"Việc {i}")
    group = registry.work_group(
        label="Tất cả",
        queryset=Deadline.objects.order_by("due_date"),
        item=lambda d: registry.WorkItem(title=d.title),
        more_url="/thoi-han/",
        count_limit=4,
    )
    assert (group.count, group.count_more, group.count_label) == (4, True, "hơn 4") and group.more
    assert registry.WorkList(title="T", groups=[group]).total_label == "hơn 4"


def test_panels_are_filtered_by_home_and_role(rf, staff, mttq, monkeypatch):
    monkeypatch.setattr(registry, "_PANELS", {})
    seen = []

    def ctx(request, access, **kw):
        seen.append(kw["home"])
        return registry.WorkList(title="Thử")

    registry.register_panel(name="t.mttq", homes={"mttq"}, roles={Role.MTTQ}, context=ctx)
    request = rf.get("/")
    request.user = staff
    assert registry.panels_for("mttq", request, access_for(staff)) == []
    request.user = mttq
    [panel] = registry.panels_for("mttq", request, access_for(mttq))
    assert panel["template"] == registry.WORK_TEMPLATE and seen == ["mttq"]
