import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import selectors, services, tasks
from consultations.models import Channel, Comment, Consultation
from consultations.services.tally import tally_rebuild
from tests.consultations.factories import at, make_consultation, make_published

pytestmark = pytest.mark.django_db


def _open_now(commune, staff):
    """A consultation whose window includes today (the views use the real clock)."""
    today = timezone.localdate()
    c = make_consultation(
        commune,
        staff,
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
        summary_due_on=today + dt.timedelta(days=35),
        now=timezone.now(),
    )
    services.consultation_issue_plan(
        consultation=c, by=staff, issued_on=today, sent_hdnd_on=today, sent_mttq_on=today
    )
    return services.consultation_publish(consultation=c, by=staff, publicized_on=today)


def test_public_page_shows_articles_and_form(client, commune, village, staff):
    c = _open_now(commune, staff)
    r = client.get(reverse("consultations:public_detail", args=[c.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Điều 2. Nguyên tắc thực hiện dân chủ" in html
    assert "Nội dung góp ý" in html and "Gửi ý kiến" in html
    # a refused form comes back scrolled to the form and its errors (a long page on a phone)
    submit = reverse("consultations:comment_submit", args=[c.pk])
    assert f'action="{submit}#gop-y"' in html and 'id="gop-y"' in html


def test_draft_is_not_public(client, commune, staff, other_staff):
    c = make_consultation(commune, staff)
    assert client.get(reverse("consultations:public_detail", args=[c.pk])).status_code == 404
    client.force_login(other_staff)
    assert client.get(reverse("consultations:public_detail", args=[c.pk])).status_code == 404
    assert client.get(reverse("consultations:manage", args=[c.pk])).status_code == 404


def test_submit_receipt_and_double_post(client, commune, village, staff):
    c = _open_now(commune, staff)
    article = c.versions.get().articles.get(key="d-2")
    data = {
        "text": "Đề nghị bổ sung <b>tiếp công dân</b>",
        "article": article.pk,
        "village": village.pk,
        "form_token": "abc123",
        "website": "",
    }
    url = reverse("consultations:comment_submit", args=[c.pk])
    r1 = client.post(url, data)
    r2 = client.post(url, data)
    assert r1.status_code == 302 and r1["Location"] == r2["Location"]
    comment = Comment.objects.get()
    assert comment.article == article and comment.channel == Channel.ONLINE
    receipt = client.get(r1["Location"])
    assert comment.tracking_code in receipt.content.decode()
    assert "<b>tiếp" not in receipt.content.decode()
    r = client.get(
        reverse("consultations:track"), {"ma": comment.tracking_code.lower().replace("-", "")}, follow=True
    )
    assert comment.tracking_code in r.content.decode() and "đang được tổng hợp" in r.content.decode()


def test_honeypot_saves_nothing(client, commune, village, staff):
    c = _open_now(commune, staff)
    r = client.post(
        reverse("consultations:comment_submit", args=[c.pk]),
        {"text": "mua ngay", "form_token": "t1", "website": "http://spam"},
    )
    assert r.status_code == 400 and not Comment.objects.exists()


def test_post_after_close_is_refused_and_page_says_so(client, commune, village, staff):
    c = make_published(commune, staff)  # window 29/02–20/03/2024, long past
    tasks.sweep_windows()
    r = client.post(
        reverse("consultations:comment_submit", args=[c.pk]), {"text": "muộn", "form_token": "t2"}
    )
    assert r.status_code == 400 and not Comment.objects.exists()
    page = client.get(reverse("consultations:public_detail", args=[c.pk])).content.decode()
    assert "Đã hết thời gian lấy ý kiến" in page and "Gửi ý kiến</button>" not in page


def _bulk_comments(c, n, village):
    article = c.versions.get().articles.get(key="d-1")
    now = at(2024, 3, 5)
    Comment.objects.bulk_create(
        [
            Comment(
                consultation=c,
                commune_id=c.commune_id,
                text=f"Ý kiến {i}",
                text_html=f"<p>Ý kiến {i}</p>",
                text_search=f"y kien {i}",
                channel=Channel.PAPER,
                received_at=now,
                tracking_code=f"T{c.pk % 1000:03d}{i:05d}",
                article=article if i % 2 else None,
                village=village if i % 3 else None,
                status=Comment.Status.ANSWERED,
                answer_kind=Comment.Answer.ACCEPTED,
                answer_text="Tiếp thu",
                answer_html="<p>Tiếp thu</p>",
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    tally_rebuild(c.pk)  # raw inserts bypass the services that keep the counts


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
        Consultation.objects.filter(pk=c.pk).update(
            status=Consultation.Status.RESULTS_PUBLISHED, results_issued_on=dt.date(2024, 3, 27)
        )
        pages.append(reverse("consultations:public_detail", args=[c.pk]))
    _count_queries(client, pages[0])
    assert _count_queries(client, pages[0]) == _count_queries(client, pages[1])


def test_results_json(client, commune, village, staff):
    c = make_published(commune, staff)
    assert client.get(reverse("consultations:results_json", args=[c.pk])).status_code == 404
    _bulk_comments(c, 5, village)
    Consultation.objects.filter(pk=c.pk).update(status=Consultation.Status.RESULTS_PUBLISHED)
    cache.clear()  # a raw update: the services drop the cached state themselves (public_changed)
    data = json.loads(client.get(reverse("consultations:results_json", args=[c.pk])).content)
    assert data["totals"]["total"] == 5 and len(data["comments"]) == 5
    assert {r["village"] for r in data["by_village"]} == {village.name}
    assert data["next"] is None and data["comments_total"] == 5


def test_results_json_is_paged_and_each_page_is_bounded(client, commune, village, staff, settings):
    from consultations.views import public as public_views

    c = make_published(commune, staff)
    _bulk_comments(c, 25, village)
    Consultation.objects.filter(pk=c.pk).update(status=Consultation.Status.RESULTS_PUBLISHED)
    cache.clear()
    public_views.JSON_PAGE, old = 10, public_views.JSON_PAGE
    try:
        url, codes, pages = reverse("consultations:results_json", args=[c.pk]), [], 0
        while url:
            data = json.loads(client.get(url).content)
            assert len(data["comments"]) <= 10 and data["totals"]["total"] == 25
            codes += [r["code"] for r in data["comments"]]
            url, pages = data["next"], pages + 1
    finally:
        public_views.JSON_PAGE = old
    assert pages == 3 and len(codes) == len(set(codes)) == 25
    # Same order as the public page: the comments on an article first, then the general ones.
    expected = list(selectors.public_comments(c).values_list("tracking_code", flat=True))
    assert codes == expected


def test_public_list_and_track_unknown(client, commune, village, staff):
    make_published(commune, staff)
    assert "Dự thảo Quy chế" in client.get(reverse("consultations:public_list")).content.decode()
    r = client.get(reverse("consultations:track"), {"ma": "XXXX-YYYY"}, follow=True)
    assert "Không tìm thấy" in r.content.decode()


def test_anonymous_page_cached_and_invalidated_on_write(
    client, commune, village, staff, django_capture_on_commit_callbacks
):
    c = _open_now(commune, staff)
    _bulk_comments(c, 10_000, village)
    url = reverse("consultations:public_detail", args=[c.pk])
    cold = _count_queries(client, url)
    assert cold > 0
    assert (
        _count_queries(client, url, cold=False) == 0
    )  # a hit: state and page both from the cache, no query at all
    assert "<strong>10000</strong> ý kiến" in client.get(url).content.decode()
    # Same process: the write deletes the cached state on commit, the next request reads the bumped version at once.
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        services.comment_submit(consultation=c, text="Một ý kiến mới", form_token="fresh")
    assert hooks
    assert "<strong>10001</strong> ý kiến" in client.get(url).content.decode()
    client.force_login(
        staff
    )  # logged-in readers share the content, never the anonymous page: their own header
    html = client.get(url).content.decode()
    assert "Đăng xuất" in html and "<strong>10001</strong> ý kiến" in html


def test_other_process_sees_a_write_within_the_state_ttl(client, commune, village, staff):
    """A write whose on-commit deletion does not reach this cache (another process's LocMemCache: here the hook is
    simply not run) is served stale only until the cached state expires (simulated by deleting the key)."""
    from consultations import cache as public_cache

    c = _open_now(commune, staff)
    url = reverse("consultations:public_detail", args=[c.pk])
    cache.clear()
    assert "<strong>0</strong> ý kiến" in client.get(url).content.decode()
    old_tally = public_cache.public_tally(c.pk)
    services.comment_submit(consultation=c, text="Ý kiến ở tiến trình khác", form_token="other-process")
    # The writer dropped its own cached counts; another process's cache still holds the old ones.
    cache.set(public_cache.tally_key(c.pk), old_tally)
    assert "<strong>0</strong> ý kiến" in client.get(url).content.decode()  # within the TTL: the old counts
    cache.delete(public_cache.tally_key(c.pk))  # the TTL ran out
    assert "<strong>1</strong> ý kiến" in client.get(url).content.decode()


def test_state_ttl_zero_reads_the_row_every_time(client, commune, village, staff, settings):
    settings.PORTAL_PUBLIC_STATE_TTL = 0
    c = _open_now(commune, staff)
    url = reverse("consultations:public_detail", args=[c.pk])
    cache.clear()
    assert "<strong>0</strong> ý kiến" in client.get(url).content.decode()
    assert (
        _count_queries(client, url, cold=False) == 2
    )  # the state row and the counts; the page itself is cached
    services.comment_submit(consultation=c, text="Ý kiến mới", form_token="ttl-zero")  # no on-commit hook run
    assert "<strong>1</strong> ý kiến" in client.get(url).content.decode()


def test_cached_state_still_closes_the_form_on_time(client, commune, village, staff):
    """The cached state holds dates, not a verdict: the form goes away when the window ends, and the service refuses
    a late comment whatever the cache holds."""
    c = _open_now(commune, staff)
    url = reverse("consultations:public_detail", args=[c.pk])
    cache.clear()
    assert "Gửi ý kiến</button>" in client.get(url).content.decode()
    later = timezone.now() + dt.timedelta(days=60)
    with pytest.raises(ValidationError, match="Đã hết thời gian"):
        services.comment_submit(consultation=c, text="muộn", form_token="late", now=later)
    from consultations import cache as public_cache

    state = cache.get(public_cache.state_key(c.pk))
    assert state is not None and state[3] == c.closes_on
    # The page key is computed from the cached dates and the clock: past the closing day it names another page.
    end = c.window_bounds()[1]
    open_key = public_cache.page_key(c.pk, state, "", now=end - dt.timedelta(seconds=1))
    closed_key = public_cache.page_key(c.pk, state, "", now=end)
    assert open_key.split(":")[5] == "1" and closed_key.split(":")[5] == "0"


def test_anonymous_request_without_cookies_loads_no_session(commune, village, staff):
    from django.test import Client

    c = _open_now(commune, staff)
    url = reverse("consultations:public_detail", args=[c.pk])
    Client().get(url)  # fill the caches
    visitor = Client()
    with CaptureQueriesContext(connection) as ctx:
        r = visitor.get(url)
    assert r.status_code == 200 and len(ctx.captured_queries) == 0
    assert "sessionid" not in r.cookies


def test_cached_public_page_gives_each_visitor_working_tokens(
    commune, village, staff, django_capture_on_commit_callbacks
):
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
    assert counts[1] == 0 < counts[0]  # the second visitor got the cached page and state: no query
    assert visitors[0][2] != visitors[1][2]
    for visitor, csrf, token in visitors:
        with django_capture_on_commit_callbacks(execute=True):
            r = visitor.post(
                reverse("consultations:comment_submit", args=[c.pk]),
                {"text": "Ý kiến qua trang lưu đệm", "form_token": token, "csrfmiddlewaretoken": csrf},
            )
        assert r.status_code == 302, r.status_code
    assert Comment.objects.filter(consultation=c).count() == 2
    assert "<strong>2</strong> ý kiến" in Client().get(url).content.decode()


def test_client_ip_ignores_forwarded_for_without_trusted_proxy(rf, settings):
    from portal.intake import client_ip

    settings.PORTAL_TRUSTED_PROXIES = []
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="203.0.113.9")
    assert client_ip(request) == "203.0.113.9"
    settings.PORTAL_TRUSTED_PROXIES = [
        "127.0.0.1"
    ]  # the header comes from an untrusted address: still ignored
    assert client_ip(request) == "203.0.113.9"


def test_client_ip_behind_trusted_proxies_takes_rightmost_untrusted(rf, settings):
    from portal.intake import client_ip

    settings.PORTAL_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.2"]
    # The client forged "6.6.6.6"; the real client 198.51.100.7 was appended by the first trusted proxy.
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.2", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "198.51.100.7"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"  # no header: the proxy itself


def test_rate_limit_counts_the_forwarded_client(client, commune, village, staff, settings):
    settings.PORTAL_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.PORTAL_INTAKE_LIMITS = {"address": (1, 600)}
    cache.clear()
    c = _open_now(commune, staff)
    url = reverse("consultations:comment_submit", args=[c.pk])

    def post(ip, token):
        return client.post(
            url, {"text": "Ý kiến", "form_token": token}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=ip
        )

    assert post("198.51.100.1", "f1").status_code == 302
    assert post("198.51.100.1", "f2").status_code == 429
    assert post("198.51.100.2", "f3").status_code == 302  # another citizen behind the same proxy
    cache.clear()
