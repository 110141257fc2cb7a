"""The overseers' summary links each petition count to that commune's petitions filtered the same way (the year, open,
overdue), and the list it opens holds exactly the petitions counted; a commune the viewer does not read is a 404."""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogues import services
from portal.models import Role
from tests.dialogues.factories import record
from tests.factories import CommuneFactory, make_user
from tests.portal.factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def petitions(commune, village, staff, mttq):
    today = timezone.localdate()
    late_on = today - dt.timedelta(days=45)  # past its 15 working days
    if late_on.year != today.year:
        pytest.skip("early January: no petition of this year can be overdue yet")
    overdue = record(commune=commune, by=mttq, village=village, on=late_on, text="Kiến nghị quá hạn")
    recent = record(commune=commune, by=mttq, village=village, on=today, text="Kiến nghị mới nhận")
    duplicate = record(commune=commune, by=mttq, village=village, on=today, text="Kiến nghị trùng")
    services.petition_mark_duplicate(petition=duplicate, of=recent, by=staff, now=at(today, 15))
    return overdue, recent, duplicate


def _links(page: str) -> dict[str, str]:
    """aria-label → href of the summary's links."""
    return {
        unescape(label): unescape(href)
        for href, label in re.findall(r'href="([^"]+)"[^>]*aria-label="([^"]+)"', page)
    }


def test_each_count_links_to_the_communes_petitions_so_filtered(client, commune, overseer, petitions):
    overdue, recent, duplicate = petitions
    client.force_login(overseer)
    page = client.get("/doi-thoai/cap-tren/").content.decode()
    links = _links(page)
    year = timezone.localdate().year
    expected = {
        f"2 kiến nghị năm {year} của {commune.name}": {overdue, recent},
        f"2 kiến nghị đang giải quyết của {commune.name}": {overdue, recent},
        f"1 kiến nghị quá hạn của {commune.name}": {overdue},
    }
    assert set(links) == set(expected)
    for label, counted in expected.items():
        response = client.get(links[label])
        assert response.status_code == 200, label
        listed = response.context["page"].object_list
        assert {p.pk for p in listed} == {p.pk for p in counted}, label
        assert duplicate.tracking_code not in response.content.decode()


def test_the_list_by_commune_is_404_for_a_commune_the_viewer_does_not_read(client, commune, overseer, staff):
    elsewhere = CommuneFactory(name="Xã tỉnh khác")
    client.force_login(overseer)
    assert client.get(f"/doi-thoai/kien-nghi/?xa={elsewhere.code}").status_code == 404
    assert client.get("/doi-thoai/kien-nghi/?xa=khong-co").status_code == 404
    client.force_login(staff)
    assert client.get(f"/doi-thoai/kien-nghi/?xa={commune.code}").status_code == 200
    assert client.get(f"/doi-thoai/kien-nghi/?xa={elsewhere.code}").status_code == 404
    assert client.get("/doi-thoai/kien-nghi/").status_code == 200  # their own commune, as before


def test_the_summary_with_links_keeps_a_constant_query_count(client, commune, overseer, petitions, mttq):
    client.force_login(overseer)
    client.get("/doi-thoai/cap-tren/")
    with CaptureQueriesContext(connection) as few:
        client.get("/doi-thoai/cap-tren/")
    for i in range(5):
        other = CommuneFactory(parent=commune.parent, name=f"Xã thêm {i}")
        record(commune=other, by=make_user(Role.MTTQ, other), on=timezone.localdate(), text="Kiến nghị khác")
    client.get("/doi-thoai/cap-tren/")  # the steady state (portal/principal.py)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/doi-thoai/cap-tren/").content.decode()
    assert len(many) == len(few)
    assert len(_links(page)) == 3 + 5 * 2
