"""Seek pagination of the dialogues lists (petitions, a dialogue's petitions, its public answers, the dialogues): every
row once, in order, both ways; filters kept; a foreign anchor leaks nothing; the same queries at row 20 and at row
5,000; and, on PostgreSQL, page queries that read an index range (no sort of the whole list)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogues import selectors
from dialogues.models import Channel, Dialogue, Petition
from tests.dialogues.factories import make_dialogue, ubnd

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(commune, village, staff, leader):
    ubnd(commune)
    return make_dialogue(commune=commune, by=staff, villages=[village], host=leader)


def bulk_petitions(commune, n, *, dialogue=None, village=None, prefix="S", **kw):
    """``n`` petitions over 7 days (many on the same day: the id breaks the ties), every third one assigned."""
    now = timezone.now()
    Petition.objects.bulk_create(
        [
            Petition(
                commune_id=commune.pk,
                dialogue=dialogue,
                village=village,
                tracking_code=f"KN-{prefix}{i:07d}",
                channel=Channel.PAPER,
                text=f"Kiến nghị số {i}",
                received_on=D(2026, 3, 1) + dt.timedelta(days=i % 7),
                status=Petition.Status.ASSIGNED if i % 3 == 0 else Petition.Status.RECEIVED,
                created_at=now,
                updated_at=now,
                **kw,
            )
            for i in range(n)
        ],
        batch_size=1000,
    )


def _walk(client, url, *, params=None):
    """Follow "Trang sau" to the end, then "Trang trước" back to the start; the rows seen each way."""
    params = dict(params or {})
    forward, backward = [], []
    r = client.get(url, params)
    assert r.status_code == 200
    while True:
        page = r.context["page"]
        forward += [p.pk for p in page.object_list]
        if not page.has_next:
            break
        r = client.get(url, {**params, "sau": page.next_after})
    while True:
        backward = [p.pk for p in page.object_list] + backward
        if not page.has_previous:
            break
        page = client.get(url, {**params, "truoc": page.previous_before}).context["page"]
    return forward, backward


def _ids(qs):
    return list(qs.order_by("-received_on", "-id").values_list("pk", flat=True))


def test_petition_list_pages_by_seek_both_ways_with_its_filters(client, commune, village, staff):
    bulk_petitions(commune, 47, village=village)
    client.force_login(staff)
    url = reverse("dialogues:petitions")
    expected = _ids(Petition.objects.filter(commune=commune))
    forward, backward = _walk(client, url)
    assert forward == backward == expected and len(set(forward)) == 47
    html = client.get(url).content.decode()
    assert "47 kiến nghị." in html and "Trang sau" in html and "Trang trước" not in html
    assigned = _ids(Petition.objects.filter(commune=commune, status=Petition.Status.ASSIGNED))
    forward, backward = _walk(client, url, params={"status": "assigned"})
    assert forward == backward == assigned and len(assigned) == 16
    html = client.get(url, {"status": "received"}).content.decode()
    assert "31 kiến nghị." in html and "status=received&amp;sau=" in html  # the pager keeps the filter


def test_petition_list_count_is_bounded(client, commune, village, staff, monkeypatch):
    monkeypatch.setattr(
        selectors.petition_page,
        "__kwdefaults__",
        {**selectors.petition_page.__kwdefaults__, "count_limit": 25},
    )
    bulk_petitions(commune, 30, village=village)
    client.force_login(staff)
    html = client.get(reverse("dialogues:petitions")).content.decode()
    assert "Hơn 25 kiến nghị." in html


def test_an_anchor_from_another_commune_gives_the_first_page_and_leaks_nothing(
    client, commune, other_commune, village, staff
):
    bulk_petitions(commune, 25, village=village)
    bulk_petitions(other_commune, 5, prefix="X")
    foreign = Petition.objects.filter(commune=other_commune).order_by("id")
    client.force_login(staff)
    url = reverse("dialogues:petitions")
    first = [p.pk for p in client.get(url).context["page"].object_list]
    for key in ("sau", "truoc"):
        for bad in [foreign.first().pk, foreign.last().pk, "abc", "9" * 40]:
            r = client.get(url, {key: bad})
            page = r.context["page"]
            assert [p.pk for p in page.object_list] == first and not page.has_previous
            assert "KN-X" not in r.content.decode()


def test_village_head_sees_only_own_village_page_by_page(
    client, commune, village, other_village, village_head
):
    bulk_petitions(commune, 30, village=village)
    bulk_petitions(commune, 10, village=other_village, prefix="O")
    client.force_login(village_head)
    forward, backward = _walk(client, reverse("dialogues:petitions"))
    assert forward == backward == _ids(Petition.objects.filter(village=village))


def test_dialogue_detail_pages_its_petitions(client, commune, village, staff, dialogue):
    bulk_petitions(commune, 45, village=village, dialogue=dialogue)
    bulk_petitions(commune, 5, village=village, prefix="N")  # outside the dialogue
    client.force_login(staff)
    url = reverse("dialogues:detail", args=[dialogue.pk])
    forward, backward = _walk(client, url)
    assert forward == backward == _ids(Petition.objects.filter(dialogue=dialogue))
    forward, _ = _walk(client, url, params={"status": "received"})
    assert forward == _ids(Petition.objects.filter(dialogue=dialogue, status="received"))


def test_public_page_pages_answered_public_petitions_in_the_order_raised(
    client, commune, village, staff, dialogue
):
    Dialogue.objects.filter(pk=dialogue.pk).update(status=Dialogue.Status.NOTICED)
    bulk_petitions(commune, 45, village=village, dialogue=dialogue, answered_on=D(2026, 4, 1), prefix="A")
    bulk_petitions(commune, 5, village=village, dialogue=dialogue, prefix="U")  # not answered: not shown
    bulk_petitions(
        commune, 3, village=village, dialogue=dialogue, answered_on=D(2026, 4, 1), prefix="H", hidden=True
    )
    url = reverse("dialogues:public", args=[dialogue.pk])
    forward, backward = _walk(client, url)
    expected = list(
        Petition.objects.filter(tracking_code__startswith="KN-A")
        .order_by("received_on", "id")
        .values_list("pk", flat=True)
    )
    assert forward == backward == expected


def test_dialogue_list_pages_by_seek(client, commune, other_commune, staff):
    now = timezone.now()
    Dialogue.objects.bulk_create(
        [
            Dialogue(
                commune=unit,
                title=f"Hội nghị {i}",
                starts_at=now - dt.timedelta(days=i // 2),
                created_at=now,
                updated_at=now,
            )
            for i in range(45)
            for unit in (commune, other_commune)
        ]
    )
    client.force_login(staff)
    url = reverse("dialogues:list")
    forward, backward = _walk(client, url)
    expected = list(
        Dialogue.objects.filter(commune=commune).order_by("-starts_at", "-id").values_list("pk", flat=True)
    )
    assert forward == backward == expected and len(expected) == 45
    foreign = Dialogue.objects.filter(commune=other_commune).first().pk
    assert not client.get(url, {"sau": foreign}).context["page"].has_previous


def _queries(client, url, params=None) -> int:
    client.get(url, params or {})  # the steady state: the signed-in person is cached (portal/principal.py)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_are_the_same_at_30_and_5000_petitions_and_on_a_deep_page(
    client, commune, village, staff, dialogue
):
    Dialogue.objects.filter(pk=dialogue.pk).update(status=Dialogue.Status.NOTICED)
    client.force_login(staff)
    urls = {
        reverse("dialogues:petitions"): {},
        reverse("dialogues:petitions") + "?status=assigned": {},
        reverse("dialogues:detail", args=[dialogue.pk]): {},
        reverse("dialogues:public", args=[dialogue.pk]): {},
        reverse("dialogues:list"): {},
    }
    bulk_petitions(commune, 30, village=village, dialogue=dialogue, answered_on=D(2026, 4, 1))
    for url in urls:
        client.get(url)  # warm caches (content types, sessions)
    small = {url: _queries(client, url) for url in urls}
    Petition.objects.all().delete()
    bulk_petitions(commune, 5000, village=village, dialogue=dialogue, answered_on=D(2026, 4, 1))
    large = {url: _queries(client, url) for url in urls}
    assert small == large
    deep = _ids(Petition.objects.filter(commune=commune))[4000]
    first = _ids(Petition.objects.filter(commune=commune))[0]
    for url in (reverse("dialogues:petitions"), reverse("dialogues:detail", args=[dialogue.pk])):
        assert _queries(client, url, {"sau": deep}) == _queries(client, url, {"sau": first})
        assert _queries(client, url, {"truoc": deep}) == _queries(client, url, {"sau": first})


# --- PostgreSQL plans -------------------------------------------------------------------------------------------


def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL")


def _page_plans(ctx) -> list[str]:
    plans = []
    for sql in [q["sql"] for q in ctx.captured_queries if "LIMIT 21" in q["sql"]]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plans.append("\n".join(r[0] for r in cursor.fetchall()))
    return plans


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("filters", "index"),
    [({}, "petition_list"), ({"status": Petition.Status.ASSIGNED}, "petition_status_list")],
)
def test_petition_list_page_reads_an_index_range_on_postgresql(
    commune, other_commune, village, staff, filters, index
):
    _postgres()
    bulk_petitions(commune, 5000, village=village)
    bulk_petitions(other_commune, 5000, prefix="X")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dialogues_petition")
    qs = selectors.petition_list(user=staff, commune_id=commune.pk).filter(**filters)
    anchor = _ids(qs)[1000]
    for params in ({"sau": anchor}, {"truoc": anchor}):
        with CaptureQueriesContext(connection) as ctx:
            page = selectors.petition_page(qs, params)
        assert len(page.object_list) == 20
        (plan,) = _page_plans(ctx)
        assert index in plan, plan
        assert "Sort" not in plan and "Seq Scan on dialogues_petition" not in plan, plan


@pytest.mark.postgres
def test_public_answers_page_reads_the_partial_index_on_postgresql(commune, village, staff, dialogue):
    """The latest dialogue's petitions come after years of others' (higher ids): reading the primary key in order
    would walk all of those first; the partial index petition_public_answered starts at this dialogue's rows."""
    _postgres()
    now = timezone.now()
    older = Dialogue.objects.bulk_create(
        [
            Dialogue(commune=commune, title=f"Hội nghị {i}", starts_at=now, created_at=now, updated_at=now)
            for i in range(15)
        ]
    )
    for d, n, prefix in [
        *((d, 1000, "BCDEFGHIJKLMNQR"[i]) for i, d in enumerate(older)),
        (dialogue, 1000, "P"),
    ]:
        bulk_petitions(commune, n, village=village, dialogue=d, prefix=prefix, answered_on=D(2026, 4, 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dialogues_petition")
    anchor = list(selectors.public_answers(dialogue).values_list("pk", flat=True)[500:501])[0]
    for params in ({}, {"sau": anchor}, {"truoc": anchor}):
        with CaptureQueriesContext(connection) as ctx:
            page, rows = selectors.public_answers_page(dialogue, params)
        assert len(rows) == 20
        (plan,) = _page_plans(ctx)
        assert "petition_public_answered" in plan, plan
        assert "Sort" not in plan and "Seq Scan on dialogues_petition" not in plan, plan
