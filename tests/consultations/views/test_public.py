import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import services, tasks
from consultations.models import Channel, Comment, Consultation
from tests.consultations.factories import at, make_consultation, make_published

pytestmark = pytest.mark.django_db


def _open_now(commune, staff):
    """A consultation whose window includes today (the views use the real clock)."""
    today = timezone.localdate()
    c = make_consultation(commune, staff, opens_on=today, closes_on=today + dt.timedelta(days=30),
                          summary_due_on=today + dt.timedelta(days=35), now=timezone.now())
    services.consultation_issue_plan(consultation=c, by=staff, issued_on=today, sent_hdnd_on=today,
                                     sent_mttq_on=today)
    return services.consultation_publish(consultation=c, by=staff, publicized_on=today)


def test_public_page_shows_articles_and_form(client, commune, village, staff):
    c = _open_now(commune, staff)
    r = client.get(reverse("consultations:public_detail", args=[c.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Điều 2. Nguyên tắc thực hiện dân chủ" in html
    assert "Nội dung góp ý" in html and "Gửi ý kiến" in html


def test_draft_is_not_public(client, commune, staff, other_staff):
    c = make_consultation(commune, staff)
    assert client.get(reverse("consultations:public_detail", args=[c.pk])).status_code == 404
    client.force_login(other_staff)
    assert client.get(reverse("consultations:public_detail", args=[c.pk])).status_code == 404
    assert client.get(reverse("consultations:manage", args=[c.pk])).status_code == 404


def test_submit_receipt_and_double_post(client, commune, village, staff):
    c = _open_now(commune, staff)
    article = c.versions.get().articles.get(key="d-2")
    data = {"text": "Đề nghị bổ sung <b>tiếp công dân</b>", "article": article.pk, "village": village.pk,
            "form_token": "abc123", "website": ""}
    url = reverse("consultations:comment_submit", args=[c.pk])
    r1 = client.post(url, data)
    r2 = client.post(url, data)
    assert r1.status_code == 302 and r1["Location"] == r2["Location"]
    comment = Comment.objects.get()
    assert comment.article == article and comment.channel == Channel.ONLINE
    receipt = client.get(r1["Location"])
    assert comment.tracking_code in receipt.content.decode()
    assert "<b>tiếp" not in receipt.content.decode()
    r = client.get(reverse("consultations:track"), {"ma": comment.tracking_code.lower().replace("-", "")})
    assert comment.tracking_code in r.content.decode() and "đang được tổng hợp" in r.content.decode()


def test_honeypot_saves_nothing(client, commune, village, staff):
    c = _open_now(commune, staff)
    r = client.post(reverse("consultations:comment_submit", args=[c.pk]),
                    {"text": "mua ngay", "form_token": "t1", "website": "http://spam"})
    assert r.status_code == 400 and not Comment.objects.exists()


def test_post_after_close_is_refused_and_page_says_so(client, commune, village, staff):
    c = make_published(commune, staff)  # window 29/02–20/03/2024, long past
    tasks.sweep_windows()
    r = client.post(reverse("consultations:comment_submit", args=[c.pk]), {"text": "muộn", "form_token": "t2"})
    assert r.status_code == 400 and not Comment.objects.exists()
    page = client.get(reverse("consultations:public_detail", args=[c.pk])).content.decode()
    assert "Đã hết thời gian lấy ý kiến" in page and "Gửi ý kiến</button>" not in page


def _bulk_comments(c, n, village):
    article = c.versions.get().articles.get(key="d-1")
    now = at(2024, 3, 5)
    Comment.objects.bulk_create([
        Comment(consultation=c, commune_id=c.commune_id, text=f"Ý kiến {i}", text_html=f"<p>Ý kiến {i}</p>",
                text_search=f"y kien {i}", channel=Channel.PAPER, received_at=now, tracking_code=f"T{c.pk % 1000:03d}{i:05d}",
                article=article if i % 2 else None, village=village if i % 3 else None,
                status=Comment.Status.ANSWERED, answer_kind=Comment.Answer.ACCEPTED, answer_text="Tiếp thu",
                answer_html="<p>Tiếp thu</p>")
        for i in range(n)
    ], batch_size=1000)


def _count_queries(client, url, *, cold=True):
    if cold:
        cache.clear()  # measure the uncached path (the cached one runs fewer queries still)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_public_page_same_queries_with_10_and_10000_comments(client, commune, village, other_village, staff):
    small = _open_now(commune, staff)
    big = _open_now(commune, staff)
    _bulk_comments(small, 10, village)
    _bulk_comments(big, 10_000, village)
    url_small = reverse("consultations:public_detail", args=[small.pk])
    url_big = reverse("consultations:public_detail", args=[big.pk])
    _count_queries(client, url_small)  # warm caches (content types, calendar)
    assert _count_queries(client, url_small) == _count_queries(client, url_big)
    assert "<strong>10000</strong> ý kiến" in client.get(url_big).content.decode()


def test_results_page_same_queries_with_10_and_10000_comments(client, commune, village, staff):
    pages = []
    for n in (10, 10_000):
        c = make_published(commune, staff, title=f"Dự thảo {n}")
        _bulk_comments(c, n, village)
        Consultation.objects.filter(pk=c.pk).update(status=Consultation.Status.RESULTS_PUBLISHED,
                                                    results_issued_on=dt.date(2024, 3, 27))
        pages.append(reverse("consultations:public_detail", args=[c.pk]))
    _count_queries(client, pages[0])
    assert _count_queries(client, pages[0]) == _count_queries(client, pages[1])


def test_results_json(client, commune, village, staff):
    c = make_published(commune, staff)
    assert client.get(reverse("consultations:results_json", args=[c.pk])).status_code == 404
    _bulk_comments(c, 5, village)
    Consultation.objects.filter(pk=c.pk).update(status=Consultation.Status.RESULTS_PUBLISHED)
    data = json.loads(client.get(reverse("consultations:results_json", args=[c.pk])).content)
    assert data["totals"]["total"] == 5 and len(data["comments"]) == 5
    assert {r["village"] for r in data["by_village"]} == {village.name}


def test_public_list_and_track_unknown(client, commune, village, staff):
    make_published(commune, staff)
    assert "Dự thảo Quy chế" in client.get(reverse("consultations:public_list")).content.decode()
    r = client.get(reverse("consultations:track"), {"ma": "XXXX-YYYY"})
    assert "Không tìm thấy" in r.content.decode()


def test_anonymous_page_cached_and_invalidated_on_write(client, commune, village, staff):
    c = _open_now(commune, staff)
    _bulk_comments(c, 10_000, village)
    url = reverse("consultations:public_detail", args=[c.pk])
    cold = _count_queries(client, url)
    warm = _count_queries(client, url, cold=False)
    assert warm < cold
    assert "<strong>10000</strong> ý kiến" in client.get(url).content.decode()
    # No cache delete and no on-commit hook is involved: the write bumps the row's public_version, so any process
    # that reads the committed row asks for a new key (coherent even with one LocMemCache per worker).
    services.comment_submit(consultation=c, text="Một ý kiến mới", form_token="fresh")
    html = client.get(url).content.decode()
    assert "<strong>10001</strong> ý kiến" in html
    client.force_login(staff)  # logged-in people never get the cached parts
    assert _count_queries(client, url, cold=False) >= cold


def test_cached_public_page_gives_each_visitor_working_tokens(commune, village, staff):
    import re

    from django.test import Client

    c = _open_now(commune, staff)
    url = reverse("consultations:public_detail", args=[c.pk])
    cache.clear()
    visitors, counts = [], []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        with CaptureQueriesContext(connection) as ctx:
            html = visitor.get(url).content.decode()
        counts.append(len(ctx.captured_queries))
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
        assert "slot" not in csrf and "slot" not in token
        visitors.append((visitor, csrf, token))
    assert counts[1] == 1 < counts[0]  # the second visitor got the cached page: only the consultation row is read
    assert visitors[0][2] != visitors[1][2]
    for visitor, csrf, token in visitors:
        r = visitor.post(reverse("consultations:comment_submit", args=[c.pk]),
                         {"text": "Ý kiến qua trang lưu đệm", "form_token": token, "csrfmiddlewaretoken": csrf})
        assert r.status_code == 302, r.status_code
    assert Comment.objects.filter(consultation=c).count() == 2
    assert "<strong>2</strong> ý kiến" in Client().get(url).content.decode()
