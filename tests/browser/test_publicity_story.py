"""Publicizing a budget estimate through the commune's publicity register (Điều 11 khoản 2, Điều 12–13), in a browser.

Staff publicize the budget estimate with a PDF, adding the radio and the village heads; the heads of Đồng Tâm and
Trung Đồng confirm the cultural-house posting on their phones; staff confirm for Tân Sơn, which has no head account,
on the head's behalf (reason and proof, shown as such); the radio logs two days and "publicized" is refused naming
Điều 13 khoản 3, a third day and it passes; the commune's public page lists the estimate under item 2; the quarterly
list (Điều 13 khoản 2) is generated and its PDF contains the estimate.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pdfplumber
import pytest
from django.utils import timezone

from portal.demo import DEMO_PASSWORD, seed_core
from portal.publicity import services
from portal.publicity.models import Posting, Publication

from .conftest import login

pytestmark = pytest.mark.browser

TITLE = "Dự toán thu, chi ngân sách xã Tân Trung năm 2027"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _messages(page) -> str:
    box = page.locator(".messages")
    return box.inner_text() if box.count() else ""


def _no_horizontal_scroll(page) -> None:
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], widths


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return seed_core()


def test_budget_estimate_publicized_confirmed_broadcast_listed(
    demo, page, phone_page, browser, live_server, tmp_path
):
    today = timezone.localdate()
    decided = today - dt.timedelta(days=3)
    pdf_path = tmp_path / "du-toan-2027.pdf"
    pdf_path.write_bytes(PDF)

    # --- Staff publicize item 2 with the PDF ---------------------------------------------------------------------
    login(page, "canbo", DEMO_PASSWORD)
    page.get_by_role("link", name="Công khai", exact=True).first.click()
    page.get_by_role("link", name="Công khai nội dung mới").click()
    page.get_by_label("Nội dung công khai (Điều 11 Luật 10/2022/QH15)").select_option(value="2")
    page.get_by_label("Tên nội dung công khai").fill(TITLE)
    page.get_by_label("Hoặc tải lên tệp PDF").set_input_files(str(pdf_path))
    page.get_by_label("Ngày ban hành quyết định, văn bản").fill(decided.isoformat())
    page.get_by_label("Ngày bắt đầu công khai").fill(decided.isoformat())
    page.get_by_label("c) Phát trên hệ thống truyền thanh cấp xã").check()
    page.get_by_label("d) Thông qua Trưởng thôn, Tổ trưởng tổ dân phố").check()
    page.get_by_role("button", name="Công khai", exact=True).click()
    assert "Đã công khai" in _messages(page)
    assert page.locator("h1").inner_text() == TITLE
    publication = Publication.objects.get(title=TITLE)
    assert publication.item == 2 and publication.file.read().startswith(b"%PDF-")
    villages = list(demo.commune.children.filter(active=True).order_by("name"))
    assert publication.postings.filter(kind=Posting.Kind.VILLAGE_HOUSE).count() == len(villages)

    # --- The two village heads confirm on their phones ----------------------------------------------------------
    for username, village in (("truongthon", "Đồng Tâm"), ("truongthon2", "Trung Đồng")):
        phone_page.context.clear_cookies()
        login(phone_page, username, DEMO_PASSWORD)
        phone_page.get_by_role("link", name=f"Niêm yết tại nhà văn hóa thôn — {TITLE}").first.click()
        assert phone_page.locator("h1").inner_text() == "Xác nhận niêm yết"
        assert village in phone_page.locator("main").inner_text()
        _no_horizontal_scroll(phone_page)
        phone_page.get_by_label("Ngày niêm yết").fill(decided.isoformat())
        phone_page.get_by_label("Ghi chú").fill("Đã dán tại bảng tin nhà văn hóa thôn.")
        phone_page.get_by_role("button", name="Xác nhận đã niêm yết").click()
        assert "Đã xác nhận niêm yết. Cảm ơn!" in _messages(phone_page)
        # The list's cards are named by the publication; each says which posting (kind — village).
        phone_page.locator("li.card", has_text=f"Gửi Trưởng thôn — {village}").filter(
            has_text=TITLE
        ).get_by_role("link").first.click()
        phone_page.get_by_label("Ngày niêm yết").fill(decided.isoformat())
        phone_page.get_by_role("button", name="Xác nhận đã nhận và thông báo").click()
        assert "Đã xác nhận niêm yết. Cảm ơn!" in _messages(phone_page)
        assert phone_page.locator("h1").inner_text() == "Niêm yết cần xác nhận"
        _no_horizontal_scroll(phone_page)
        mine = publication.postings.get(kind=Posting.Kind.VILLAGE_HOUSE, village__name=village)
        assert mine.posted_on == decided and mine.confirmed_by.username == username and not mine.on_behalf

    # --- Staff confirm for Tân Sơn (no head account) on the head's behalf --------------------------------------
    page.goto(f"/cong-khai/{publication.pk}/")
    row = page.get_by_role("row", name=re.compile(r"^Tân Sơn"))
    row.get_by_role("link", name="Xác nhận niêm yết").click()
    assert "thay Trưởng thôn" in page.locator("main").inner_text()
    page.get_by_label("Ngày niêm yết").fill(decided.isoformat())
    page.get_by_role("button", name="Xác nhận đã niêm yết").click()
    assert "lý do" in page.locator("main").inner_text().lower()  # refused without a reason
    page.get_by_label("Minh chứng (nếu không có ảnh: ai xác nhận, bằng cách nào)").fill(
        "Bí thư chi bộ thôn gửi ảnh bảng tin qua Zalo; ảnh lưu tại Văn phòng"
    )
    page.get_by_label("Lý do cán bộ xác nhận thay Trưởng thôn").fill(
        "Thôn Tân Sơn chưa có tài khoản Trưởng thôn"
    )
    page.get_by_role("button", name="Xác nhận đã niêm yết").click()
    assert "Đã xác nhận niêm yết" in _messages(page)
    tan_son = page.get_by_role("row", name=re.compile(r"^Tân Sơn"))
    assert "Cán bộ xác nhận thay: Thôn Tân Sơn chưa có tài khoản Trưởng thôn" in tan_son.inner_text()
    # The office board through the page; the other headless villages (same form, repeated) through the service.
    page.get_by_role("row", name=re.compile(r"^Niêm yết tại trụ sở")).get_by_role(
        "link", name="Xác nhận"
    ).click()
    page.get_by_label("Ngày niêm yết").fill(decided.isoformat())
    page.get_by_role("button", name="Xác nhận đã niêm yết").click()
    staff = demo.users["canbo"]
    for p in publication.postings.filter(posted_on__isnull=True).exclude(kind=Posting.Kind.RADIO):
        services.posting_confirm(
            posting=p,
            by=staff,
            posted_on=decided,
            note="Ảnh lưu tại Văn phòng",
            on_behalf_reason="Thôn chưa có tài khoản Trưởng thôn",
        )

    # --- The radio logs two days: "publicized" is refused naming Điều 13 khoản 3; a third day and it passes --------
    radio_page = browser.new_page(base_url=live_server.url)
    login(radio_page, "truyenthanh", DEMO_PASSWORD)
    radio_page.goto("/cong-khai/truyen-thanh/")
    radio_page.get_by_role("link", name=TITLE).click()
    for day in (decided, decided + dt.timedelta(days=1)):
        radio_page.get_by_label("Ngày phát").fill(day.isoformat())
        radio_page.get_by_role("button", name="Ghi ngày phát").click()
        assert "Đã ghi ngày phát." in _messages(radio_page)
    assert "Đã phát liên tục: 2 ngày" in radio_page.locator("main").inner_text()
    page.goto(f"/cong-khai/{publication.pk}/")
    page.get_by_role("button", name="Xác nhận đã công khai").click()
    refusal = _messages(page)
    assert "mới phát liên tục 2 ngày" in refusal and "Điều 13 khoản 3" in refusal, refusal
    assert Publication.objects.get(pk=publication.pk).status == Publication.Status.ACTIVE
    radio_page.get_by_label("Ngày phát").fill((decided + dt.timedelta(days=2)).isoformat())
    radio_page.get_by_role("button", name="Ghi ngày phát").click()
    assert "Đã phát liên tục: 3 ngày" in radio_page.locator("main").inner_text()
    radio_page.close()
    page.goto(f"/cong-khai/{publication.pk}/")
    page.get_by_role("button", name="Xác nhận đã công khai").click()
    assert "Đã ghi nhận hoàn thành việc công khai." in _messages(page)
    assert Publication.objects.get(pk=publication.pk).status == Publication.Status.PUBLICIZED

    # --- The public commune page lists it under item 2 ------------------------------------------------------------
    public = browser.new_page(base_url=live_server.url)
    public.goto(f"/xa/{demo.commune.code}/")
    section = public.get_by_role("region", name=re.compile(r"^2\. Dự toán"))
    assert TITLE in section.inner_text()
    link = section.get_by_role("link", name=TITLE)
    response = public.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    public.close()

    # --- The quarterly list, generated as a document, contains it ------------------------------------------------
    page.goto("/cong-khai/danh-sach-quy/")
    page.get_by_label("Năm").fill(str(decided.year))
    page.get_by_label("Quý").select_option(value=str((decided.month - 1) // 3 + 1))
    page.get_by_role("button", name="Lập danh sách").click()
    assert "Đã lập danh sách" in _messages(page)
    document_id = re.search(r"/van-ban/(\d+)/", page.url).group(1)
    pdf = page.request.get(f"/van-ban/{document_id}/pdf/")
    assert pdf.status == 200
    with pdfplumber.open(io.BytesIO(pdf.body())) as doc:
        cells = [
            " ".join((cell or "").split())
            for p in doc.pages
            for table in p.extract_tables()
            for row in table
            for cell in row
        ]
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in doc.pages)
    assert "Danh sách các nội dung đã thực hiện công khai" in text
    assert any(TITLE in cell and "Điều 11 khoản 2" in cell for cell in cells), cells
