import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import selectors
from consultations.models import Article, Comment
from tests.consultations.views.test_public import _open_now
from tests.factories import CacheCalls

pytestmark = pytest.mark.django_db


def _statement(sql: str) -> str:
    """``INSERT consultations_comment``, ``SAVEPOINT``…: the verb and the table of one captured statement."""
    verb = sql.split()[0]
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
        return verb
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
    return f"{verb} {table.group(1) if table else '?'}"


def test_comment_post_reads_only_what_it_checks(
    client, commune, village, staff, monkeypatch, django_capture_on_commit_callbacks
):
    """One anonymous comment POST: the consultation (its cached row), the chosen village, the flood counters (the
    draft's articles are kept per process and public version); one savepoint around the comment and its form token; the counters, the audit event, the counts (one
    upsert each) and the staff version bump, which also returns the row's window for the last check. One cache round
    trip in the request (the row); on commit the row goes back to the cache with its new staff_version, and the tally (the
    public page's counts) leaves it."""
    c = _open_now(commune, staff)
    version = c.versions.get()
    article = version.articles.get(key="d-2")
    for i in range(30):  # more articles must not mean more queries
        Article.objects.create(
            version=version,
            kind=Article.Kind.ARTICLE,
            number=str(100 + i),
            key=f"x-{i}",
            text="Nội dung",
            position=100 + i,
        )
    ContentType.objects.get_for_model(Comment)  # cached per process in production
    ContentType.objects.get_for_model(Comment, for_concrete_model=False)
    cache.clear()
    row = selectors.consultation_get_cached(
        user=AnonymousUser(), pk=c.pk
    )  # the row, as the public page left it cached
    selectors.comment_form_articles(row)  # the articles, as an earlier submission left them in this process
    url = reverse("consultations:comment_submit", args=[c.pk])
    cache_calls = CacheCalls(monkeypatch)
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks() as hooks:
        r = client.post(
            url, {"text": "Ý kiến", "article": article.pk, "village": village.pk, "form_token": "q1"}
        )
    assert r.status_code == 302
    statements = [_statement(q["sql"]) for q in ctx.captured_queries]
    assert statements == [
        "SELECT portal_administrativeunit",
        "SAVEPOINT",  # the service's transaction (a savepoint inside the test's own)
        "SELECT intake_floodcounter",
        "SAVEPOINT",
        "INSERT consultations_comment",
        "INSERT intake_formtoken",
        "RELEASE",
        "INSERT intake_floodcounter",
        "INSERT portal_auditevent",
        "INSERT consultations_commenttally",
        "UPDATE consultations_consultation",
        "RELEASE",
    ], statements
    assert cache_calls.calls == ["get_many"]  # the consultation's cached row (one round trip)
    cache_calls.calls.clear()
    for hook in hooks:
        hook()
    # after the commit, one round trip each: the homes' generation of the commune moves (the staff panels count
    # unanswered comments, portal/generations.py); the cached row gets its new staff_version and the tally leaves
    # the cache (so the next submission reads no row)
    assert sorted(cache_calls.calls) == ["set_many", "set_many"]
    from consultations import cache as public_cache
    from consultations.models import Consultation

    row = cache.get(public_cache.row_key(c.pk))
    fresh = Consultation.objects.get(pk=c.pk)
    assert (row.staff_version, row.status, row.public_version) == (
        fresh.staff_version,
        fresh.status,
        fresh.public_version,
    )
    assert row.commune.name == commune.name
    assert cache.get(public_cache.tally_key(c.pk)) is None
    comment = Comment.objects.get()
    assert comment.article == article and comment.village == village


def test_comment_post_refuses_an_article_of_an_older_version(client, commune, village, staff):
    from consultations.models import DraftVersion

    c = _open_now(commune, staff)
    old = c.versions.get()
    old_article = old.articles.get(key="d-2")
    DraftVersion.objects.create(
        consultation=c, number=old.number + 1, created_by=staff, created_at=old.created_at
    )
    r = client.post(
        reverse("consultations:comment_submit", args=[c.pk]),
        {"text": "Ý kiến", "article": old_article.pk, "form_token": "q2"},
    )
    assert r.status_code == 400 and not Comment.objects.exists()


