import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Article, Comment
from tests.consultations.views.test_public import _open_now

pytestmark = pytest.mark.django_db


def test_comment_post_reads_only_what_it_checks(client, commune, village, staff):
    """A submission reads the consultation, the chosen article (with its version), the village, the form token, the
    fresh consultation in the transaction; then writes the comment, its counts (one upsert), the version bump and the
    audit event."""
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
    cache.clear()
    url = reverse("consultations:comment_submit", args=[c.pk])
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(
            url, {"text": "Ý kiến", "article": article.pk, "village": village.pk, "form_token": "q1"}
        )
    assert r.status_code == 302
    sql = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(sql) == 9, sql
    assert sum("consultations_article" in s for s in sql) == 1
    assert Comment.objects.get().article == article


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
