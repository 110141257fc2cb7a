"""The dialogue story in Chromium, as the people involved would act (issue 8).

Staff plan a dialogue with thôn Đồng Tâm today; a notice dated 6 days before is refused with the rule's message and
one dated 7 days before is accepted; a citizen sends a petition online from a phone and gets a code; MTTQ records a
paper petition and the village head (phone) one raised at the village meeting; staff classify and assign; the
secretary runs the console at tablet size (one answered on the spot, two assigned, one forwarded) and marks the
meeting held; the conclusion notice is generated, the chairman issues it and staff record its publication; one
answer is given in writing; the citizen reads it by code and says "not satisfied", which reopens the case; MTTQ
opens the survey and enters paper forms; the yearly BÁO CÁO's PDF shows the figures.

The meeting is today (the services refuse a "held" date in the future); the notice is back-dated through the form's
date field, which is what the 6/7-day rule is checked against. The notice and the conclusion notice are publicized
through the core publicity (postings with deadlines; the village head confirms the conclusion's on the phone).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from dialogues.models import Dialogue, Petition, SurveyResponse
from portal.demo import DEMO_PASSWORD, seed_core
from portal.publicity.models import Publication

from .conftest import TIMEOUT_MS, _new_page, login

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}
SHOTS = os.environ.get("DIALOGUE_SHOTS", "")  # a folder: save screenshots there to look at them


def _shot(pg, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _as(browser, live_server, username, *, viewport=None, phone=False):
    options = {"viewport": viewport or {"width": 1280, "height": 800}}
    if phone:
        options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context, pg = _new_page(browser, live_server, **options)
    if username:
        login(pg, username, DEMO_PASSWORD)
    return context, pg


def _submit(pg, name):
    with pg.expect_navigation():
        pg.get_by_role("button", name=name, exact=True).first.click()


def test_dialogue_story(browser, live_server):
    seed_core()
    today = timezone.localdate()
    contexts = []

    # 1. Staff plan the dialogue for one village, today.
    ctx, staff = _as(browser, live_server, "canbo")
    contexts.append(ctx)
    staff.goto("/doi-thoai/tao-moi/")
    staff.get_by_label("Tên hội nghị").fill("Đối thoại giữa Chủ tịch UBND xã với Nhân dân thôn Đồng Tâm")
    staff.get_by_label("Đồng Tâm").check()
    staff.get_by_label("Ngày hội nghị").fill(today.isoformat())
    staff.get_by_label("Giờ bắt đầu").fill("08:00")
    staff.get_by_label("Địa điểm").fill("Nhà văn hóa thôn Đồng Tâm")
    _submit(staff, "Lưu")
    dialogue = Dialogue.objects.get()
    assert staff.url.endswith(f"/doi-thoai/{dialogue.pk}/")

    # 2. A notice 6 days before is refused, naming the rule; 7 days before is accepted.
    staff.get_by_label("Ngày thông báo (để trống: hôm nay)").fill((today - dt.timedelta(days=6)).isoformat())
    _submit(staff, "Thông báo")
    assert "ít nhất 7 ngày" in staff.content()
    dialogue.refresh_from_db()
    assert dialogue.status == Dialogue.Status.DRAFT
    staff.get_by_label("Ngày thông báo (để trống: hôm nay)").fill((today - dt.timedelta(days=7)).isoformat())
    _submit(staff, "Thông báo")
    assert "Đã thông báo hội nghị" in staff.content()
    dialogue.refresh_from_db()
    assert dialogue.status == Dialogue.Status.NOTICED

    # 3. A citizen sends a petition online from a phone and gets a code.
    ctx, citizen = _as(browser, live_server, None, phone=True)
    contexts.append(ctx)
    citizen.goto(f"/doi-thoai/cong-khai/{dialogue.pk}/")
    with citizen.expect_navigation():
        citizen.get_by_role("link", name="Gửi kiến nghị tới hội nghị này").click()
    citizen.get_by_label("Thôn nơi ông/bà sinh sống").select_option(label="Thôn Đồng Tâm")
    citizen.get_by_label("Nội dung kiến nghị, phản ánh").fill("Đề nghị lắp đèn chiếu sáng ngõ 3 xóm Đông.")
    _submit(citizen, "Gửi kiến nghị")
    code = re.search(r"KN-[0-9A-Z]{4}-[0-9A-Z]{4}", citizen.content()).group(0)
    online = Petition.objects.get(tracking_code=code)
    assert online.dialogue == dialogue

    # 4. MTTQ records a paper petition; the village head, on a phone, one raised at the village meeting.
    ctx, mttq = _as(browser, live_server, "mttq")
    contexts.append(ctx)
    mttq.goto(f"/doi-thoai/kien-nghi/ghi-nhan/?hoi-nghi={dialogue.pk}")
    mttq.get_by_label("Kênh tiếp nhận").select_option(label="Đơn, phiếu giấy")
    mttq.locator("select[name=village]").select_option(label="Thôn Đồng Tâm")
    mttq.get_by_label("Nội dung kiến nghị").fill("Đề nghị giải quyết hồ sơ cấp đổi sổ đỏ tồn đọng của 5 hộ.")
    _submit(mttq, "Lưu kiến nghị")
    ctx, head = _as(browser, live_server, "truongthon", phone=True)
    contexts.append(ctx)
    head.goto(f"/doi-thoai/kien-nghi/ghi-nhan/?hoi-nghi={dialogue.pk}")
    head.get_by_label("Kênh tiếp nhận").select_option(label="Phát biểu tại hội nghị")
    head.get_by_label("Nội dung kiến nghị").fill("Đề nghị nâng cấp tuyến tỉnh lộ đi qua thôn.")
    _submit(head, "Lưu kiến nghị")
    assert "Đã ghi nhận kiến nghị" in head.content()
    paper = Petition.objects.get(channel="paper")
    raised = Petition.objects.get(channel="meeting")
    assert raised.village.name == "Đồng Tâm" and raised.recorded_by.username == "truongthon"

    # 5. Staff classify and assign the paper petition.
    staff.goto(f"/doi-thoai/kien-nghi/{paper.pk}/")
    staff.get_by_label("Lĩnh vực").select_option(label="Đất đai")
    _submit(staff, "Lưu phân loại")
    staff.get_by_label("Giao cho").select_option(label="Nguyễn Thị Lan")
    _submit(staff, "Giao")
    paper.refresh_from_db()
    assert paper.field == "land" and paper.status == Petition.Status.ASSIGNED
    # The official assigned prepares the answer; it is in the chair's briefing pack (PDF, by field).
    staff.get_by_label("Phương án trả lời đã chuẩn bị").fill(
        "Địa chính đã rà soát; hẹn cấp đổi trong tháng tới."
    )
    _submit(staff, "Lưu nội dung chuẩn bị")
    assert "Đã lưu nội dung trả lời chuẩn bị" in staff.content()
    from pypdf import PdfReader

    pack = staff.request.get(f"{live_server.url}/doi-thoai/{dialogue.pk}/tai-lieu-chu-tri.pdf")
    pack_text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.body())).pages).split())
    assert "Lĩnh vực Đất đai" in pack_text and "hẹn cấp đổi trong tháng tới" in pack_text

    # 6. The secretary runs the console at tablet size.
    ctx, console = _as(browser, live_server, "canbo", viewport=TABLET)
    contexts.append(ctx)
    console.goto(f"/doi-thoai/{dialogue.pk}/dieu-hanh/")
    _shot(console, "06-console-tablet")
    form = console.locator("#console-form")
    form.get_by_label("Nội dung kiến nghị").fill("Chế độ trợ cấp người cao tuổi từ 75 tuổi?")
    form.get_by_label("Đã trả lời tại hội nghị").check()
    form.get_by_label("Nội dung trả lời tại chỗ").fill(
        "Công chức Văn hóa - Xã hội đã giải thích và hướng dẫn hồ sơ."
    )
    with console.expect_navigation():
        form.get_by_role("button", name="Lưu kiến nghị").click()
    assert "Đã trả lời" in console.content()
    for petition, outcome in ((online, "assigned"), (paper, "assigned"), (raised, "forwarded")):
        box = console.locator("details", has_text=petition.tracking_code)
        box.locator("summary").click()
        box.locator(f"input[name=outcome][value={outcome}]").check()
        if outcome == "assigned":
            box.get_by_label("Giao cho").select_option(label="Nguyễn Thị Lan")
        else:
            box.get_by_label("Chuyển đến").fill("Sở Xây dựng tỉnh")
            box.get_by_label("Ngày đôn đốc").fill((today + dt.timedelta(days=20)).isoformat())
        with console.expect_navigation():
            box.get_by_role("button", name="Lưu").click()
    counts = {
        s: Petition.objects.filter(dialogue=dialogue, status=s).count()
        for s in ("answered", "assigned", "forwarded")
    }
    assert counts == {"answered": 1, "assigned": 2, "forwarded": 1}
    staff.goto(f"/doi-thoai/{dialogue.pk}/")
    _submit(staff, "Ghi nhận hội nghị đã tổ chức")
    dialogue.refresh_from_db()
    assert dialogue.status == Dialogue.Status.HELD

    # 7. The conclusion notice: generated, issued by the chairman, publicized through the core publicity; the
    # village head confirms on the phone that it reached the village; it is on the register and the public page.
    _submit(staff, "Tạo/cập nhật Thông báo kết luận")
    dialogue.refresh_from_db()
    ctx, chair = _as(browser, live_server, "chutich")
    contexts.append(ctx)
    chair.goto(f"/van-ban/{dialogue.conclusion_document_id}/")
    _submit(chair, "Ký ban hành (cấp số)")
    staff.goto(f"/doi-thoai/{dialogue.pk}/")
    _submit(staff, "Công khai kết quả")
    assert "Đã công khai Thông báo kết luận" in staff.content()
    _shot(staff, "07-dialogue-detail-publicity")
    dialogue.refresh_from_db()
    assert dialogue.result_publicized_on == today
    result = Publication.objects.get(object_id=str(dialogue.pk), phase="dialogue_result")
    head.goto("/cong-khai/niem-yet/")
    _shot(head, "07-village-head-postings-phone")
    with head.expect_navigation():
        # Each card's link names the publication; the card says which posting (kind — village).
        head.locator("li.card", has_text=result.title).filter(
            has_text="Gửi Trưởng thôn — Đồng Tâm"
        ).get_by_role("link", name=result.title).click()
    head.get_by_label("Ngày niêm yết").fill(today.isoformat())
    _submit(head, "Xác nhận đã nhận và thông báo")
    posting = result.postings.get(kind="village_head", village__name="Đồng Tâm")
    assert posting.posted_on == today and not posting.on_behalf
    staff.goto("/cong-khai/")
    assert result.title in staff.content()
    citizen.goto(f"/doi-thoai/cong-khai/{dialogue.pk}/")
    assert result.title in citizen.content()
    _shot(citizen, "07-public-page-phone")

    # 8. One answer in writing.
    staff.goto(f"/doi-thoai/kien-nghi/{online.pk}/")
    staff.get_by_label("Hình thức").select_option(label="Trả lời bằng văn bản")
    staff.get_by_label("Nội dung trả lời").fill(
        "UBND xã sẽ lắp đèn ngõ 3 trong tháng tới bằng nguồn xã hội hóa."
    )
    staff.get_by_label("Ghi chú minh chứng (số văn bản, biên bản…)").fill("Công văn số 31/UBND-VP")
    _submit(staff, "Ghi nhận câu trả lời")

    # 9. The citizen reads it by code and is not satisfied: the case reopens.
    citizen.goto(f"/doi-thoai/kien-nghi-cua-toi/{code}/")
    assert "lắp đèn ngõ 3 trong tháng tới" in citizen.content()
    citizen.get_by_role("radio", name="Chưa hài lòng").check()
    citizen.get_by_label("Lý do chưa hài lòng").fill("Chưa nói rõ ngày lắp.")
    _submit(citizen, "Gửi đánh giá")
    online.refresh_from_db()
    assert online.status == Petition.Status.REOPENED and "kiến nghị được mở lại" in citizen.content()

    # 10. MTTQ opens the survey and enters paper forms.
    mttq.goto(f"/doi-thoai/{dialogue.pk}/khao-sat/")
    _submit(mttq, "Mở khảo sát")
    paper_form = "form:has(input[name=form][value=paper])"
    for level in (1, 2):  # "Hài lòng" on one form, "Chưa hài lòng" on the other
        for question in range(4):
            mttq.locator(f"{paper_form} input[name=q{question}][value='{level}']").check()
        _submit(mttq, "Lưu phiếu")
    assert SurveyResponse.objects.count() == 2
    assert "2 phiếu" in mttq.content()
    assert mttq.locator("figure.qr-figure svg").is_visible()  # the link as a QR code, and a sheet to print
    _shot(mttq, "09-survey-qr")
    with mttq.expect_navigation():
        mttq.get_by_role("link", name="Trang in mã QR (khổ A4)").click()
    assert mttq.locator(".qr-box svg").is_visible()
    _shot(mttq, "09-survey-qr-print")

    # 11. The yearly report's PDF shows the figures.
    staff.goto(f"/doi-thoai/nam/{today.year}/")
    assert "Trả lời tại hội nghị" in staff.content()
    _submit(staff, f"Lập BÁO CÁO kết quả năm {today.year} (PDF/DOCX)")
    doc_id = re.search(r"/van-ban/(\d+)/", staff.url).group(1)
    pdf = staff.request.get(f"/van-ban/{doc_id}/pdf/", timeout=TIMEOUT_MS * 4)
    assert pdf.ok
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    text = " ".join(text.split())
    assert "BÁO CÁO" in text
    assert "Tổng số ý kiến, kiến nghị: 4" in text and "trả lời tại hội nghị: 1 (25%)" in text
    for ctx in contexts:
        ctx.close()
