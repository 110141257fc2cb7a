"""The whole lấy ý kiến story in Chromium, as the people involved would act (issue 4).

Staff (canbo) creates a people's consultation; a 19-day window is refused with the rule's Vietnamese message; a
20-day one publishes once the plan is issued and sent to HĐND and MTTQ; the head of Đồng Tâm confirms the posting at
the village's cultural house from a phone, with a photo; an anonymous citizen comments on an article and gets a
tracking code; staff record a meeting's comments; the scheduled task closes the window; staff answer every comment;
MTTQ submits its summary; staff draft the BÁO CÁO, the chairman signs it, staff publish the results; the citizen
looks the code up and reads the answer; staff generate the QUYẾT ĐỊNH ban hành (the regulation as its annex), the
chairman signs it (the register numbers it) and records the adoption with the HĐND session; the regulation is
publicized; staff record the report to HĐND (issue 10). It runs
among the demo data (``portal.demo.seed_core`` and ``consultations.demo.seed``: a consultation in each phase).

Dates. The services use the real clock for "today" (publishing the results is refused before the window's last
day and after today), so the window ends *today* and starts in the past: the 19-day window starts 19 days ago, the
20-day one on the latest day from which the Civil Code count (``portal.workdays.period_end``) still ends by today
(20 days ago on a working day). Closing is what the django-q2 schedule runs: ``consultations.tasks.sweep_windows``
called with a ``now`` on the next morning. (Run within a minute of local midnight, the server's "today" could move
under the test; nothing else depends on the day.)
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from consultations import demo as consultations_demo
from consultations import services as consultation_services
from consultations.models import Comment, Consultation, PublicityPhase
from consultations.selectors import postings_of
from consultations.tasks import sweep_windows
from portal.demo import DEMO_PASSWORD, seed_core
from portal.publicity.models import Posting
from portal.workdays import period_end

from .conftest import ARTIFACTS, PHONE, TIMEOUT_MS

pytestmark = pytest.mark.browser

TITLE = "Dự thảo Quy chế thực hiện dân chủ ở xã Tân Trung"
DRAFT = """Chương I. NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quy chế này quy định việc thực hiện dân chủ ở xã Tân Trung.
Điều 2. Niêm yết công khai
1. Niêm yết tại trụ sở Ủy ban nhân dân xã và nhà văn hóa các thôn.
2. Thời gian niêm yết ít nhất 30 ngày liên tục.
Điều 3. Tổ chức thực hiện
Văn phòng - Thống kê tham mưu Ủy ban nhân dân xã tổ chức thực hiện Quy chế này.
"""
CITIZEN_TEXT = "Đề nghị niêm yết thêm tại chợ Tân Trung vì nhiều người dân đi chợ hằng ngày."
ANSWER_TEXT = "Tiếp thu: bổ sung điểm niêm yết tại chợ Tân Trung vào khoản 1 Điều 2."
REVISED_CLAUSE = "nhà văn hóa các thôn và chợ Tân Trung."
MEETING_LINES = [
    "Điều 2: Đề nghị thông báo thêm trên nhóm Zalo của thôn.",
    "Điều 3: Cần giao rõ người chịu trách nhiệm ở từng thôn.",
    "Đề nghị in dự thảo phát cho các hộ không dùng điện thoại thông minh.",
]
WINDOW_RULE = (
    "Thời gian lấy ý kiến Nhân dân phải ít nhất 20 ngày kể từ ngày công khai nội dung (Điều 28 khoản 2"
)


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _windows(today: dt.date) -> tuple[dt.date, dt.date]:
    """(start of the 19-day window, start of the 20-day window), both ending today."""
    start19 = today - dt.timedelta(days=19)
    start20 = today - dt.timedelta(days=20)
    while period_end(start20, 20) > today:  # today is a day off: the count may not end on it
        start20 -= dt.timedelta(days=1)
    return start19, start20


def _jpeg_with_exif(path: Path) -> Path:
    """A 2000x1500 phone-like photo carrying EXIF (camera model and GPS tag) to be stripped and resized."""
    image = Image.new("RGB", (2000, 1500), (200, 180, 120))
    for x in range(0, 2000, 50):  # some structure so it is not a flat colour
        image.paste((40, 60, 90), (x, 0, x + 10, 1500))
    exif = Image.Exif()
    exif[0x0110] = "Phone Model X"  # Model
    exif[0x8825] = {1: "N", 2: (21.0, 5.0, 0.0)}  # GPSInfo
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=80, exif=exif)
    path.write_bytes(buf.getvalue())
    with Image.open(path) as check:
        assert check.getexif().get(0x0110) == "Phone Model X"
    return path


def _messages(page) -> str:
    box = page.locator(".messages")
    return box.inner_text() if box.count() else ""


def _no_horizontal_scroll(page) -> None:
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["scroll"] <= widths["inner"], widths


def _answer(page, code: str, kind: str, text: str) -> None:
    page.get_by_role("link", name="Ý kiến", exact=True).click()
    page.get_by_role("link", name=code, exact=True).click()
    heading = page.locator("h1").inner_text()
    assert heading == f"Ý kiến {code}", f"the staff page of comment {code} shows {heading!r} at {page.url}"
    page.get_by_label("Hình thức trả lời").select_option(label=kind)
    page.get_by_label("Nội dung tiếp thu, giải trình").fill(text)
    page.get_by_role("button", name="Lưu trả lời").click()
    assert "Đã lưu." in _messages(page)
    assert page.get_by_role("heading", name=f"Trả lời: {kind}").is_visible()


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The demo commune, its people and its demo consultations (one in each phase): the story runs among them."""
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the posting photo must not land in var/media
    core = seed_core()
    consultations_demo.seed(core)
    return core


