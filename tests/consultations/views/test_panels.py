import pytest
from django.urls import reverse

from consultations.selectors import postings_of
from portal.publicity.models import Posting
from tests.consultations.views.test_public import _open_now

pytestmark = pytest.mark.django_db


def test_role_homes_show_consultation_panels(client, commune, village, staff, village_head, mttq):
    c = _open_now(commune, staff)
    from consultations import services

    services.comment_submit(consultation=c, text="Ý kiến chưa trả lời", form_token="p1")
    client.force_login(staff)
    html = client.get(reverse("staff_dashboard")).content.decode()
    # What waits for the staff first: the comment to answer, with a link to the unanswered ones.
    assert "Ý kiến chờ trả lời: 1" in html and c.title in html and "1 ý kiến chưa trả lời" in html
    assert reverse("consultations:comments", args=[c.pk]) + "?answered=no" in html
    assert "Đang lấy ý kiến: 1" in html
    client.force_login(village_head)
    html = client.get(reverse("my_village")).content.decode()
    mine = postings_of(c).get(village=village, kind=Posting.Kind.VILLAGE_HOUSE)
    assert "Niêm yết cần xác nhận" in html and reverse("publicity:posting_confirm", args=[mine.pk]) in html
    client.force_login(mttq)
    html = client.get(reverse("mttq_review")).content.decode()
    assert "Giám sát việc trả lời ý kiến" in html and "1 ý kiến chưa trả lời" in html
    client.logout()
    html = client.get(reverse("commune_public", args=[commune.code])).content.decode()
    assert "Đang lấy ý kiến" in html and c.title in html
