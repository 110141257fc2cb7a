"""Each demo role logs in through the real form in Chromium and lands on its own home page."""

import re

import pytest

from portal.demo import DEMO_PASSWORD, seed_core


@pytest.fixture
def demo(transactional_db):
    return seed_core()


# username, path of the home page, heading that starts the page
ROLE_HOMES = [
    ("canbo", "/bang-dieu-khien/", "Bảng điều khiển — Xã Tân Trung"),
    ("chutich", "/bang-dieu-khien/", "Bảng điều khiển — Xã Tân Trung"),
    ("truyenthanh", "/bang-dieu-khien/", "Bảng điều khiển — Xã Tân Trung"),
    ("giamkhao", "/bang-dieu-khien/", "Bảng điều khiển"),
    ("mttq", "/mttq/", "Giám sát, phản biện — Xã Tân Trung"),
    ("congdoan", "/mttq/", "Giám sát, phản biện — Xã Tân Trung"),
    ("captren", "/cap-tren/", "Theo dõi các xã"),
]


@pytest.mark.parametrize(("username", "path", "heading"), ROLE_HOMES, ids=[r[0] for r in ROLE_HOMES])
def test_role_lands_on_its_home(demo, page, login, live_server, username, path, heading):
    login(page, username, DEMO_PASSWORD)

    assert page.url == live_server.url + path
    h1 = page.locator("h1").first.inner_text()
    assert h1.startswith(heading), f"{username} on {page.url}: h1 is {h1!r}"


def test_village_head_on_a_phone_lands_on_the_village_page_without_horizontal_scroll(
    demo, phone_page, login, live_server
):
    login(phone_page, "truongthon", DEMO_PASSWORD)

    assert phone_page.url == live_server.url + "/thon-cua-toi/"
    assert "Đồng Tâm" in phone_page.locator("h1").first.inner_text()
    widths = phone_page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["inner"] == 390
    assert widths["scroll"] <= widths["inner"], widths


def test_admin_lands_on_the_admin_site(demo, page, login, live_server):
    login(page, "admin", DEMO_PASSWORD)

    assert page.url == live_server.url + "/admin/"
    assert page.locator("#site-name, h1").first.is_visible()


def test_wrong_password_shows_the_vietnamese_error_and_stays_logged_out(demo, page, login, live_server):
    login(page, "canbo", "sai-mat-khau")

    assert re.search(r"/dang-nhap/", page.url)
    assert (
        page.get_by_role("alert").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại."
    )
    page.goto("/bang-dieu-khien/")
    assert "/dang-nhap/" in page.url  # still anonymous: sent back to the login page


def _serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("path", ["/dang-nhap/", "/"], ids=["login", "public-home"])
def test_no_serious_accessibility_violations(demo, page, path):
    pytest.importorskip("axe_playwright_python")
    page.goto(path)

    assert _serious_violations(page) == []