@pytest.fixture
def other_pages(browser, live_server, request):
    """Extra people on their own devices (each a fresh browser context); screenshots saved when the test fails."""
    opened = []
    failed_before = request.session.testsfailed

    def open_page(name: str, **options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(
            base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        pg = context.new_page()
        opened.append((name, context, pg))
        return pg

    yield open_page
    failed = request.session.testsfailed > failed_before
    for name, context, pg in opened:
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            stem = re.sub(r"[^\w.-]+", "_", f"{request.node.name}-{name}")
            try:
                pg.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
                (ARTIFACTS / f"{stem}.html").write_text(pg.content(), encoding="utf-8")
            except Exception:  # noqa: BLE001,S110 - a dead page must not hide the real failure
                pass
        context.close()


def test_consultation_story_from_draft_to_report_to_hdnd(
    demo, page, phone_page, other_pages, login, live_server, tmp_path
):
    today = timezone.localdate()
    start19, start20 = _windows(today)

    # --- Staff create a people's consultation with a 19-day window --------------------------------------------------
    login(page, "canbo", DEMO_PASSWORD)
    page.get_by_role("link", name="Lấy ý kiến", exact=True).first.click()
    page.get_by_role("link", name="Tạo cuộc lấy ý kiến").click()
    page.get_by_label("Tên dự thảo lấy ý kiến").fill(TITLE)
    page.get_by_label("Đối tượng lấy ý kiến").select_option(label="Nhân dân")
    page.get_by_label("Nội dung theo Luật (Điều 25 / Điều 53)").select_option(
        label="Điều 25.7: Dự thảo Quy chế thực hiện dân chủ ở xã"
    )
    page.get_by_label("Ngày bắt đầu lấy ý kiến").fill(_iso(start19))
    page.get_by_label("Ngày kết thúc lấy ý kiến").fill(_iso(today))
    page.get_by_label("Hạn MTTQ / Công đoàn gửi kết quả tổng hợp").fill(_iso(today))
    page.get_by_label("Trên cổng thông tin").check()
    page.get_by_label("Hội nghị, hội thảo").check()
    page.get_by_label("Hội đồng nhân dân xã Tân Trung").check()
    page.get_by_label("Ủy ban Mặt trận Tổ quốc Việt Nam xã Tân Trung").check()
    page.get_by_label(re.compile(r"^Dự thảo \(mỗi dòng")).fill(DRAFT)
    page.get_by_role("button", name="Lưu").click()

    assert "Đã tạo cuộc lấy ý kiến." in _messages(page)
    assert page.locator("h1").inner_text() == TITLE
    manage_url = page.url
    pk = int(re.search(r"/lay-y-kien/(\d+)/quan-ly/$", manage_url).group(1))
    problems = page.get_by_role("region", name="Điều kiện chưa đáp ứng")
    assert WINDOW_RULE in problems.inner_text()

    # Recording the plan as issued is refused while it breaks the rule the page lists (issue 10, item 1).
    plan = page.get_by_role("group", name=re.compile(r"^1\. Ban hành kế hoạch"))
    plan.get_by_label("Ngày ban hành kế hoạch").fill(_iso(start20))
    plan.get_by_label("Ngày gửi HĐND xã").fill(_iso(start20))
    plan.get_by_label("Ngày gửi Ủy ban MTTQ xã").fill(_iso(start20))
    plan.get_by_label("Ngày gửi Công đoàn cơ sở").fill("")
    plan.get_by_role("button", name="Lưu kế hoạch").click()
    refusal = _messages(page)
    assert WINDOW_RULE in refusal, refusal
    assert f"kế hoạch kết thúc ngày {today:%d/%m/%Y}" in refusal
    assert page.locator(".status").first.inner_text() == "Dự thảo kế hoạch"
    assert Consultation.objects.get(pk=pk).plan_issued_on is None

    # Staff move the start (and the day of publicizing) one day earlier: 20 days by the Civil Code count.
    page.get_by_role("link", name="Sửa kế hoạch").click()
    page.get_by_label("Ngày bắt đầu lấy ý kiến").fill(_iso(start20))
    page.get_by_role("button", name="Lưu").click()
    assert "Đã lưu." in _messages(page)
    assert WINDOW_RULE not in page.get_by_role("region", name="Điều kiện chưa đáp ứng").inner_text()

    # The plan is issued and sent to HĐND and Ủy ban MTTQ (Điều 28 khoản 1), through the form on the page.
    plan = page.get_by_role("group", name=re.compile(r"^1\. Ban hành kế hoạch"))
    plan.get_by_label("Ngày ban hành kế hoạch").fill(_iso(start20))
    plan.get_by_label("Ngày gửi HĐND xã").fill(_iso(start20))
    plan.get_by_label("Ngày gửi Ủy ban MTTQ xã").fill(_iso(start20))
    plan.get_by_label("Ngày gửi Công đoàn cơ sở").fill("")
    plan.get_by_role("button", name="Lưu kế hoạch").click()
    assert f"Đã lưu kế hoạch: ban hành ngày {start20:%d/%m/%Y}" in _messages(page)
    assert (
        "gửi HĐND: " + start20.strftime("%d/%m/%Y")
        in page.get_by_role("row", name=re.compile("^Kế hoạch")).inner_text()
    )
    assert page.get_by_role("region", name="Điều kiện chưa đáp ứng").count() == 0

    publish = page.get_by_role("group", name="2. Công bố kế hoạch và dự thảo")
    assert publish.get_by_label("Ngày công khai nội dung lấy ý kiến").input_value() == _iso(start20)
    publish.get_by_role("button", name="Công bố").click()
    assert f"Đã công bố kế hoạch và dự thảo; đang lấy ý kiến đến hết ngày {today:%d/%m/%Y}." in _messages(
        page
    )
    assert page.locator(".status").first.inner_text() == "Đang lấy ý kiến"

    # --- The head of Đồng Tâm confirms the village posting from a phone, with a photo -------------------------------
    photo = _jpeg_with_exif(tmp_path / "bang-tin.jpg")
    login(phone_page, "truongthon", DEMO_PASSWORD)
    assert phone_page.url == live_server.url + "/thon-cua-toi/"
    phone_page.get_by_role(
        "link", name=f"Niêm yết tại nhà văn hóa thôn — Kế hoạch và dự thảo: {TITLE}"
    ).click()
    assert phone_page.locator("h1").inner_text() == "Xác nhận niêm yết"
    assert "Đồng Tâm" in phone_page.locator("main").inner_text()
    _no_horizontal_scroll(phone_page)
    phone_page.get_by_label("Ngày niêm yết").fill(_iso(start20))
    phone_page.get_by_label("Ảnh chụp bảng tin (JPEG, PNG, WebP)").set_input_files(str(photo))
    phone_page.get_by_label("Ghi chú").fill("Đã dán tại bảng tin nhà văn hóa thôn.")
    phone_page.get_by_role("button", name="Xác nhận đã niêm yết").click()
    assert "Đã xác nhận niêm yết. Cảm ơn!" in _messages(phone_page)
    assert phone_page.locator("h1").inner_text() == "Niêm yết cần xác nhận"
    _no_horizontal_scroll(phone_page)
    posting = postings_of(Consultation.objects.get(pk=pk), PublicityPhase.PLAN).get(
        kind=Posting.Kind.VILLAGE_HOUSE, village__name="Đồng Tâm"
    )
    assert posting.posted_on == start20
    assert posting.confirmed_by.username == "truongthon"
    assert Path(posting.photo.path).is_relative_to(tmp_path)
    with Image.open(posting.photo.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) <= 1600, stored.size  # resized
        assert not stored.getexif(), dict(stored.getexif())  # camera model and GPS stripped

    # Staff see it in the compliance matrix.
    page.get_by_role("link", name="Công khai, niêm yết").click()
    village_row = page.get_by_role("row", name=re.compile(r"^Đồng Tâm")).first
    assert "Đúng hạn" in village_row.inner_text()

    # --- An anonymous citizen comments on Điều 2 and gets a tracking code --------------------------------------------
    citizen = other_pages("citizen", viewport=PHONE, is_mobile=True, has_touch=True)
    citizen.goto("/")
    citizen.get_by_role("link", name=re.compile("Tân Trung")).first.click()
    citizen.get_by_role("link", name=TITLE, exact=True).click()
    assert citizen.locator("h1").inner_text() == TITLE
    citizen.get_by_role("link", name="Góp ý cho Điều 2").click()
    form = citizen.locator("#gop-y")
    assert (
        form.get_by_label("Góp ý cho").locator("option:checked").inner_text() == "Điều 2. Niêm yết công khai"
    )
    form.get_by_label("Nội dung góp ý").fill(CITIZEN_TEXT)
    form.get_by_label("Họ và tên (không bắt buộc)").fill("Nguyễn Văn An")
    form.get_by_label("Thôn, tổ dân phố (không bắt buộc)").select_option(label="Đồng Tâm")
    form.get_by_role("button", name="Gửi ý kiến").click()
    assert citizen.locator("h1").inner_text() == "Đã nhận ý kiến của bạn"
    code = citizen.locator("#ma-tra-cuu").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{4,14}", code), code
    assert CITIZEN_TEXT in citizen.locator("main").inner_text()
    citizen_comment = Comment.objects.get(tracking_code=code)
    assert (citizen_comment.channel, citizen_comment.article.number, citizen_comment.village.name) == (
        "online",
        "2",
        "Đồng Tâm",
    )

    # --- Staff record a meeting and the comments raised there ------------------------------------------------------
    page.get_by_role("link", name="Hội nghị", exact=True).click()
    page.get_by_label("Tên hội nghị").fill("Hội nghị lấy ý kiến thôn Trung Đồng")
    assert page.get_by_label("Ngày tổ chức").input_value() == _iso(today)
    page.get_by_label("Địa điểm").fill("Nhà văn hóa thôn Trung Đồng")
    page.get_by_label("Thôn:", exact=True).select_option(label="Thôn Trung Đồng")
    page.get_by_label("Tổ chức chủ trì").select_option(label="Ủy ban Mặt trận Tổ quốc Việt Nam xã Tân Trung")
    page.get_by_label("Số người tham dự").fill("45")
    page.get_by_label("Biên bản tóm tắt").fill("Hội nghị nghe giới thiệu dự thảo và thảo luận.")
    page.get_by_label(re.compile(r"^Các ý kiến \(mỗi dòng")).fill("\n".join(MEETING_LINES))
    page.get_by_role("button", name="Lưu hội nghị và ý kiến").click()
    assert "Đã lưu hội nghị và 3 ý kiến." in _messages(page)
    meeting_rows = page.locator("tbody tr", has_text="Hội nghị, hội thảo")
    assert meeting_rows.count() == 3
    meeting_codes = list(
        Comment.objects.filter(consultation_id=pk, channel="meeting")
        .order_by("id")
        .values_list("tracking_code", flat=True)
    )
    assert len(meeting_codes) == 3
    assert sorted(
        Comment.objects.filter(consultation_id=pk, channel="meeting").values_list(
            "article__number", flat=True
        ),
        key=str,
    ) == sorted(["2", "3", None], key=str)

    # --- The scheduled task closes the window after its last day -------------------------------------------------
    tz = timezone.get_current_timezone()
    next_morning = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 5), tzinfo=tz)
    swept = sweep_windows(now=next_morning)
    assert swept["closed"] >= 1, swept
    assert Consultation.objects.get(pk=pk).status == Consultation.Status.CLOSED
    assert sweep_windows(now=next_morning) == {"opened": 0, "closed": 0}  # idempotent
    citizen.goto(f"/lay-y-kien/{pk}/")
    assert "Đã hết thời gian lấy ý kiến" in citizen.locator("#gop-y").inner_text()
    assert citizen.get_by_role("button", name="Gửi ý kiến").count() == 0

    # --- Staff start the synthesis and answer every comment -------------------------------------------------------
    page.get_by_role("link", name="Tổng quan").click()
    assert page.locator(".status").first.inner_text() == "Đã hết thời gian góp ý"
    page.get_by_role("button", name="Bắt đầu tổng hợp").click()
    assert page.locator(".status").first.inner_text() == "Đang tổng hợp, tiếp thu, giải trình"
    _answer(page, code, "Tiếp thu", ANSWER_TEXT)
    # The accepted comment leads to the change in a new draft version (issue 10, item 4).
    page.get_by_role("link", name="Sửa dự thảo theo ý kiến này").click()
    assert code in page.get_by_role("region", name="Sửa theo ý kiến đã tiếp thu").inner_text()
    draft = page.get_by_label("Nội dung dự thảo")
    draft.fill(draft.input_value().replace("và nhà văn hóa các thôn.", REVISED_CLAUSE))
    page.get_by_role("button", name="Lưu phiên bản").click()
    assert "Đã lưu dự thảo lần 2." in _messages(page)
    assert Comment.objects.get(tracking_code=code).changed_article.label.startswith("Khoản 1 Điều 2")
    _answer(
        page, meeting_codes[0], "Tiếp thu một phần", "Bổ sung hình thức thông báo qua nhóm Zalo của thôn."
    )
    _answer(page, meeting_codes[1], "Tiếp thu", "Giao Trưởng thôn chịu trách nhiệm niêm yết tại thôn.")
    _answer(
        page,
        meeting_codes[2],
        "Giải trình, không tiếp thu",
        "Dự thảo được niêm yết tại nhà văn hóa thôn và đọc trên loa truyền thanh; không in phát từng hộ.",
    )

    # Before the results are published, the citizen's lookup does not show the answer yet.
    citizen.goto("/tra-cuu/")
    citizen.get_by_label("Mã tra cứu").fill(code)
    citizen.get_by_role("button", name="Tra cứu").click()
    assert "Ý kiến đang được tổng hợp" in citizen.locator("main").inner_text()
    assert ANSWER_TEXT not in citizen.locator("main").inner_text()

    # --- Ủy ban MTTQ reviews every comment and submits its summary --------------------------------------------------
    mttq = other_pages("mttq")
    login(mttq, "mttq", DEMO_PASSWORD)
    mttq.get_by_role("link", name="Lấy ý kiến", exact=True).first.click()
    mttq.get_by_role("link", name=TITLE, exact=True).click()
    mttq.get_by_role("link", name="Giám sát (MTTQ, Công đoàn)").click()
    assert mttq.locator("h1").inner_text() == f"Giám sát: {TITLE}"
    assert "4 ý kiến." in mttq.locator("main").inner_text()
    mttq.get_by_label("Nội dung tổng hợp").fill(
        "Ủy ban MTTQ xã đã phối hợp tổ chức 01 hội nghị tại thôn Trung Đồng; Nhân dân đồng tình với dự thảo."
    )
    mttq.get_by_label("Số hội nghị đã tổ chức").fill("1")
    mttq.get_by_label("Số lượt người tham gia").fill("45")
    mttq.get_by_role("button", name="Gửi UBND xã").click()
    assert "Đã gửi báo cáo tổng hợp đến UBND xã." in _messages(mttq)
    assert "Đã gửi ngày" in mttq.get_by_role("region", name=re.compile("^Báo cáo tổng hợp")).inner_text()

    # --- Staff draft the BÁO CÁO tổng hợp, tiếp thu, giải trình; the chairman signs it ------------------------------
    page.get_by_role("link", name="Tổng quan").click()
    problems = page.get_by_role("region", name="Điều kiện chưa đáp ứng").inner_text()
    assert "Chưa lập Báo cáo tổng hợp, tiếp thu, giải trình" in problems, problems
    page.get_by_role("button", name="Lập Báo cáo tổng hợp (văn bản)").click()
    assert "Đã tạo văn bản từ dữ liệu" in _messages(page)
    problems = page.get_by_role("region", name="Điều kiện chưa đáp ứng").inner_text()
    assert "chưa được lãnh đạo ký ban hành" in problems, problems
    leader = other_pages("leader")
    login(leader, "chutich", DEMO_PASSWORD)
    leader.goto(manage_url)
    leader.get_by_role("row", name=re.compile("^Báo cáo tổng hợp")).get_by_role("link").first.click()
    leader.get_by_role("button", name="Ký ban hành (cấp số)").click()
    report = Consultation.objects.get(pk=pk).report_document
    assert report.status == "issued" and report.issued_on == today

    # --- Staff publish the results of the signed report -----------------------------------------------------------
    page.reload()
    assert page.get_by_role("region", name="Điều kiện chưa đáp ứng").count() == 0
    results = page.get_by_role("group", name=re.compile(r"^Công khai kết quả tổng hợp"))
    assert results.get_by_label("Ngày báo cáo kết quả tổng hợp").input_value() == _iso(today)
    results.get_by_label("Nhận xét chung").fill(
        "Nhân dân cơ bản đồng tình; 04 ý kiến đã được tiếp thu, giải trình."
    )
    results.get_by_role("button", name="Công khai kết quả").click()
    assert "Đã công khai kết quả; cuộc lấy ý kiến nay ở bước “Đã công khai kết quả”." in _messages(page)
    assert Consultation.objects.get(pk=pk).status == Consultation.Status.RESULTS_PUBLISHED

    # --- The citizen looks the code up and reads the answer ---------------------------------------------------------
    citizen.goto(f"/lay-y-kien/{pk}/")
    assert citizen.get_by_role("heading", name="Kết quả tổng hợp, tiếp thu, giải trình").is_visible()
    changes = citizen.get_by_role("region", name="Điều khoản đã sửa theo ý kiến").inner_text()
    assert "Khoản 1 Điều 2" in changes and code in changes, changes
    citizen.get_by_role("link", name="Tra cứu ý kiến của bạn").click()
    citizen.get_by_label("Mã tra cứu").fill(code.lower())  # as typed from a note, in lower case
    citizen.get_by_role("button", name="Tra cứu").click()
    found = citizen.locator("main")
    assert citizen.get_by_role("heading", name=f"Ý kiến {code}").is_visible()
    assert citizen.get_by_role("heading", name="Trả lời: Tiếp thu").is_visible()
    assert ANSWER_TEXT in found.inner_text()
    assert CITIZEN_TEXT in found.inner_text()
    _no_horizontal_scroll(citizen)

    # --- Adoption: the QUYẾT ĐỊNH is generated (the regulation as its annex), signed, numbered by the register -----
    page.get_by_role("link", name="Tổng quan").click()
    problems = page.get_by_role("region", name="Điều kiện chưa đáp ứng").inner_text()
    assert "Chưa lập Quyết định ban hành" in problems, problems
    page.get_by_role("button", name="Lập Quyết định ban hành (văn bản)").click()
    assert "Đã tạo văn bản từ dữ liệu" in _messages(page)
    leader.goto(manage_url)
    leader.get_by_role("row", name=re.compile("^Quyết định ban hành")).get_by_role("link").first.click()
    _shot(leader, "4-decision-draft")
    leader.get_by_role("button", name="Ký ban hành (cấp số)").click()
    assert "Đã ban hành văn bản." in _messages(leader)
    decision = Consultation.objects.get(pk=pk).decision_document
    number = decision.number_line_value()
    assert decision.status == "issued" and decision.issued_on == today and number.endswith("/QĐ-UBND")
    pdf = leader.request.get(f"/van-ban/{decision.pk}/pdf/")
    assert pdf.ok and pdf.body()[:4] == b"%PDF"
    _save_pdf(pdf.body(), "quyet-dinh-ban-hanh.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split())
    assert f"Số: {number}" in text and "QUYẾT ĐỊNH" in text and "QUY CHẾ" in text
    assert f"Ban hành kèm theo Quyết định số {number} ngày {today:%d/%m/%Y}" in text
    assert "Điều 2. Niêm yết công khai" in text and "Thời gian niêm yết ít nhất 30 ngày liên tục" in text
    assert REVISED_CLAUSE in text  # the annex is the last draft version, with the accepted change

    # The chairman records the adoption: no number to type, no text to paste — only the HĐND session.
    leader.goto(manage_url)
    adopt = leader.get_by_role("group", name=re.compile(r"^Ghi nhận Quyết định ban hành"))
    assert adopt.get_by_label(re.compile("Số, ký hiệu")).count() == 0
    assert adopt.get_by_label("Văn bản được ban hành").count() == 0
    adopt.get_by_label("Kỳ họp thường lệ gần nhất của HĐND xã").fill(_iso(today + dt.timedelta(days=30)))
    adopt.get_by_role("button", name="Ban hành").click()
    adopted = Consultation.objects.get(pk=pk)
    assert adopted.status == Consultation.Status.ADOPTED, _messages(leader)
    assert adopted.decision_number == number and adopted.decision_date == today
    assert "Điều 2. Niêm yết công khai" in adopted.final_text
    _shot(leader, "5-adopted")

    # --- The regulation is publicized (postings confirmed, radio three days; as the people on the spot would) -----
    for p in postings_of(adopted, PublicityPhase.REGULATION):
        if p.kind == Posting.Kind.RADIO:
            for k in range(3):
                consultation_services.broadcast_log(
                    posting=p,
                    by=demo.users["truyenthanh"],
                    broadcast_on=today + dt.timedelta(days=k),
                    now=_day(today, 3),
                )
        else:
            consultation_services.posting_confirm(
                posting=p,
                by=demo.users["canbo"],
                posted_on=today,
                note="Trưởng thôn báo qua điện thoại; ảnh lưu tại Văn phòng" if p.village_id else "",
                on_behalf_reason="Trưởng thôn báo qua điện thoại" if p.village_id else "",
                now=_day(today, 0),
            )
    # Three days later (the radio's third day) staff confirm that the regulation was publicized.
    consultation_services.consultation_mark_publicized(
        consultation=adopted, by=demo.users["canbo"], now=_day(today, 3)
    )
    assert Consultation.objects.get(pk=pk).status == Consultation.Status.PUBLICIZED

    # --- Reported to HĐND at its session (Điều 28 khoản 5), through the page ------------------------------------------
    page.goto(manage_url)
    report_form = page.get_by_role("group", name="Báo cáo HĐND xã (Điều 28 khoản 5)")
    report_form.get_by_label("Ngày báo cáo HĐND xã").fill(_iso(today))
    report_form.get_by_role("button", name="Đã báo cáo HĐND").click()
    assert Consultation.objects.get(pk=pk).status == Consultation.Status.REPORTED, _messages(page)
    _shot(page, "6-reported")

    # The public page shows the adopted regulation with its decision.
    citizen.goto(f"/lay-y-kien/{pk}/")
    adopted_text = citizen.get_by_role("region", name="Văn bản đã ban hành").inner_text()
    assert f"Quyết định số {number} ngày {today:%d/%m/%Y}" in adopted_text, adopted_text
    _shot(citizen, "7-public-adopted")


def _day(d: dt.date, later: int) -> dt.datetime:
    return dt.datetime.combine(
        d + dt.timedelta(days=later), dt.time(9), tzinfo=timezone.get_current_timezone()
    )


def _save_pdf(body: bytes, name: str) -> None:
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(body)


def _shot(pg, name: str) -> None:
    """Screenshots of the steps a person would check, when PORTAL_SCREENSHOTS names a folder."""
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_the_signed_plan_tells_the_truth(transactional_db, page, other_pages, login, live_server):
    """Issue 10, item 1: the chairman cannot sign a KẾ HOẠCH whose window breaks Điều 28 khoản 2; once signed, moving
    a date drafts a new version of the plan (the signed one stays); the public page names the plan in force."""
    from consultations import services
    from consultations.models import Audience, Category, Channel

    core = seed_core()
    today = timezone.localdate()
    opens = today + dt.timedelta(days=1)
    c = services.consultation_create(
        commune=core.commune,
        by=core.users["canbo"],
        title="Dự thảo Quy chế quản lý nhà văn hóa thôn",
        category=Category.P7,
        audience=Audience.PEOPLE,
        opens_on=opens,
        closes_on=opens + dt.timedelta(days=15),
        summary_due_on=opens + dt.timedelta(days=30),
        channels=[Channel.ONLINE, Channel.MEETING],
        draft_text="Điều 1. Phạm vi\nQuy chế này áp dụng cho nhà văn hóa các thôn.",
    )
    manage_url = f"/lay-y-kien/{c.pk}/quan-ly/"
    login(page, "canbo", DEMO_PASSWORD)
    page.goto(manage_url)
    page.get_by_role("button", name="Tạo Kế hoạch (văn bản)").click()
    assert "Đã tạo văn bản từ dữ liệu" in _messages(page)

    # The chairman opens the plan: the page says why it cannot be signed, and signing is refused.
    leader = other_pages("leader")
    login(leader, "chutich", DEMO_PASSWORD)
    leader.goto(manage_url)
    leader.get_by_role("row", name=re.compile(r"^Kế hoạch \(văn bản\)")).get_by_role("link").first.click()
    blocked = leader.get_by_role("region", name="Chưa ký ban hành được").inner_text()
    assert WINDOW_RULE in blocked, blocked
    _shot(leader, "1-plan-cannot-be-signed")
    leader.get_by_role("button", name="Ký ban hành (cấp số)").click()
    assert WINDOW_RULE in _messages(leader)
    plan_url = leader.url
    assert Consultation.objects.get(pk=c.pk).plan_document.status == "draft"

    # Staff lengthen the window; the draft plan follows; the chairman signs it.
    closes = period_end(opens, 20)
    page.get_by_role("link", name="Sửa kế hoạch").click()
    page.get_by_label("Ngày kết thúc lấy ý kiến").fill(_iso(closes))
    page.get_by_role("button", name="Lưu").click()
    assert "Đã lưu." in _messages(page)
    leader.goto(plan_url)
    assert leader.get_by_role("region", name="Chưa ký ban hành được").count() == 0
    leader.get_by_role("button", name="Ký ban hành (cấp số)").click()
    assert "Đã ban hành văn bản." in _messages(leader)
    first = Consultation.objects.get(pk=c.pk).plan_document
    assert first.status == "issued"

    # Staff record the sending to HĐND and MTTQ, then move the MTTQ due date: a new version of the plan is drafted.
    plan = page.get_by_role("group", name=re.compile(r"^1\. Ban hành kế hoạch"))
    plan.get_by_label("Ngày gửi HĐND xã").fill(_iso(today))
    plan.get_by_label("Ngày gửi Ủy ban MTTQ xã").fill(_iso(today))
    plan.get_by_label("Ngày gửi Công đoàn cơ sở").fill("")
    plan.get_by_role("button", name="Lưu kế hoạch").click()
    assert Consultation.objects.get(pk=c.pk).plan_issued_on == today
    page.get_by_role("link", name="Sửa kế hoạch").click()
    assert "Kế hoạch đã ban hành" in page.locator("main").inner_text()
    page.get_by_label("Hạn MTTQ / Công đoàn gửi kết quả tổng hợp").fill(_iso(closes + dt.timedelta(days=5)))
    page.get_by_role("button", name="Lưu").click()
    assert "đã lập Kế hoạch sửa đổi (dự thảo phiên bản 2)" in _messages(page)
    _shot(page, "2-plan-revision-drafted")
    c.refresh_from_db()
    assert c.plan_document.version == 2 and c.plan_issued_on is None
    first.refresh_from_db()
    assert first.status == "issued"  # the signed plan stays as signed

    # The chairman signs version 2; staff send it and publish; the public page names the plan in force.
    leader.goto(manage_url)
    leader.get_by_role("row", name=re.compile(r"^Kế hoạch \(văn bản\)")).get_by_role("link").first.click()
    leader.get_by_role("button", name="Ký ban hành (cấp số)").click()
    second = Consultation.objects.get(pk=c.pk).plan_document
    assert second.status == "issued" and second.previous_id == first.pk
    page.reload()
    plan = page.get_by_role("group", name=re.compile(r"^1\. Ban hành kế hoạch"))
    plan.get_by_label("Ngày gửi HĐND xã").fill(_iso(today))
    plan.get_by_label("Ngày gửi Ủy ban MTTQ xã").fill(_iso(today))
    plan.get_by_label("Ngày gửi Công đoàn cơ sở").fill("")
    plan.get_by_role("button", name="Lưu kế hoạch").click()
    publish = page.get_by_role("group", name="2. Công bố kế hoạch và dự thảo")
    publish.get_by_label("Ngày công khai nội dung lấy ý kiến").fill(_iso(today))
    publish.get_by_role("button", name="Công bố").click()
    assert Consultation.objects.get(pk=c.pk).status in ("published", "open"), _messages(page)
    citizen = other_pages("citizen", viewport=PHONE, is_mobile=True, has_touch=True)
    citizen.goto(f"/lay-y-kien/{c.pk}/")
    in_force = citizen.locator("#ke-hoach").inner_text()
    assert f"Theo Kế hoạch số {second.number_line_value()}" in in_force, in_force
    assert f"thay thế Kế hoạch số {first.number_line_value()}" in in_force, in_force
    _shot(citizen, "3-public-plan-in-force")
