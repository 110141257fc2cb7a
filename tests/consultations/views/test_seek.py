"""Seek pagination of the staff comment list, the MTTQ review and the public results: every row once, in order, both
ways; the same queries at row 20 and at row 10,000; and, on PostgreSQL, plans that read an index range (no sort or
aggregate over the whole consultation)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import selectors, services
from consultations.models import Comment, Consultation
from consultations.services.tally import tally_rebuild
from tests.consultations.factories import make_published, submit
from tests.consultations.views.test_public import _bulk_comments

pytestmark = pytest.mark.django_db


def _walk(client, url, *, key="page", params=None):
    """Follow "Trang sau" to the end, then "Trang trước" back to the start; the rows seen each way."""
    params = dict(params or {})
    forward, backward, page = [], [], None
    r = client.get(url, params)
    while True:
        page = r.context[key]
        forward += [c.pk for c in page.object_list]
        if not page.has_next:
            break
        r = client.get(url, {**params, "sau": page.next_after})
    while True:
        backward = [c.pk for c in page.object_list] + backward
        if not page.has_previous:
            break
        page = client.get(url, {**params, "truoc": page.previous_before}).context[key]
    return forward, backward


def test_staff_list_pages_by_seek_both_ways(client, commune, village, staff):
    c = make_published(commune, staff)
    _bulk_comments(c, 45, village)  # one received_at for all: the id breaks the ties
    late = submit(c, text="Ý kiến mới nhất")
    client.force_login(staff)
    url = reverse("consultations:comments", args=[c.pk])
    expected = list(
        Comment.objects.filter(consultation=c).order_by("-received_at", "-id").values_list("pk", flat=True)
    )
    forward, backward = _walk(client, url)
    assert forward == backward == expected and forward[0] == late.pk
    html = client.get(url).content.decode()
    assert "46 ý kiến." in html and "Trang sau" in html and "Trang trước" not in html


def test_review_filters_and_pages_by_seek(client, commune, village, staff, mttq):
    c = make_published(commune, staff)
    _bulk_comments(c, 30, village)
    client.force_login(mttq)
    url = reverse("consultations:review", args=[c.pk])
    params = {"village": village.pk}
    expected = list(
        Comment.objects.filter(consultation=c, village=village)
        .order_by("-received_at", "-id")
        .values_list("pk", flat=True)
    )
    forward, backward = _walk(client, url, params=params)
    assert forward == backward == expected
    assert f"{len(expected)} ý kiến." in client.get(url, params).content.decode()


def test_count_of_a_filtered_list_is_bounded(client, commune, village, staff, monkeypatch):
    from portal import pagination

    monkeypatch.setattr(pagination, "COUNT_LIMIT", 25)
    monkeypatch.setattr(
        pagination.seek_page, "__kwdefaults__", {**pagination.seek_page.__kwdefaults__, "count_limit": 25}
    )
    c = make_published(commune, staff)
    _bulk_comments(c, 40, village)
    client.force_login(staff)
    url = reverse("consultations:comments", args=[c.pk])
    assert "Hơn 25 ý kiến." in client.get(url, {"q": "y kien"}).content.decode()
    assert "40 ý kiến." in client.get(url).content.decode()  # unfiltered: the maintained total, exact


def test_an_anchor_from_another_consultation_gives_the_first_page(client, commune, village, staff):
    c, other = make_published(commune, staff), make_published(commune, staff, title="Khác")
    _bulk_comments(c, 25, village)
    foreign = submit(other)
    client.force_login(staff)
    url = reverse("consultations:comments", args=[c.pk])
    for bad in (foreign.pk, "abc", "9" * 40):
        page = client.get(url, {"sau": bad}).context["page"]
        assert not page.has_previous and len(page.object_list) == 20


def test_deep_page_costs_the_same_queries_as_the_first(client, commune, village, staff):
    c = make_published(commune, staff)
    _bulk_comments(c, 2000, village)
    client.force_login(staff)
    url = reverse("consultations:comments", args=[c.pk])
    client.get(url)
    deep = (
        Comment.objects.filter(consultation=c)
        .order_by("-received_at", "-id")
        .values_list("pk", flat=True)[1500]
    )

    def queries(params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    assert queries({"sau": deep}) == queries({"sau": Comment.objects.filter(consultation=c).latest("id").pk})


def _results(c):
    Consultation.objects.filter(pk=c.pk).update(status=Consultation.Status.RESULTS_PUBLISHED)
    services._base.public_changed(c.pk)


def test_public_results_seek_through_articles_then_general_comments(client, commune, village, staff):
    c = make_published(commune, staff)
    _bulk_comments(c, 45, village)  # odd ones on Điều 1, even ones general (article_position NULL)
    services._base.sync_article_position(Comment.objects.filter(consultation=c, article__isnull=False))
    _results(c)
    url = reverse("consultations:public_detail", args=[c.pk])
    expected = list(selectors.public_comments(c).values_list("pk", flat=True))
    assert len(expected) == 45
    forward, backward = _walk(client, url)
    assert forward == backward == expected
    codes = dict(Comment.objects.filter(consultation=c).values_list("pk", "tracking_code"))
    html = client.get(url, {"sau": expected[19]}).content.decode()  # anonymous: cached per cursor
    assert codes[expected[20]] in html and codes[expected[19]] not in html


# --- PostgreSQL plans -------------------------------------------------------------------------------------------


def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL")


def _analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE consultations_comment")


@pytest.mark.postgres
def test_staff_list_page_reads_an_index_range_on_postgresql(commune, village, staff):
    _postgres()
    c = make_published(commune, staff)
    _bulk_comments(c, 5000, village)
    _analyze()
    qs = selectors.comment_list(user=staff, consultation=c)
    anchor = (
        Comment.objects.filter(consultation=c)
        .order_by("-received_at", "-id")
        .values_list("pk", flat=True)[3000]
    )
    from portal.pagination import seek_page

    with CaptureQueriesContext(connection) as ctx:
        page = seek_page(qs, params={"sau": anchor}, order="-received_at", count=5000)
    assert len(page.object_list) == 20
    (page_sql,) = [q["sql"] for q in ctx.captured_queries if "LIMIT 21" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + page_sql)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "comment_staff_list" in plan, plan
    assert (
        "Sort" not in plan and "Aggregate" not in plan and "Seq Scan on consultations_comment" not in plan
    ), plan


@pytest.mark.postgres
def test_text_filter_uses_the_trigram_index_on_postgresql(commune, village, staff):
    _postgres()
    c = make_published(commune, staff)
    _bulk_comments(c, 5000, village)
    submit(c, text="Đề nghị sửa đường vào thôn Đồng Tâm")
    _analyze()
    qs = selectors.comment_list(user=staff, consultation=c).filter(text_search__contains="duong vao")
    with connection.cursor() as cursor:
        # 5,000 rows fit in a few pages, so the planner rightly reads them all; with sequential scans priced out it
        # must show that the index answers LIKE '%…%' (at 100,000 comments it picks it unaided: consultations/README).
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = qs.order_by().explain()
    assert "comment_text_search_trgm" in plan, plan
    assert "Seq Scan on consultations_comment" not in plan, plan
    assert qs.count() == 1


@pytest.mark.postgres
def test_public_results_deep_page_reads_an_index_range_on_postgresql(commune, village, staff):
    _postgres()
    c = make_published(commune, staff)
    _bulk_comments(c, 5000, village)
    services._base.sync_article_position(Comment.objects.filter(consultation=c, article__isnull=False))
    tally_rebuild(c.pk)
    _analyze()
    anchor = list(selectors.public_comments(c).values_list("pk", flat=True)[2000:2001])[0]
    with CaptureQueriesContext(connection) as ctx:
        page = selectors.public_comments_page(c, {"sau": anchor})
    assert len(page.object_list) == 20
    for sql in [q["sql"] for q in ctx.captured_queries if "LIMIT 21" in q["sql"]]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(r[0] for r in cursor.fetchall())
        assert "comment_public_answered" in plan, plan
        assert "Seq Scan on consultations_comment" not in plan, plan
