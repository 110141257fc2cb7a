"""At 390 px (issue 10 item 8): filter forms stack each label above its field and their selects say what the empty
choice means; the code lookup field is big enough to tap and read; list cards have no bullets; a village head's
posting cards say which consultation each is for and overdue ones stand out."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from consultations import services
from tests.consultations.factories import make_consultation, make_published, submit
from tests.factories import PASSWORD

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("PORTAL_SCREENSHOTS", str(ARTIFACTS))  # where the 390 px screenshots go


def _box(locator) -> dict:
    return locator.bounding_box()


def _current(commune, staff, title):
    """A consultation publicized today: its postings are not yet due."""
    today = timezone.localdate()
    c = make_consultation(
        commune,
        staff,
        title=title,
        opens_on=today,
        closes_on=today + dt.timedelta(days=25),
        summary_due_on=today + dt.timedelta(days=30),
        now=timezone.now(),
    )
    services.consultation_issue_plan(
        consultation=c, by=staff, issued_on=today, sent_hdnd_on=today, sent_mttq_on=today, now=timezone.now()
    )
    return services.consultation_publish(consultation=c, by=staff, publicized_on=today, now=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_phone_filters_lookup_and_posting_cards(phone_page, login, commune, village, staff, village_head):
    old = make_published(commune, staff, title="Dự thảo Quy chế thực hiện dân chủ của xã")
    submit(old, village=village)
    _current(commune, staff, "Đề án sáp nhập thôn Cầu Đen và thôn Non Giăng")
    page = phone_page
    os.makedirs(SHOTS, exist_ok=True)

    # The code lookup: at least 44 px tall, 16 px text, as wide as the screen allows.
    page.goto("/tra-cuu/")
    field = page.get_by_label("Mã tra cứu")
    box = _box(field)
    assert box["height"] >= 44, box
    assert box["width"] >= 300, box
    assert field.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
    page.screenshot(path=f"{SHOTS}/lookup-390.png", full_page=True)

    # Public list: cards without bullets.
    page.goto("/lay-y-kien/")
    cards = page.locator("li.card")
    assert cards.count() == 2
    assert cards.first.evaluate("e => getComputedStyle(e).listStyleType") == "none"

    # Staff comment filter: each label above its own field; selects read in Vietnamese.
    login(page, staff.username, PASSWORD)
    page.goto(f"/lay-y-kien/{old.pk}/y-kien/")
    form = page.locator("form.filters")
    for label_text in ("Thôn", "Hình thức", "Trạng thái"):
        label = form.get_by_text(label_text, exact=True)
        control = form.get_by_label(label_text, exact=True)
        lb, cb = _box(label), _box(control)
        assert lb["y"] + lb["height"] <= cb["y"] + 1, (label_text, lb, cb)  # above, not beside
        assert abs(lb["x"] - cb["x"]) <= 2, (label_text, lb, cb)
        assert cb["height"] >= 44 and cb["width"] >= 300, (label_text, cb)
    assert form.get_by_label("Thôn", exact=True).locator("option").first.inner_text() == "Tất cả các thôn"
    assert "---------" not in form.inner_html()
    page.screenshot(path=f"{SHOTS}/comment-filter-390.png", full_page=True)

    # The village head's postings: which consultation each card is for; the overdue one highlighted and said.
    page.context.clear_cookies()
    login(page, village_head.username, PASSWORD)
    page.goto("/cong-khai/niem-yet/")
    cards = page.locator("ul.posting-cards > li.card")
    assert cards.count() == 4  # the cultural house and the village head's copy, for each consultation
    texts = [cards.nth(i).inner_text() for i in range(4)]
    assert any("Quy chế thực hiện dân chủ" in t for t in texts)
    assert any("sáp nhập thôn Cầu Đen" in t for t in texts)
    overdue = page.locator("ul.posting-cards > li.card.overdue")
    assert overdue.count() == 2
    for i in range(2):
        assert "Quy chế" in overdue.nth(i).inner_text() and "Quá hạn" in overdue.nth(i).inner_text()
        assert overdue.nth(i).evaluate("e => getComputedStyle(e).borderLeftWidth") == "6px"
    fresh = page.locator("ul.posting-cards > li.card:not(.overdue)")
    assert fresh.count() == 2
    assert all("Quá hạn" not in fresh.nth(i).inner_text() for i in range(2))
    assert cards.first.evaluate("e => getComputedStyle(e).listStyleType") == "none"
    page.screenshot(path=f"{SHOTS}/postings-390.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_phone_results_charts_are_named_fit_the_screen_and_sit_by_their_tables(
    phone_page, commune, village, other_village, staff, mttq
):
    """Issue 10 item 7 as a citizen sees it on a phone: each figure is a drawn chart with its text alternative, no
    wider than the screen, followed by the table that says the same."""
    from tests.consultations.views.test_results_charts import _results

    c = _results(commune, staff, mttq, [village, other_village], 4)
    page = phone_page
    page.goto(f"/lay-y-kien/{c.pk}/")
    charts = page.get_by_role("img")
    names = [charts.nth(i).get_attribute("aria-labelledby") for i in range(charts.count())]
    assert len([n for n in names if n and n.startswith("chart-")]) >= 5
    for title in ("Số ý kiến theo hình thức", "Số ý kiến theo thôn", "Số ý kiến trên 100 hộ"):
        chart = page.locator("svg.chart", has=page.locator("title", has_text=title))
        box = chart.bounding_box()
        assert box is not None and box["width"] > 100 and box["x"] >= 0 and box["x"] + box["width"] <= 390, (
            box
        )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing pushes the page sideways
    assert page.get_by_role("table", name="Tham gia theo thôn").is_visible()
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/results-charts-390.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_phone_petition_list_is_one_readable_card_per_petition(
    phone_page, login, commune, village, staff, village_head
):
    """A village head reads the petitions of the village on a phone: each petition is a card as wide as the screen
    (its text not squeezed into a column a word wide), each value named, nothing pushing the page sideways."""
    from tests.dialogues.factories import record

    text = "Đề nghị nâng cấp đoạn đường trục thôn Đồng Tâm, mặt đường hư hỏng nặng sau mùa mưa."
    record(commune=commune, by=staff, village=village, text=text)
    record(commune=commune, by=staff, village=village, text="Xin lắp thêm đèn chiếu sáng ngõ xóm.")
    page = phone_page
    login(page, village_head.username, PASSWORD)
    page.goto("/doi-thoai/kien-nghi/")
    rows = page.locator("table.stack-on-phone tbody tr")
    assert rows.count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cell = page.locator("td", has_text="mặt đường hư hỏng").first
    box = cell.bounding_box()
    assert box["width"] >= 300, box  # the whole width of the card, not a narrow column
    labels = rows.first.locator("td").evaluate_all(
        "tds => tds.map(td => getComputedStyle(td, '::before').content)"
    )
    assert labels[1:] == [
        '"Nội dung: "',
        '"Thôn: "',
        '"Kênh: "',
        '"Lĩnh vực: "',
        '"Trạng thái: "',
        '"Giao / hạn: "',
    ]
    assert (
        not page.locator("table.stack-on-phone thead").is_visible()
        or page.locator("table.stack-on-phone thead").bounding_box()["width"] <= 1
    )  # headers are for screen readers only on a phone
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/petitions-390.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_phone_judge_sheet_is_one_named_card_per_criterion(phone_page, login):
    """A judge scoring on a phone: each criterion's cells stack under its title, each named (maximum, your points,
    comment), a group's row shows no empty stripes, and nothing pushes the page sideways."""
    from campaigns import services as campaigns
    from tests.campaigns.factories import NOW, make_world
    from tests.campaigns.test_services import self_submitted

    world = make_world(1)
    participant = self_submitted(world)
    judge = world.judges[0]
    campaigns.judge_assign(participant=participant, judge=judge, by=world.organizer, now=NOW)
    page = phone_page
    login(page, judge.username, PASSWORD)
    page.goto(f"/thi-dua/don-vi/{participant.pk}/cham/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    leaf = page.locator("table.sheet tbody tr.crit-sub").first
    labels = leaf.locator("td").evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
    assert labels == [
        '"Tối đa: "',
        "none",
        '"Điểm của bạn: "',
        '"Nhận xét: "',
    ]  # the self-score cell says its name
    assert leaf.get_by_label("Điểm tiêu chí 1.1").is_visible()
    group = page.locator("table.sheet tbody tr.crit-group").first
    shown = group.locator("td").evaluate_all(
        "tds => tds.filter(td => getComputedStyle(td).display !== 'none').map(td => td.textContent.trim())"
    )
    assert shown and all(shown), shown  # only the group's maximum, no empty cells
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/judge-sheet-390.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_phone_document_preview_shows_the_whole_a4_sheet(phone_page, login, commune, staff):
    """The preview of a document is an A4 sheet as printed: on a phone it is shown whole and as large as the screen
    allows (scaled to its width, to zoom into), neither cut at the right edge nor shrunk to a desktop's 980 px."""
    from portal.documents.services import document_create_from_spec
    from tests.documents.factories import minimal_spec, orgs_for

    doc = document_create_from_spec(
        spec=minimal_spec(title="Kế hoạch xem thử trên điện thoại"),
        issuer=orgs_for(commune)["UBND"],
        by=staff,
        commune=commune,
    )
    page = phone_page
    login(page, staff.username, PASSWORD)
    page.goto(f"/van-ban/{doc.pk}/xem-truoc/")
    assert page.get_by_text("Kế hoạch xem thử trên điện thoại").first.is_visible()
    shown = page.evaluate("document.documentElement.scrollWidth * window.visualViewport.scale")
    assert shown <= 391, shown  # whole: nothing beyond the right edge
    text_px = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.vb')).fontSize) * window.visualViewport.scale"
    )
    assert text_px >= 8.5, (
        text_px
    )  # laid out for the sheet's width (820 px), not a desktop's 980: 8.9 px, not 7.4
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/document-preview-390.png")


@pytest.mark.django_db(transaction=True)
def test_phone_dialogue_page_deadlines_are_named_cards(
    phone_page, login, commune, village, staff, village_head
):
    """A village head opens the dialogue of the village on a phone: each statutory deadline is a card whose values
    are named (what, due, state), the long titles not squeezed beside two narrow columns."""
    from tests.dialogues.factories import noticed_dialogue, ubnd

    ubnd(commune)
    dialogue = noticed_dialogue(commune=commune, by=staff, villages=[village])
    page = phone_page
    login(page, village_head.username, PASSWORD)
    page.goto(f"/doi-thoai/{dialogue.pk}/")
    table = page.locator("h2:text('Thời hạn theo quy định') + div table")
    rows = table.locator("tbody tr")
    assert rows.count() >= 1
    labels = rows.first.locator("td").evaluate_all(
        "tds => tds.map(td => getComputedStyle(td, '::before').content)"
    )
    assert labels == ["none", '"Hạn: "', '"Trạng thái: "']  # the first value is the title itself
    assert rows.first.locator("td").first.bounding_box()["width"] >= 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
