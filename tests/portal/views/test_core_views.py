"""The portal core's pages through the Django test client."""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.audit import audit_record
from portal.models import Deadline
from tests.factories import PASSWORD
from tests.portal.factories import open_deadline

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


# --- Role homes -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "url", "marker"),
    [
        ("staff", "/bang-dieu-khien/", "Bảng điều khiển — Xã Tân Trung"),
        ("leader", "/bang-dieu-khien/", "Bảng điều khiển — Xã Tân Trung"),
        ("radio", "/bang-dieu-khien/", "Bảng điều khiển — Xã Tân Trung"),
        ("other_staff", "/bang-dieu-khien/", "Bảng điều khiển — Xã Phúc Sơn"),
        ("village_head", "/thon-cua-toi/", "Thôn Đồng Tâm"),
        ("mttq", "/mttq/", "Giám sát, phản biện — Xã Tân Trung"),
        ("union", "/mttq/", "Giám sát, phản biện — Xã Tân Trung"),
        ("overseer", "/cap-tren/", "Theo dõi các xã"),
        ("superuser", "/admin/", "quản trị"),
    ],
)
def test_each_role_home_redirects_to_its_page_which_renders(client, users, world, role, url, marker):
    login(client, users[role])
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == url
    page = client.get(url)
    assert page.status_code == 200
    assert marker in page.content.decode()


def test_village_home_lists_only_its_village_deadlines(client, village_head, commune, village, other_village):
    from django.utils import timezone

    soon = timezone.localdate() + dt.timedelta(days=1)
    open_deadline(
        commune=commune,
        village=village,
        title="Niêm yết kế hoạch tại nhà văn hóa Đồng Tâm",
        trigger=soon,
        due=soon,
    )
    open_deadline(
        commune=commune,
        village=other_village,
        title="Niêm yết kế hoạch tại nhà văn hóa Trung Đồng",
        trigger=soon,
        due=soon,
    )
    html = login(client, village_head).get("/thon-cua-toi/").content.decode()
    assert "nhà văn hóa Đồng Tâm" in html
    assert "nhà văn hóa Trung Đồng" not in html


def test_overseer_home_counts_deadlines_per_commune(client, overseer, world):
    html = login(client, overseer).get("/cap-tren/").content.decode()
    assert "Xã Tân Trung" in html and "Xã Phúc Sơn" in html


def test_a_user_without_a_role_gets_a_page_not_an_error(client, citizen):
    assert login(client, citizen).get("/").status_code == 200


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("village_head", "/bang-dieu-khien/"),
        ("staff", "/thon-cua-toi/"),
        ("staff", "/cap-tren/"),
        ("village_head", "/mttq/"),
    ],
)
def test_role_pages_refuse_other_roles(client, users, role, url):
    assert login(client, users[role]).get(url).status_code == 403


def test_private_pages_send_anonymous_visitors_to_login(client):
    for url in ("/bang-dieu-khien/", "/thoi-han/", "/nhat-ky/", "/thong-bao/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/dang-nhap/?next="), url


def test_anonymous_home_lists_the_communes(client, commune, other_commune):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/xa/{commune.code}/"' in html and "Xã Tân Trung" in html
    assert f'href="/xa/{other_commune.code}/"' in html and "Xã Phúc Sơn" in html


