"""Comments through the core intake: the /tra-cuu/ lookup, flood control on the real form, form tokens."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import services, tasks
from consultations.models import Comment, Consultation
from portal.intake.models import FormToken
from tests.consultations.factories import at, issue_report, make_published, submit
from tests.consultations.views.test_public import _bulk_comments, _open_now

pytestmark = pytest.mark.django_db

LOOKUP = "/tra-cuu/"


def _answer_and_publish(c, staff, mttq):
    tasks.sweep_windows(now=at(2024, 3, 21, 0, 5))
    c = services.consultation_start_synthesis(
        consultation=Consultation.objects.get(pk=c.pk), by=staff, now=at(2024, 3, 21, 8)
    )
    for cm in Comment.objects.filter(consultation=c):
        services.comment_answer(
            comment=cm,
            by=staff,
            kind=Comment.Answer.ACCEPTED,
            text="Đã bổ sung vào Điều 2.",
            now=at(2024, 3, 22),
        )
    s = services.summary_save(consultation=c, by=mttq, text="Tổng hợp", now=at(2024, 3, 22))
    services.summary_submit(summary=s, by=mttq, now=at(2024, 3, 22))
    c = issue_report(c, staff, now=at(2024, 3, 27))
    services.consultation_publish_results(
        consultation=c,
        by=staff,
        issued_on=dt.date(2024, 3, 27),
        results_summary="Đồng tình.",
        now=at(2024, 3, 27),
    )


def test_core_lookup_finds_a_comment_by_code_with_its_status_and_answer(
    client, commune, village, staff, mttq
):
    assert reverse("intake_lookup") == LOOKUP
    c = make_published(commune, staff)
    pending = submit(c, text="Ý kiến chưa trả lời")
    html = client.get(LOOKUP, {"ma": pending.tracking_code.lower()}).content.decode()
    assert re.search(rf"<h2[^>]*>Ý kiến <span[^>]*>{pending.tracking_code}</span></h2>", html)
    assert "Dự thảo Quy chế" in html and "Ý kiến chưa trả lời" in html and "đang được tổng hợp" in html
    _answer_and_publish(c, staff, mttq)
    r = client.get(LOOKUP, {"ma": pending.tracking_code})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Trả lời: Tiếp thu" in html and "Đã bổ sung vào Điều 2." in html and "Đã trả lời" in html
    assert "đang được tổng hợp" not in html


def test_lookup_never_shows_contact_details_nor_agency_comments(client, commune, village, staff):
    from consultations.models import Audience

    c = make_published(commune, staff)
    cm = submit(c, contact="0912 345 678", author_name="Nguyễn Văn An")
    html = client.get(LOOKUP, {"ma": cm.tracking_code}).content.decode()
    assert "0912 345 678" not in html
    agency = make_published(commune, staff, audience=Audience.STAFF, title="Quy chế nội bộ")
    internal = submit(agency, text="Ý kiến nội bộ")
    r = client.get(LOOKUP, {"ma": internal.tracking_code})
    assert r.status_code == 404 and "Ý kiến nội bộ" not in r.content.decode()


def test_old_lookup_address_redirects_with_the_code(client, commune, village, staff):
    c = make_published(commune, staff)
    cm = submit(c)
    r = client.get(reverse("consultations:track"), {"ma": cm.tracking_code})
    assert r.status_code == 301 and r["Location"] == f"{LOOKUP}?ma={cm.tracking_code}"
    assert client.get(reverse("consultations:track"))["Location"] == LOOKUP


def test_lookup_query_count_is_the_same_found_or_not_and_whatever_the_number_of_comments(
    client, commune, village, staff
):
    c = make_published(commune, staff)
    cm = submit(c)
    client.get(LOOKUP)

    def queries(code):
        with CaptureQueriesContext(connection) as ctx:
            client.get(LOOKUP, {"ma": code})
        return len(ctx.captured_queries)

    found, missing = queries(cm.tracking_code), queries("9999-9999")
    _bulk_comments(c, 25, village)
    assert found == missing == queries(cm.tracking_code) == 1


def test_a_village_of_thirty_on_one_address_can_all_comment(commune, village, staff):
    c = _open_now(commune, staff)
    url = reverse("consultations:comment_submit", args=[c.pk])
    for person in range(30):
        browser = Client(REMOTE_ADDR="203.0.113.50")  # the cultural house's Wi-Fi
        browser.cookies["csrftoken"] = f"{person:032d}"
        for n, text in enumerate(("Nhất trí với dự thảo", f"Đề nghị bổ sung ý kiến số {person}")):
            r = browser.post(url, {"text": text, "form_token": f"v{person}-{n}", "village": village.pk})
            assert r.status_code == 302, (person, n, r.status_code)
    assert Comment.objects.filter(consultation=c).count() == 60


def test_a_flood_from_one_browser_is_stopped_and_changes_nothing(commune, village, staff):
    c = _open_now(commune, staff)
    url = reverse("consultations:comment_submit", args=[c.pk])
    bot = Client(REMOTE_ADDR="198.51.100.66")
    bot.cookies["csrftoken"] = "b" * 32
    codes = [bot.post(url, {"text": f"Quảng cáo {i}", "form_token": f"f{i}"}).status_code for i in range(20)]
    assert codes[:3] == [302, 302, 302] and set(codes[3:]) == {429}
    r = bot.post(url, {"text": "Quảng cáo nữa", "form_token": "f99"})
    html = r.content.decode()
    assert r.status_code == 429 and "Bạn gửi quá nhanh" in html and int(r["Retry-After"]) > 0
    assert "Quảng cáo nữa" in html  # the text stays in the form for a real person to send later
    assert Comment.objects.filter(consultation=c).count() == 3
    assert FormToken.objects.count() == 3
    neighbour = Client(REMOTE_ADDR="198.51.100.66")
    neighbour.cookies["csrftoken"] = "n" * 32
    assert neighbour.post(url, {"text": "Ý kiến thật", "form_token": "n1"}).status_code == 302


def test_double_click_on_the_last_allowed_comment_still_lands_on_the_receipt(client, commune, village, staff):
    c = _open_now(commune, staff)
    url = reverse("consultations:comment_submit", args=[c.pk])
    client.cookies["csrftoken"] = "d" * 32
    for i in range(2):
        client.post(url, {"text": f"Ý kiến {i}", "form_token": f"d{i}"})
    first = client.post(url, {"text": "Ý kiến thứ ba", "form_token": "d2"})
    again = client.post(url, {"text": "Ý kiến thứ ba", "form_token": "d2"})
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert Comment.objects.count() == 3


def test_a_repeat_just_after_the_window_closed_gets_the_receipt(commune, village, staff):
    c = make_published(commune, staff)
    cm = submit(c, token="late-click", now=at(2024, 3, 20, 23, 59))
    again = services.comment_submit(
        consultation=c, text="x", form_token="late-click", now=at(2024, 3, 21, 0, 1)
    )
    assert again.pk == cm.pk
    with pytest.raises(ValidationError, match="Đã hết thời gian"):
        services.comment_submit(consultation=c, text="x", form_token="new-one", now=at(2024, 3, 21, 0, 1))


def test_a_token_used_on_another_consultation_is_an_invalid_form(commune, village, staff):
    a = make_published(commune, staff)
    b = make_published(commune, staff, title="Dự thảo khác")
    submit(a, token="shared")
    with pytest.raises(ValidationError, match="Biểu mẫu không hợp lệ"):
        submit(b, token="shared")
    assert Comment.objects.filter(consultation=b).count() == 0


@pytest.mark.parametrize("token", ["", "x" * 65, "có dấu", "a b"])
def test_odd_form_tokens_are_refused(commune, village, staff, token):
    c = make_published(commune, staff)
    with pytest.raises(ValidationError, match="Biểu mẫu không hợp lệ"):
        services.comment_submit(consultation=c, text="Ý kiến", form_token=token, now=at(2024, 3, 5))
    assert not Comment.objects.exists()


def test_staff_recording_is_idempotent_per_token_and_never_limited(commune, village, staff, settings):
    from consultations.models import Channel

    settings.PORTAL_INTAKE_LIMITS = {"address": (1, 600), "client_burst": (1, 60)}
    c = make_published(commune, staff)
    kw = {"consultation": c, "by": staff, "channel": Channel.PAPER, "now": at(2024, 3, 5)}
    first = services.comment_record(text="Phiếu 1", form_token="paper-1", **kw)
    assert services.comment_record(text="Phiếu 1", form_token="paper-1", **kw).pk == first.pk
    for i in range(5):
        services.comment_record(text=f"Phiếu {i + 2}", **kw)
    assert Comment.objects.filter(consultation=c).count() == 6