def test_comment_post_reads_the_draft_once_per_process_and_never_another_consultations(
    client, commune, village, staff
):
    """The articles a POST is checked against are read on the first submission of a public version and kept: the
    next submission reads none, and an article of another open consultation (kept too) is refused."""
    first = _open_now(commune, staff)
    other = _open_now(commune, staff)
    mine = first.versions.get().articles.get(key="d-2")
    theirs = other.versions.get().articles.get(key="d-2")
    url = reverse("consultations:comment_submit", args=[first.pk])

    def post(article, token):
        with CaptureQueriesContext(connection) as ctx:
            r = client.post(url, {"text": "Ý kiến", "article": article.pk, "form_token": token})
        read = [_statement(q["sql"]) for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
        return r, read

    r, read = post(mine, "m1")
    assert r.status_code == 302
    assert "SELECT consultations_article" in read
    r, read = post(mine, "m2")
    assert r.status_code == 302
    assert not [s for s in read if s.startswith("SELECT consultations_")]  # neither the row nor the draft
    r = client.post(
        reverse("consultations:comment_submit", args=[other.pk]),
        {"text": "Khác", "article": theirs.pk, "form_token": "o1"},
    )
    assert r.status_code == 302
    r, _ = post(theirs, "m3")
    assert r.status_code == 400
    assert "Điều 2" in r.content.decode()  # the form comes back with this draft's articles to choose from
    assert list(Comment.objects.filter(consultation=first).values_list("article_id", flat=True)) == [
        mine.pk,
        mine.pk,
    ]
    assert list(Comment.objects.filter(consultation=other).values_list("article_id", flat=True)) == [
        theirs.pk
    ]


def test_results_list_is_ordered_by_the_copied_article_position(commune, village, staff):
    from consultations import selectors, services
    from consultations.services._base import sync_article_position

    c = _open_now(commune, staff)
    articles = list(c.versions.get().articles.order_by("position"))
    first, last = articles[0], articles[-1]
    late = services.comment_submit(consultation=c, text="Cho điều cuối", form_token="p1", article=last)
    general = services.comment_submit(consultation=c, text="Góp ý chung", form_token="p2")
    early = services.comment_submit(consultation=c, text="Cho điều đầu", form_token="p3", article=last)
    assert late.article_position == last.position and general.article_position is None
    services.comment_tag(comment=early, by=staff, article=first)
    early.refresh_from_db()
    assert early.article_position == first.position
    Comment.objects.filter(pk=late.pk).update(article_position=None)  # e.g. rows bulk-inserted without it
    assert sync_article_position(Comment.objects.filter(pk=late.pk)) == 1
    Comment.objects.filter(consultation=c).update(
        status=Comment.Status.ANSWERED, answer_kind="accepted", answer_text="Tiếp thu"
    )
    assert list(selectors.public_comments(c)) == [early, late, general]  # general comments last


def test_a_row_moved_since_it_was_read_is_dropped_not_put_back(
    commune, staff, django_capture_on_commit_callbacks
):
    """A submission puts the row it read back in the cache (new staff_version) only if no transition moved it
    meanwhile; else the cache loses it and the next reader loads the row as it is."""
    from consultations import cache as public_cache
    from consultations import services
    from consultations.services._base import public_changed

    c = _open_now(commune, staff)
    cache.clear()
    read = selectors.consultation_get_cached(user=AnonymousUser(), pk=c.pk)
    with django_capture_on_commit_callbacks(execute=True):
        public_changed(c.pk)  # e.g. a new draft version published while the citizen was typing
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_submit(consultation=read, text="Góp ý", form_token="moved-1", now=timezone.now())
    assert cache.get(public_cache.row_key(c.pk)) is None
    fresh = selectors.consultation_get_cached(user=AnonymousUser(), pk=c.pk)
    assert fresh.public_version == read.public_version + 1


def test_a_signed_in_reader_gets_row_counts_and_content_in_one_round_trip_and_never_stale(
    client, commune, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from consultations import cache as public_cache
    from consultations.models import Consultation
    from consultations.services._base import public_changed

    c = _open_now(commune, staff)
    client.force_login(staff)
    url = reverse("consultations:public_detail", args=[c.pk])
    assert "Gửi ý kiến" in client.get(url).content.decode()  # fills the cache
    cache_calls = CacheCalls(monkeypatch)
    html = client.get(url).content.decode()
    together = [keys for keys in cache_calls.reads if public_cache.row_key(c.pk) in keys]
    assert len(together) == 1 and public_cache.tally_key(c.pk) in together[0] and len(together[0]) == 3
    assert "Đã nhận <strong>0</strong> ý kiến" in html

    other = Client()
    with django_capture_on_commit_callbacks(execute=True):  # what the commit runs
        assert other.post(url + "gop-y/", {"text": "Ý kiến", "form_token": "s1"}).status_code == 302
    assert "Đã nhận <strong>1</strong> ý kiến" in client.get(url).content.decode()  # the counts: fresh

    with (
        transaction.atomic()
    ):  # a write the page shows (as a service makes it): the content is rendered again
        Consultation.objects.filter(pk=c.pk).update(title="Dự thảo Quy chế đã sửa tên")
        public_changed(c.pk)
    assert "<h1>Dự thảo Quy chế đã sửa tên</h1>" in client.get(url).content.decode()
    # and for anonymous visitors
    assert "<h1>Dự thảo Quy chế đã sửa tên</h1>" in other.get(url).content.decode()