def test_public_commune_page(client, commune, village, other_village):
    response = client.get(f"/xa/{commune.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thôn Đồng Tâm" in html and "200 hộ" in html and "Thôn Trung Đồng" in html
    assert client.get("/xa/khong-co/").status_code == 404
    assert client.get(f"/xa/{village.code}/").status_code == 404  # a village is not a commune page


def test_workday_calendar_2026(client):
    response = client.get("/lich-lam-viec/?nam=2026")
    assert response.status_code == 200
    html = response.content.decode()
    days_off, make_up = html.split("Ngày làm bù</h2>")
    assert "02/01/2026" in days_off and "Nghỉ Tết Dương lịch" in days_off
    assert "27/04/2026" in days_off and "24/11/2026" in days_off
    assert "10/01/2026" in make_up and "22/08/2026" in make_up
    assert 'datetime="2026-01-10"' not in days_off  # a make-up Saturday is no day off
    assert 'datetime="2026-01-02"' in days_off
    assert client.get("/lich-lam-viec/?nam=abc").status_code == 200


# --- Deadlines: visibility and resolving ---------------------------------------------------------------------


def test_village_head_cannot_resolve_another_villages_deadline(client, village_head, world):
    response = login(client, village_head).post(f"/thoi-han/{world.deadline_b.pk}/hoan-thanh/")
    assert response.status_code == 404  # hidden by the selector: "missing" and "not yours" look the same
    world.deadline_b.refresh_from_db()
    assert world.deadline_b.status == Deadline.Status.OPEN and world.deadline_b.met_at is None


def test_village_head_resolves_own_villages_deadline(client, village_head, world):
    response = login(client, village_head).post(f"/thoi-han/{world.deadline_a.pk}/hoan-thanh/")
    assert response.status_code == 302 and response.url == "/thoi-han/"
    world.deadline_a.refresh_from_db()
    assert world.deadline_a.status == Deadline.Status.MET and world.deadline_a.met_by == village_head


@pytest.mark.parametrize(
    ("role", "deadline", "status"),
    [
        ("mttq", "deadline_commune", 403),  # may read, may not resolve
        ("radio", "deadline_commune", 403),
        ("overseer", "deadline_commune", 403),
        ("other_staff", "deadline_commune", 404),
        ("other_staff", "deadline_a", 404),
        ("staff", "deadline_x", 404),
    ],
)
def test_others_are_refused(client, users, world, role, deadline, status):
    target = getattr(world, deadline)
    assert login(client, users[role]).post(f"/thoi-han/{target.pk}/hoan-thanh/").status_code == status
    target.refresh_from_db()
    assert target.status == Deadline.Status.OPEN


def test_resolve_needs_post(client, staff, world):
    assert login(client, staff).get(f"/thoi-han/{world.deadline_a.pk}/hoan-thanh/").status_code == 405


def test_another_communes_staff_see_none_of_this_communes_deadlines_or_audit(
    client, commune, other_commune, staff, other_staff
):
    open_deadline(commune=commune, title="Công khai dự toán ngân sách xã Tân Trung", by=staff)
    open_deadline(commune=other_commune, title="Công khai dự toán ngân sách xã Phúc Sơn", by=other_staff)
    login(client, other_staff)
    html = client.get("/thoi-han/").content.decode()
    assert "xã Phúc Sơn" in html and "xã Tân Trung" not in html
    audit = client.get("/nhat-ky/").content.decode()
    assert "xã Phúc Sơn" in audit and "xã Tân Trung" not in audit
    # ...and this commune's staff see theirs, not the other's.
    login(client, staff)
    html = client.get("/thoi-han/").content.decode()
    assert "xã Tân Trung" in html and "xã Phúc Sơn" not in html


def test_audit_list_shows_system_events(client, commune, leader):
    audit_record(actor=None, action="deadline.missed", obj=commune)
    response = login(client, leader).get("/nhat-ky/")
    assert response.status_code == 200
    assert "Hệ thống" in response.content.decode()


def test_village_head_may_not_read_the_audit_trail(client, village_head):
    assert login(client, village_head).get("/nhat-ky/").status_code == 403


# --- Query counts ---------------------------------------------------------------------------------------------


def _count(client, url) -> int:
    """Queries of a request in the steady state: a first request refills what a write dropped from the cache (the
    person's unread count after a notification, say: portal/principal.py), then the second one is counted."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_deadline_list_query_count_does_not_grow_with_rows(client, commune, village, staff):
    for i in range(5):
        open_deadline(commune=commune, village=village if i % 2 else None, assignee=staff if i % 3 else None)
    login(client, staff)
    client.get("/thoi-han/")  # warm caches (content types, calendar)
    few = _count(client, "/thoi-han/")
    for i in range(20):
        open_deadline(commune=commune, village=village if i % 2 else None, assignee=staff if i % 3 else None)
    many = _count(client, "/thoi-han/")
    assert few == many
    assert _count(client, "/thoi-han/?page=2") == many
    assert _count(client, "/thoi-han/?status=open") == many


def test_audit_list_query_count_does_not_grow_with_rows(client, commune, staff, leader):
    for i in range(5):
        audit_record(actor=staff if i % 2 else leader, action="unit.change", obj=commune)
    login(client, leader)
    client.get("/nhat-ky/")
    few = _count(client, "/nhat-ky/")
    for i in range(20):
        audit_record(actor=staff if i % 2 else leader, action="unit.change", obj=commune, note=f"lần {i}")
    assert _count(client, "/nhat-ky/") == few
    assert _count(client, "/nhat-ky/?page=2") == few


# --- Login and CSRF -------------------------------------------------------------------------------------------


def test_login_page_is_in_vietnamese(client, staff):
    html = client.get("/dang-nhap/").content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html and "Tên đăng nhập" in html and "Mật khẩu" in html
    bad = client.post("/dang-nhap/", {"username": "canbo", "password": "sai"})
    assert bad.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng" in bad.content.decode()
    good = client.post("/dang-nhap/", {"username": "canbo", "password": PASSWORD})
    assert good.status_code == 302 and good.url == "/"


def test_csrf_is_enforced_on_post(staff, world):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/dang-nhap/", {"username": "canbo", "password": PASSWORD}).status_code == 403
    client.get("/dang-nhap/")
    token = client.cookies["csrftoken"].value
    assert (
        client.post(
            "/dang-nhap/", {"username": "canbo", "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).status_code
        == 302
    )

    url = f"/thoi-han/{world.deadline_a.pk}/hoan-thanh/"
    assert client.post(url).status_code == 403
    world.deadline_a.refresh_from_db()
    assert world.deadline_a.status == Deadline.Status.OPEN
    client.get("/thoi-han/")
    token = client.cookies["csrftoken"].value
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    world.deadline_a.refresh_from_db()
    assert world.deadline_a.status == Deadline.Status.MET


def test_notification_pages(client, staff):
    from portal.notifications import notify

    notify(recipients=[staff], title="Sắp đến hạn: Công khai kế hoạch", email=False)
    login(client, staff)
    assert "Sắp đến hạn: Công khai kế hoạch" in client.get("/thong-bao/").content.decode()
    assert client.post("/thong-bao/da-doc/").status_code == 302
    assert staff.notifications.filter(read_at__isnull=True).count() == 0


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_dates_in_deadline_table_are_vietnamese_day_first(client, staff, commune):
    open_deadline(commune=commune, trigger=dt.date(2026, 3, 2), due=dt.date(2026, 3, 9))
    assert "09/03/2026" in login(client, staff).get("/thoi-han/").content.decode()


def test_resolve_does_not_redirect_off_site(client, staff, world):
    response = login(client, staff).post(
        f"/thoi-han/{world.deadline_a.pk}/hoan-thanh/", {"next": "https://example.invalid/phishing"}
    )
    assert response.status_code == 302
    assert not response.url.startswith(("https://example.invalid", "//"))


def test_resolve_follows_a_local_next(client, staff, world):
    response = login(client, staff).post(
        f"/thoi-han/{world.deadline_a.pk}/hoan-thanh/", {"next": "/bang-dieu-khien/"}
    )
    assert response.url == "/bang-dieu-khien/"


def test_resolving_a_missed_deadline_meets_that_deadline(client, staff, commune):
    from portal.deadlines import deadline_sweep
    from tests.portal.factories import at, subject_for

    subject = subject_for(commune)
    old = open_deadline(
        commune=commune, subject=subject, trigger=dt.date(2026, 3, 2), due=dt.date(2026, 3, 4)
    )
    deadline_sweep(now=at(dt.date(2026, 3, 5)))  # old is now missed: a new one may open for the same work
    new = open_deadline(
        commune=commune, subject=subject, trigger=dt.date(2026, 3, 6), due=dt.date(2026, 3, 20)
    )
    login(client, staff).post(f"/thoi-han/{old.pk}/hoan-thanh/")
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Deadline.Status.MET
    assert new.status == Deadline.Status.OPEN


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("staff", "/bang-dieu-khien/"),
        ("village_head", "/thon-cua-toi/"),
        ("mttq", "/mttq/"),
        ("overseer", "/cap-tren/"),
    ],
)
def test_role_homes_query_count_does_not_grow_with_deadlines(
    client, users, commune, village, other_commune, role, url
):
    from django.utils import timezone

    today = timezone.localdate()

    def add(n):
        for i in range(n):
            open_deadline(
                commune=other_commune if i % 5 == 4 else commune,
                village=village if i % 2 and i % 5 != 4 else None,
                trigger=today,
                due=today,
            )

    add(3)
    login(client, users[role])
    client.get(url)
    few = _count(client, url)
    add(20)
    assert _count(client, url) == few


def test_an_open_deadline_already_past_reads_overdue_before_the_sweep(client, staff, commune):
    from django.utils import timezone

    today = timezone.localdate()
    open_deadline(
        commune=commune,
        title="Việc đã quá hạn",
        trigger=today - dt.timedelta(days=9),
        due=today - dt.timedelta(days=2),
    )
    open_deadline(
        commune=commune, title="Việc đến hạn hôm nay", trigger=today - dt.timedelta(days=9), due=today
    )
    html = login(client, staff).get("/thoi-han/").content.decode()
    row_past = html.split("Việc đã quá hạn")[1].split("</tr>")[0]
    row_today = html.split("Việc đến hạn hôm nay")[1].split("</tr>")[0]
    assert "Quá hạn" in row_past
    assert "Hạn hôm nay" in row_today
    # Nothing was changed by reading: the sweep still owns the transition to "missed".
    assert Deadline.objects.filter(status=Deadline.Status.OPEN).count() == 2


def test_a_district_overseer_reads_the_district_and_its_communes_deadlines(client, users, world):
    """Deadlines belong to a unit: a district-level deadline is listed with the district's name, next to those of
    the communes under the district, and nothing of the province's other communes."""
    html = login(client, users["district_overseer"]).get("/thoi-han/").content.decode()
    assert world.deadline_district.title in html and "Huyện Thử" in html
    assert str(world.village_d) in html
    assert str(world.village_a) not in html and str(world.village_x) not in html


def test_pages_name_the_portal_icon_and_favicon_ico_leads_to_it(client):
    """Browsers ask for /favicon.ico on a first visit: it leads to the icon every page names, not to a 404 page."""
    html = client.get(reverse("login")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert icon is not None
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == icon.group(1)
    assert "max-age=86400" in response["Cache-Control"]
    found = finders.find("img/favicon.svg")
    assert found is not None
    with open(found, encoding="utf-8") as svg:
        assert svg.read().startswith('<svg xmlns="http://www.w3.org/2000/svg"')
