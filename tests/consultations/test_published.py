"""Published results served from files (consultations/published.py): the same bytes as the pages built from the
database for every anchor, both ways; no query on the comments once built; a change is never served from the old
version's files; the build is queued once per version and thrown away when a write moves the version under it."""

import difflib
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_q.models import OrmQ

from consultations import published, selectors, services
from consultations.models import Comment, Consultation
from tests.consultations.factories import make_published
from tests.consultations.views.test_public import _bulk_comments

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(settings, tmp_path, commune, village, staff):
    settings.MEDIA_ROOT = tmp_path
    c = make_published(commune, staff)
    _bulk_comments(c, 45, village)  # odd ones on Điều 1, even ones general (article_position NULL)
    services._base.sync_article_position(Comment.objects.filter(consultation=c, article__isnull=False))
    unanswered = Comment.objects.filter(consultation=c).order_by("pk")[3]
    Comment.objects.filter(pk=unanswered.pk).update(status=Comment.Status.RECEIVED)  # not on the public page
    Consultation.objects.filter(pk=c.pk).update(status=Consultation.Status.RESULTS_PUBLISHED)
    services._base.public_changed(c.pk)
    c.refresh_from_db()
    c.unanswered = unanswered
    return c


def _comments_section(html: str) -> str:
    """The page's answered comments and pager (what the files replace; the rest carries per-request tokens)."""
    start = html.index("<h3>Ý kiến và trả lời</h3>")
    return html[start : html.index("</section>", start)]


def _anchors(c) -> list[dict]:
    ids = list(selectors.public_comments(c).values_list("pk", flat=True))
    assert len(ids) == 44
    return [
        {},
        {"sau": ids[0]},
        {"sau": ids[19]},
        {"sau": ids[21]},  # across the positioned comments and the general ones
        {"sau": ids[-1]},
        {"truoc": ids[20]},
        {"truoc": ids[5]},
        {"truoc": ids[0]},
        {"sau": c.unanswered.pk},  # not a public comment: the first page
        {"sau": 999_999_999},
        {"truoc": "abc", "sau": ids[10]},
    ]


def test_public_pages_from_the_files_equal_the_pages_from_the_database(client, results, staff):
    url = reverse("consultations:public_detail", args=[results.pk])
    anchors = _anchors(results)
    signed_in = type(client)()
    signed_in.force_login(staff)
    readers = (client, signed_in)
    live = [[_comments_section(r.get(url, a).content.decode()) for a in anchors] for r in readers]
    assert published.opened(results.pk, results.public_version) is None

    assert published.build(results.pk) == "built"
    files = [[_comments_section(r.get(url, a).content.decode()) for a in anchors] for r in readers]
    for got, want in zip(files[0] + files[1], live[0] + live[1], strict=True):
        assert got == want, "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True)))
    assert live[0][0] != live[0][2] and "Trang sau" in live[0][0]


def test_a_deep_page_from_the_files_reads_no_comment(client, results):
    published.build(results.pk)
    url = reverse("consultations:public_detail", args=[results.pk])
    ids = list(selectors.public_comments(results).values_list("pk", flat=True))
    client.get(url)  # the page around the comments, cached once
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url, {"sau": ids[30]}).content.decode()
    assert not [q for q in ctx.captured_queries if "consultations_comment" in q["sql"]], ctx.captured_queries
    code = Comment.objects.get(pk=ids[31]).tracking_code
    assert code in html and Comment.objects.get(pk=ids[30]).tracking_code not in html


def test_results_json_from_the_files_equals_the_json_from_the_database(client, results, monkeypatch):
    from consultations.views import public as public_views

    monkeypatch.setattr(public_views, "JSON_PAGE", 10)
    url = reverse("consultations:results_json", args=[results.pk])

    def walk():
        pages, next_url = [], url
        while next_url:
            body = client.get(next_url).content
            pages.append(body)
            next_url = json.loads(body)["next"]
        return pages

    live = walk()
    client.get(url, {"sau": 999_999_999})
    published.build(results.pk)
    assert walk() == live
    assert len(live) == 5
    codes = [c["code"] for page in live for c in json.loads(page)["comments"]]
    assert codes == list(selectors.public_comments(results).values_list("tracking_code", flat=True))


