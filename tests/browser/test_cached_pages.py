"""Issue 13 in a real browser: the pages served from shared fragments (portal/fragments.py) stay true.

A citizen on a phone reads the open consultation (its HTML is cached), comments through the form and sees the
counts rise on the same cached page; a staff member's comment list, served from the shared fragment, shows the new
comment at once, and its filter and pager links work."""

from __future__ import annotations

import re

import pytest

from tests.consultations.views.test_public import _open_now
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _count(page) -> int:
    return int(re.search(r"Đã nhận (\d+) ý kiến", page.inner_text("main")).group(1))


def test_counts_rise_on_the_cached_page_and_the_staff_list_follows(
    phone_page, page, login, commune, village, staff
):
    c = _open_now(commune, staff)
    article = c.versions.get().articles.filter(kind="article").order_by("position").first()
    phone_page.goto(f"/lay-y-kien/{c.pk}/")
    assert _count(phone_page) == 0
    phone_page.goto(f"/lay-y-kien/{c.pk}/")  # served from the cache now
    block = phone_page.locator(f"#a{article.pk} .count")
    assert block.inner_text().startswith("0 ý kiến")

    block.get_by_role("link").click()  # "Góp ý cho Điều 1": the form starts on that article
    phone_page.fill("textarea[name=text]", "Đề nghị niêm yết quy chế tại nhà văn hóa thôn.")
    phone_page.get_by_role("button", name="Gửi ý kiến").click()
    assert "/da-nhan/" in phone_page.url
    phone_page.goto(f"/lay-y-kien/{c.pk}/")
    assert _count(phone_page) == 1
    assert phone_page.locator(f"#a{article.pk} .count").inner_text().startswith("1 ý kiến")
    assert "<!--n:" not in phone_page.content()

    login(page, staff.username, PASSWORD)
    page.goto(f"/lay-y-kien/{c.pk}/y-kien/")
    assert "Đề nghị niêm yết quy chế tại nhà văn hóa thôn." in page.inner_text("main table")
    page.fill("input[name=q]", "nha van hoa")
    page.get_by_role("button", name="Lọc").click()
    assert page.locator("main tbody tr").count() == 1
    page.fill("input[name=q]", "khong co")
    page.get_by_role("button", name="Lọc").click()
    assert "Không có ý kiến nào." in page.inner_text("main table")
