"""Results people can look at (issue 10 item 7): server-side SVG charts by channel, village, article, answer and
participation per village, each with a text alternative and the table that says the same; constant queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import services, tasks
from consultations.models import Comment, Consultation
from tests.consultations.factories import at, issue_report, make_published, submit

pytestmark = pytest.mark.django_db


def _results(commune, staff, mttq, villages, n):
    """A consultation whose results are published, with ``n`` answered comments spread over ``villages``."""
    c = make_published(commune, staff)
    comments = [submit(c, text=f"Ý kiến thứ {i}", village=villages[i % len(villages)]) for i in range(n)]
    tasks.sweep_windows(now=at(2024, 3, 21, 1))
    c = services.consultation_start_synthesis(consultation=Consultation.objects.get(pk=c.pk), by=staff)
    for i, cm in enumerate(comments):
        kind = Comment.Answer.ACCEPTED if i % 2 else Comment.Answer.EXPLAINED
        services.comment_answer(comment=cm, by=staff, kind=kind, text="Trả lời", now=at(2024, 3, 22))
    s = services.summary_save(consultation=c, by=mttq, text="Tổng hợp", now=at(2024, 3, 22))
    services.summary_submit(summary=s, by=mttq, now=at(2024, 3, 22))
    c = issue_report(c, staff, now=at(2024, 3, 27))
    return services.consultation_publish_results(
        consultation=c, by=staff, issued_on=dt.date(2024, 3, 27), now=at(2024, 3, 27)
    )


def _page(client, c):
    return client.get(reverse("consultations:public_detail", args=[c.pk]))


def test_public_page_draws_charts_beside_the_tables(client, commune, village, other_village, staff, mttq):
    c = _results(commune, staff, mttq, [village, other_village], 3)
    body = _page(client, c).content.decode()
    charts = re.findall(r'<svg class="chart" role="img" aria-labelledby="(chart-\d+)"', body)
    assert len(charts) >= 4
    for uid in charts:
        assert f'<title id="{uid}">' in body  # the text alternative
    assert "Số ý kiến theo thôn" in body and "Số ý kiến trên 100 hộ" in body
    assert "<caption>Tham gia theo thôn</caption>" in body  # still readable as a table without the figures
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]


def test_charts_keep_the_query_count(client, commune, village, other_village, staff, mttq):
    """The figures come from the maintained tally: as many queries for 2 comments as for 22."""
    from django.core.cache import cache

    few_c = _results(commune, staff, mttq, [village], 2)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert "<svg" in _page(client, few_c).content.decode()
    many_c = _results(commune, staff, mttq, [village, other_village], 22)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        _page(client, many_c)
    assert len(many) == len(few)


def test_chart_figures_are_written_with_a_decimal_comma_like_the_table():
    from decimal import Decimal

    from portal import charts

    svg = str(charts.bar_chart([{"label": "Đồng Tâm", "count": Decimal("1.9")}], title="Ý kiến trên 100 hộ"))
    assert ">1,9<" in svg and "1.9" not in svg