def test_a_change_is_served_at_once_and_queues_one_build_of_the_new_version(
    client, results, staff, django_capture_on_commit_callbacks
):
    published.build(results.pk)
    old_dir = published.directory(results.pk, results.public_version)
    url = reverse("consultations:public_detail", args=[results.pk])
    first = selectors.public_comments(results).first()
    assert first.tracking_code in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_hide(comment=first, by=staff, reason="Trùng lặp nội dung")
    queued = OrmQ.objects.count()
    for _ in range(3):  # served from the database (the old files are never read again)
        assert first.tracking_code not in client.get(url).content.decode()
        assert (
            first.tracking_code
            not in client.get(reverse("consultations:results_json", args=[results.pk])).content.decode()
        )
    assert OrmQ.objects.count() == queued + 1  # one build of the new version, whoever asked

    assert published.build(results.pk) == "built"
    assert not old_dir.exists()
    results.refresh_from_db()
    assert published.opened(results.pk, results.public_version) is not None
    assert first.tracking_code not in client.get(url).content.decode()


def test_a_build_overtaken_by_a_write_is_thrown_away(results, staff, monkeypatch):
    write = published._write

    def write_then_change(consultation, path, selectors_module):
        write(consultation, path, selectors_module)
        services.comment_hide(
            comment=selectors.public_comments(consultation).first(), by=staff, reason="Vi phạm quy định"
        )

    monkeypatch.setattr(published, "_write", write_then_change)
    assert published.build(results.pk) == "stale"
    results.refresh_from_db()
    for version in (results.public_version - 1, results.public_version):
        assert published.opened(results.pk, version) is None
    assert [p.name for p in published.directory(results.pk, 0).parent.iterdir()] == []


def test_nothing_is_built_before_results_are_published(settings, tmp_path, commune, village, staff):
    settings.MEDIA_ROOT = tmp_path
    c = make_published(commune, staff)
    _bulk_comments(c, 3, village)
    assert published.build(c.pk) == "not-published"
    assert not list(tmp_path.iterdir())


def test_without_a_worker_a_page_of_comments_is_read_once_per_version(
    client, results, staff, django_capture_on_commit_callbacks
):
    url = reverse("consultations:public_detail", args=[results.pk])
    ids = list(selectors.public_comments(results).values_list("pk", flat=True))

    def comment_queries(params):
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url, params).content.decode()
        return html, [q for q in ctx.captured_queries if "consultations_comment" in q["sql"]]

    html, first = comment_queries({"sau": ids[25]})
    assert first and Comment.objects.get(pk=ids[26]).tracking_code in html
    again, second = comment_queries({"sau": ids[25]})
    assert not second and _comments_section(again) == _comments_section(html)

    shown = Comment.objects.get(pk=ids[26])
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_hide(comment=shown, by=staff, reason="Trùng lặp nội dung")
    html, third = comment_queries({"sau": ids[25]})
    assert third and shown.tracking_code not in html


def test_a_renamed_village_is_named_anew_in_the_results_and_their_files(
    client, results, village, django_capture_on_commit_callbacks
):
    published.build(results.pk)
    url = reverse("consultations:public_detail", args=[results.pk])
    json_url = reverse("consultations:results_json", args=[results.pk])
    assert " · Đồng Tâm</p>" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        village.name = "Đồng Tâm Mới"  # two villages merged under a new name, say
        village.save()
    for body in (client.get(url).content.decode(), client.get(json_url).content.decode()):
        assert "Đồng Tâm Mới" in body and " · Đồng Tâm</p>" not in body and '"Đồng Tâm"' not in body
    assert published.build(results.pk) == "built"  # the worker's files of the new version name it anew
    results.refresh_from_db()
    assert published.opened(results.pk, results.public_version) is not None
    html = client.get(url).content.decode()
    assert " · Đồng Tâm Mới</p>" in html and " · Đồng Tâm</p>" not in html


def test_a_village_moved_to_another_commune_leaves_the_old_communes_comment_form(
    client, commune, other_commune, village, other_village, staff, django_capture_on_commit_callbacks
):
    from tests.consultations.views.test_public import _open_now

    c = _open_now(commune, staff)
    url = reverse("consultations:public_detail", args=[c.pk])
    option = f'<option value="{other_village.pk}">Trung Đồng</option>'
    assert option in client.get(url).content.decode()  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        other_village.parent = other_commune  # redrawn boundaries: the village now belongs to Phúc Sơn
        other_village.save()
    html = client.get(url).content.decode()
    assert option not in html and f'<option value="{village.pk}">' in html
