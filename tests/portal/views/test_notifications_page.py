"""The inbox: unread first, grouped by workflow, the same subject folded; per-topic read; constant queries."""

import datetime as dt

import pytest
from django.urls import reverse

from portal.models import Notification
from portal.notifications import notify, topic_of
from tests.portal.factories import at
from tests.portal.views.test_core_views import _count

pytestmark = pytest.mark.django_db


def _send(user, n, *, topic_key="consultation:1", url="/lay-y-kien/1/quan-ly/", start=0):
    for i in range(start, start + n):
        notify(
            recipients=[user],
            title=f"Việc {i}",
            url=url,
            key=f"{topic_key}:{i}",
            now=at(dt.date(2026, 3, 2)) + dt.timedelta(minutes=i),
            email=False,
        )


def test_topic_comes_from_the_key_unless_given():
    assert topic_of("consultation:12:published") == "consultation"
    assert topic_of("documents.issued.4") == "document"
    assert topic_of("deadline:3:due") == "deadline"
    assert topic_of(None) == ""


def test_inbox_groups_unread_first_by_topic_and_folds_one_subject(client, staff):
    _send(staff, 3)  # three about the same consultation
    notify(
        recipients=[staff],
        title="Hạn hôm nay",
        url="/thoi-han/",
        key="deadline:9:due",
        now=at(dt.date(2026, 3, 1)),
        email=False,
    )
    old = notify(recipients=[staff], title="Đã xem rồi", key="documents.issued.1", email=False)[0]
    Notification.objects.filter(pk=old.pk).update(read_at=at(dt.date(2026, 3, 3)))
    client.force_login(staff)
    response = client.get(reverse("notification_list"))
    groups = response.context["groups"]
    assert [(g["label"], g["unread"]) for g in groups] == [
        ("Lấy ý kiến", True),
        ("Thời hạn", True),
        ("Văn bản", False),
    ]
    [entry] = groups[0]["entries"]
    assert entry["note"].title == "Việc 2" and [o.title for o in entry["others"]] == ["Việc 1", "Việc 0"]
    html = response.content.decode()
    assert "Và 2 thông báo khác về việc này" in html and "4 thông báo chưa đọc" in html
    assert "Lấy ý kiến (3 chưa đọc)" in html


def test_marking_one_topic_read_leaves_the_others(client, staff):
    _send(staff, 2)
    notify(recipients=[staff], title="Hạn", key="deadline:9:due", email=False)
    client.force_login(staff)
    response = client.post(reverse("notification_read"), {"chu-de": "consultation"})
    assert response.status_code == 302 and response["Location"].endswith("?chu-de=consultation")
    unread = Notification.objects.filter(recipient=staff, read_at__isnull=True)
    assert [n.topic for n in unread] == ["deadline"]
    # Filtered by topic, and an unknown topic just shows everything.
    assert [
        n.topic for n in client.get(reverse("notification_list") + "?chu-de=deadline").context["page"]
    ] == ["deadline"]
    assert len(client.get(reverse("notification_list") + "?chu-de=khong-co").context["page"]) == 3


def test_home_shows_unread_counts_by_topic_not_every_message(client, staff):
    _send(staff, 12)
    client.force_login(staff)
    html = client.get(reverse("staff_dashboard")).content.decode()
    assert "Thông báo mới" in html and "Lấy ý kiến: 12 chưa đọc" in html
    assert "Việc 11" not in html  # the messages themselves stay in the inbox


def test_inbox_query_count_does_not_grow(client, staff):
    _send(staff, 3)
    client.force_login(staff)
    url = reverse("notification_list")
    few = _count(client, url)
    _send(staff, 25, topic_key="deadline:2", url="", start=3)
    assert _count(client, url) == few
