"""The maintained statistics (CommentTally, Comment.duplicate_count) equal a fresh aggregate after every service that
changes a comment, and the pages built on them show the same figures an aggregate would."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q

from consultations import selectors, services
from consultations.models import Channel, Comment, CommentTally
from consultations.services.tally import tally_fresh, tally_of
from tests.consultations.factories import at, make_published, submit

pytestmark = pytest.mark.django_db


def assert_fresh(c):
    """The stored tally is the aggregate of the comments, and each duplicate_count the number of its duplicates."""
    fresh = {k: n for k, n in tally_fresh(Comment.objects.filter(consultation=c)).items() if n}
    stored = {k: n for k, n in tally_of(c.pk).items() if n}
    assert stored == fresh
    actual = dict(
        Comment.objects.filter(consultation=c)
        .annotate(d=Count("duplicates"))
        .values_list("pk", "d")
        .order_by("pk")
    )
    assert dict(Comment.objects.filter(consultation=c).values_list("pk", "duplicate_count")) == actual
    # The figures the pages show, against the aggregates the pages used to run.
    visible = Comment.objects.filter(consultation=c, hidden=False)
    main = visible.filter(merged_into__isnull=True)
    assert selectors.comment_counts(c) == main.aggregate(
        total=Count("id"),
        general=Count("id", filter=Q(article__isnull=True)),
        answered=Count("id", filter=Q(status=Comment.Status.ANSWERED)),
    )
    stats = selectors.results_statistics(c)
    assert stats["totals"] == visible.aggregate(
        total=Count("id"),
        duplicates=Count("id", filter=Q(merged_into__isnull=False)),
        no_village=Count("id", filter=Q(village__isnull=True)),
    )
    assert {r["key"]: r["count"] for r in stats["by_channel"]} == dict(
        visible.values_list("channel").annotate(n=Count("id")).order_by()
    )
    assert {r["key"] or "": r["count"] for r in stats["by_answer"]} == dict(
        main.values_list("answer_kind").annotate(n=Count("id")).order_by()
    )
    by_article = {r["key"]: r["count"] for r in stats["by_article"]}
    assert by_article == {
        (k or ""): n for k, n in visible.values_list("article__key").annotate(n=Count("id")).order_by()
    }
    for a in selectors.article_rows(selectors.current_version(c)):
        assert a.comment_count == main.filter(article=a).count()
    return stored


def test_every_comment_service_keeps_the_counts(
    commune, village, other_village, staff, mttq, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    c = make_published(commune, staff)
    article = c.versions.get().articles.get(key="d-1")
    assert_fresh(c)
    a = submit(c, text="Ý kiến một", article=article, village=village)
    b = submit(c, text="Ý kiến hai")
    d = submit(c, text="Ý kiến ba", village=other_village)
    submit(c, token="same"), submit(c, token="same")  # the repeated form token adds nothing
    assert_fresh(c)
    services.comment_record(
        consultation=c,
        by=staff,
        text="Qua Zalo",
        channel=Channel.ZALO,
        received_at=at(2024, 3, 6),
        now=at(2024, 3, 6),
    )
    services.meeting_record(
        consultation=c,
        by=mttq,
        title="Hội nghị thôn",
        held_on=at(2024, 3, 7).date(),
        village=village,
        comments_text="Điều 1: ý một\nÝ hai",
        now=at(2024, 3, 7),
    )
    assert_fresh(c)
    upload = SimpleUploadedFile(
        "gopy.csv",
        "Nội dung góp ý,Thôn,Điều,Ngày nhận\nNhập một,,1,05/03/2024\nNhập hai,,,06/03/2024\n".encode(),
        content_type="text/csv",
    )
    services.import_batch_create(consultation=c, by=staff, upload=upload, now=at(2024, 3, 10))
    assert_fresh(c)
    services.comment_tag(comment=b, by=staff, article=article, topics=["đường"])
    services.comment_tag(comment=a, by=staff, article=None)
    assert_fresh(c)
    services.comment_merge(comment=d, into=b, by=staff)
    assert Comment.objects.get(pk=b.pk).duplicate_count == 1
    services.comment_merge(comment=b, into=a, by=staff)  # b carries d along: a now has two duplicates
    assert Comment.objects.get(pk=a.pk).duplicate_count == 2
    assert Comment.objects.get(pk=b.pk).duplicate_count == 0
    assert_fresh(c)
    services.comment_answer(comment=a, by=staff, kind=Comment.Answer.ACCEPTED, text="Tiếp thu.")
    services.comment_assign(comment=Comment.objects.get(text="Qua Zalo"), by=staff, assignee=staff)
    assert_fresh(c)
    services.comment_hide(comment=a, by=staff, reason="Trùng lặp quảng cáo")
    stored = assert_fresh(c)
    assert stored["all"] == Comment.objects.filter(consultation=c).count()
    services.comment_unhide(comment=a, by=staff)
    services.comment_answer(comment=a, by=staff, kind=Comment.Answer.EXPLAINED, text="Đã có ở Điều 3.")
    assert_fresh(c)


def test_recount_command_repairs_and_checks(commune, village, staff):
    c = make_published(commune, staff)
    submit(c), submit(c, village=village)
    Comment.objects.filter(consultation=c).update(duplicate_count=5)
    with pytest.raises(CommandError, match="stale"):
        call_command("consultations_recount", "--check", "--consultation", str(c.pk))
    CommentTally.objects.filter(consultation=c, key="main").update(n=99)
    with pytest.raises(CommandError, match="stale"):
        call_command("consultations_recount", "--check", "--consultation", str(c.pk))
    call_command("consultations_recount", "--consultation", str(c.pk))
    assert tally_of(c.pk)["main"] == 2
    assert_fresh(c)
    call_command("consultations_recount", "--check")
