"""The staff comment list and the MTTQ review are served from a shared rendered fragment (portal/fragments.py): after
every service that changes a comment, what the cache serves is what a fresh render shows."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Channel, Comment
from portal.fragments import query_key
from portal.models import Organization
from tests.consultations.factories import at, make_published, submit
from tests.factories import CacheCalls, OrganizationFactory

pytestmark = pytest.mark.django_db

PAGES = (
    ("consultations:comments", {}),
    ("consultations:comments", {"answered": "no"}),
    ("consultations:review", {"q": "y kien"}),
)


def bodies(client, c) -> list[str]:
    out = []
    for name, params in PAGES:
        r = client.get(reverse(name, args=[c.pk]), params)
        assert r.status_code == 200
        out.append(str(r.context["body"]))
    return out


def assert_served_fresh(staff_client, mttq_client, c):
    """What the (warm) cache serves equals a render with the cache emptied, for staff and for MTTQ."""
    served = bodies(staff_client, c), bodies(mttq_client, c)
    cache.clear()
    assert (bodies(staff_client, c), bodies(mttq_client, c)) == served


@pytest.mark.django_db(transaction=True)  # commits: the citizen's path drops the cached row on commit only
def test_cached_lists_follow_every_comment_service(
    client, commune, village, other_village, staff, mttq, settings, tmp_path
):
    from django.test import Client

    settings.MEDIA_ROOT = tmp_path
    staff_client, mttq_client = client, Client()
    staff_client.force_login(staff)
    mttq_client.force_login(mttq)
    c = make_published(commune, staff)
    article = c.versions.get().articles.get(key="d-1")
    bodies(staff_client, c), bodies(mttq_client, c)  # the cache holds the empty lists

    a = submit(c, text="Ý kiến một", article=article, village=village)
    assert_served_fresh(staff_client, mttq_client, c)
    assert "Ý kiến một" in bodies(staff_client, c)[0]
    b = submit(c, text="Ý kiến hai")
    d = submit(c, text="Ý kiến ba", village=other_village)
    assert_served_fresh(staff_client, mttq_client, c)
    services.comment_record(
        consultation=c,
        by=staff,
        text="Qua Zalo",
        channel=Channel.ZALO,
        received_at=at(2024, 3, 6),
        now=at(2024, 3, 6),
    )
    assert_served_fresh(staff_client, mttq_client, c)
    services.meeting_record(
        consultation=c,
        by=mttq,
        title="Hội nghị thôn",
        held_on=at(2024, 3, 7).date(),
        village=village,
        comments_text="Điều 1: ý một\nÝ hai",
        now=at(2024, 3, 7),
    )
    assert_served_fresh(staff_client, mttq_client, c)
    upload = SimpleUploadedFile(
        "gopy.csv",
        "Nội dung góp ý,Thôn,Điều,Ngày nhận\nNhập một,,1,05/03/2024\n".encode(),
        content_type="text/csv",
    )
    services.import_batch_create(consultation=c, by=staff, upload=upload, now=at(2024, 3, 10))
    assert_served_fresh(staff_client, mttq_client, c)
    services.comment_tag(comment=b, by=staff, article=article, topics=["đường"])
    assert_served_fresh(staff_client, mttq_client, c)
    services.comment_merge(comment=d, into=b, by=staff)
    assert_served_fresh(staff_client, mttq_client, c)
    zalo = Comment.objects.get(text="Qua Zalo")
    services.comment_assign(comment=zalo, by=staff, assignee=staff)
    assert_served_fresh(staff_client, mttq_client, c)
    services.comment_flag(comment=zalo, by=mttq, note="Chưa trả lời")
    assert_served_fresh(staff_client, mttq_client, c)
    assert "Chưa trả lời" in bodies(staff_client, c)[0]
    services.comment_answer(comment=a, by=staff, kind=Comment.Answer.ACCEPTED, text="Tiếp thu.")
    assert_served_fresh(staff_client, mttq_client, c)
    services.comment_hide(comment=a, by=staff, reason="Trùng lặp quảng cáo")
    assert_served_fresh(staff_client, mttq_client, c)
    services.comment_unhide(comment=a, by=staff)
    assert_served_fresh(staff_client, mttq_client, c)


def test_one_fragment_for_all_who_may_read_and_none_for_others(
    client, commune, village, staff, mttq, village_head
):
    c = make_published(commune, staff)
    submit(c, text="Ý kiến một", village=village)
    client.force_login(staff)
    first = client.get(reverse("consultations:comments", args=[c.pk]))
    client.force_login(mttq)
    second = client.get(reverse("consultations:comments", args=[c.pk]))
    assert str(first.context["body"]) == str(second.context["body"])
    assert "csrfmiddlewaretoken" not in str(first.context["body"])  # nothing per person in the shared part
    client.force_login(village_head)
    assert client.get(reverse("consultations:comments", args=[c.pk])).status_code in (403, 404)


def test_query_key_keys_only_what_the_page_knows():
    from django.http import QueryDict

    known = {"q", "village", "sau"}
    assert query_key(QueryDict("village=3&q=&sau=9"), known) == "sau=9&village=3"
    assert query_key(QueryDict("q=a&q=b"), known) is None  # repeated: rendered live
    assert query_key(QueryDict("utm=1"), known) is None  # unknown: rendered live, never a new key
    assert query_key(QueryDict("q=" + "x" * 500), known) is None


def test_logged_in_public_page_shares_the_content_not_the_tokens(
    client, commune, village, staff, mttq, django_capture_on_commit_callbacks
):
    from tests.consultations.views.test_public import _open_now

    c = _open_now(commune, staff)
    url = reverse("consultations:public_detail", args=[c.pk])
    client.force_login(staff)
    first = client.get(url).content.decode()
    assert "Đã nhận <strong>0</strong> ý kiến" in first
    with django_capture_on_commit_callbacks(execute=True):  # the cached counts are dropped on commit
        submit(c, text="Ý kiến mới", now=timezone.now())
    again = client.get(url).content.decode()
    assert "Đã nhận <strong>1</strong> ý kiến" in again  # the version changed: rendered again
    tokens = [
        h.split('name="form_token" value="', 1)[1].split('"', 1)[0]
        for h in (again, client.get(url).content.decode())
    ]
    assert tokens[0] != tokens[1]  # one cached body, a fresh form token per response
    assert "csrf-slot" not in again and "form-token-slot" not in again
    r = client.post(
        reverse("consultations:comment_submit", args=[c.pk]),
        {
            "text": "Gửi từ trang đã lưu",
            "form_token": tokens[1],
            "author_name": "",
            "village": "",
            "contact": "",
        },
    )
    assert r.status_code == 302


def test_a_new_comment_keeps_the_cached_public_page_and_fills_in_its_counts(
    client, commune, village, staff, django_capture_on_commit_callbacks
):
    """Issue 13: a comment arriving while the window is open does not throw the anonymous page away; its counts
    (the total and the article's) come from the tally on every response."""
    from consultations import cache as public_cache
    from consultations.models import Consultation
    from tests.consultations.views.test_public import _open_now

    c = _open_now(commune, staff)
    article = c.versions.get().articles.get(key="d-1")
    url = reverse("consultations:public_detail", args=[c.pk])
    html = client.get(url).content.decode()
    assert "Đã nhận <strong>0</strong> ý kiến." in html
    assert f'id="a{article.pk}"' in html
    before = Consultation.objects.values_list("public_version", "staff_version").get(pk=c.pk)
    state = public_cache.public_state(c.pk, lambda: None)
    page_key = public_cache.page_key(c.pk, state, "")
    assert public_cache.cached_page_key(c.pk, "") == page_key

    with django_capture_on_commit_callbacks(execute=True):  # the cached counts are dropped on commit
        submit(c, text="Góp ý Điều 1", article=article, village=village, now=timezone.now())
    after = Consultation.objects.values_list("public_version", "staff_version").get(pk=c.pk)
    assert (
        after[0] == before[0] and after[1] == before[1] + 1
    )  # the page keeps its key; staff lists re-render
    html = client.get(url).content.decode()
    assert public_cache.cached_page_key(c.pk, "") == page_key  # the same entry served the page
    assert "Đã nhận <strong>1</strong> ý kiến." in html
    block = html.split(f'id="a{article.pk}"', 1)[1].split("</div>", 1)[0]
    assert "1 ý kiến" in block
    assert "<!--n:" not in html  # every slot filled

    comment = Comment.objects.get(text="Góp ý Điều 1")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_answer(comment=comment, by=staff, kind=Comment.Answer.ACCEPTED, text="Tiếp thu.")
    html = client.get(url).content.decode()
    assert "Đã nhận <strong>1</strong> ý kiến, 1 ý kiến đã được trả lời." in html


def _summary_section(client, c) -> str:
    import re

    r = client.get(reverse("consultations:review", args=[c.pk]))
    assert r.status_code == 200
    html = str(r.context["summary_block"])
    assert "csrf-slot" not in html  # the token is filled per request
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_review_summary_section_follows_meetings_and_the_summary_services(client, commune, staff, mttq):
    client.force_login(mttq)
    c = make_published(commune, staff)
    if not Organization.objects.filter(unit=commune, kind=Organization.Kind.FATHERLAND_FRONT).exists():
        OrganizationFactory(unit=commune, kind=Organization.Kind.FATHERLAND_FRONT)
    assert "Đã điền sẵn" not in _summary_section(client, c)

    def served_fresh() -> str:
        served = _summary_section(client, c)
        cache.clear()
        assert _summary_section(client, c) == served
        return served

    services.meeting_record(
        consultation=c,
        by=staff,
        title="Hội nghị thôn",
        held_on=at(2024, 3, 6).date(),
        attendees=40,
        now=at(2024, 3, 6),
    )  # a meeting without comments changes the prefill
    assert "Đã điền sẵn từ 1 hội nghị" in served_fresh()
    summary = services.summary_save(consultation=c, by=mttq, text="Bản nháp tổng hợp", meetings_held=1)
    assert "Bản nháp tổng hợp" in served_fresh()
    services.summary_submit(summary=summary, by=mttq)
    html = served_fresh()
    assert "Đã gửi ngày" in html and "<form" not in html


def test_list_and_review_read_their_row_and_fragments_in_one_round_trip(
    client, commune, staff, mttq, monkeypatch
):
    """Issue 13: a warm staff list or MTTQ review reads the consultation and every fragment it shows in one cache
    round trip (the slots hold their version: one entry whatever the ``staff_version``), renders nothing, and each
    reader of the review sees the summary section meant for them (MTTQ may submit: the form; staff: no form)."""
    from consultations import cache as public_cache

    c = make_published(commune, staff)
    submit(c, text="Ý kiến một")
    cache_calls = CacheCalls(monkeypatch)
    review_url = reverse("consultations:review", args=[c.pk])
    for user, url, fragments in (
        (staff, reverse("consultations:comments", args=[c.pk]), 1),
        (mttq, review_url, 3),  # the list, and the summary slot of either kind of reader
    ):
        client.force_login(user)
        assert client.get(url).status_code == 200  # fills the slots
        cache_calls.clear()
        r = client.get(url)
        assert r.status_code == 200 and "Ý kiến một" in str(r.context["body"])
        with_fragments = [keys for keys in cache_calls.reads if any("portal:fragment" in k for k in keys)]
        assert len(with_fragments) == 1, with_fragments
        assert public_cache.row_key(c.pk) in with_fragments[0] and len(with_fragments[0]) == 1 + fragments
    client.force_login(staff)
    staff_view = client.get(review_url).content.decode()
    client.force_login(mttq)
    mttq_view = client.get(review_url).content.decode()
    action = reverse("consultations:summary", args=[c.pk])
    assert f'action="{action}"' in mttq_view and f'action="{action}"' not in staff_view
    client.force_login(staff)
    assert f'action="{action}"' not in client.get(review_url).content.decode()  # not served MTTQ's slot
