import pytest
from django.urls import reverse
from django.utils import timezone

from portal.publicity.models import Posting
from tests.publicity.factories import jpeg_upload, make_budget

pytestmark = pytest.mark.django_db
K = Posting.Kind


@pytest.fixture
def pub(settings, tmp_path, commune, village, other_village, staff):
    settings.MEDIA_ROOT = str(tmp_path)
    today = timezone.localdate()
    return make_budget(commune, staff, decided_on=today, now=timezone.now())


def test_village_head_confirms_own_posting_404_for_others(client, pub, village, other_village, village_head):
    mine = pub.postings.get(kind=K.VILLAGE_HOUSE, village=village)
    theirs = pub.postings.get(kind=K.VILLAGE_HOUSE, village=other_village)
    client.force_login(village_head)
    assert client.get(reverse("publicity:posting_confirm", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("publicity:my_postings")).content.decode()
    assert reverse("publicity:posting_confirm", args=[mine.pk]) in page and pub.title in page
    r = client.post(
        reverse("publicity:posting_confirm", args=[mine.pk]),
        {"posted_on": timezone.localdate().isoformat(), "photo": jpeg_upload()},
    )
    assert r.status_code == 302 and r["Location"] == reverse("publicity:my_postings")
    mine.refresh_from_db()
    assert mine.posted_on == timezone.localdate() and mine.photo


def test_staff_on_behalf_form_asks_reason(client, pub, other_village, staff):
    theirs = pub.postings.get(kind=K.VILLAGE_HEAD, village=other_village)
    client.force_login(staff)
    url = reverse("publicity:posting_confirm", args=[theirs.pk])
    page = client.get(url).content.decode()
    assert "thay Trưởng thôn" in page and "on_behalf_reason" in page
    r = client.post(url, {"posted_on": timezone.localdate().isoformat(), "note": "Gọi điện xác nhận"})
    assert r.status_code == 200 and "Lý do cán bộ xác nhận thay" in r.content.decode()
    r = client.post(
        url,
        {
            "posted_on": timezone.localdate().isoformat(),
            "note": "Gọi điện xác nhận",
            "on_behalf_reason": "Thôn chưa có tài khoản",
        },
    )
    assert r.status_code == 302
    detail = client.get(reverse("publicity:detail", args=[pub.pk])).content.decode()
    assert "Cán bộ xác nhận thay: Thôn chưa có tài khoản" in detail


def test_detail_lists_problems_and_refuses_publicized(client, pub, staff, radio):
    client.force_login(staff)
    page = client.get(reverse("publicity:detail", args=[pub.pk])).content.decode()
    assert "Điều kiện chưa đáp ứng" in page and "Điều 13 khoản 2" in page
    r = client.post(reverse("publicity:action", args=[pub.pk, "da-cong-khai"]), follow=True)
    assert "chưa được xác nhận" in r.content.decode()
    on_air = pub.postings.get(kind=K.RADIO)
    client.force_login(radio)
    r = client.post(
        reverse("publicity:broadcast_log", args=[on_air.pk]),
        {"broadcast_on": timezone.localdate().isoformat()},
    )
    assert r.status_code == 302 and on_air.broadcasts.count() == 1
    assert client.get(reverse("publicity:radio")).status_code == 200


def test_pages_refuse_outsiders(client, pub, other_staff, citizen):
    office = pub.postings.get(kind=K.OFFICE)
    for user in (other_staff, citizen):
        client.force_login(user)
        # Publicized content is public (its page reads 200), acting on it is not.
        assert client.get(reverse("publicity:detail", args=[pub.pk])).status_code == 200
        assert client.get(reverse("publicity:posting_confirm", args=[office.pk])).status_code == 404
        assert client.post(reverse("publicity:action", args=[pub.pk, "da-cong-khai"])).status_code == 404
    client.logout()
    assert client.get(reverse("publicity:detail", args=[pub.pk])).status_code == 302  # to the login page
    # The file of a publicized content is public.
    r = client.get(reverse("publicity:file", args=[pub.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


def test_my_postings_query_count_constant(
    client, settings, tmp_path, commune, village, staff, village_head, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = str(tmp_path)
    make_budget(commune, staff, decided_on=timezone.localdate(), now=timezone.now())
    client.force_login(village_head)
    url = reverse("publicity:my_postings")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(20):
        make_budget(
            commune, staff, title=f"Nội dung {i}", decided_on=timezone.localdate(), now=timezone.now()
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("Gửi Trưởng thôn — ") == 21
    assert len(many) == len(few)
