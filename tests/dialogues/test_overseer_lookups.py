"""The upper level's seat (overseer menu entry, page and home panel), notification topics, and the lookups the app
now asks (portal/lookups.py, access.commune_ids) instead of its own member queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogues import services
from dialogues.services.documents import signer_of
from portal import registry
from portal.models import Notification, Role
from tests.dialogues.factories import MEETING_DAY, make_dialogue, noticed_dialogue, record, ubnd
from tests.factories import make_user
from tests.portal.factories import at

pytestmark = pytest.mark.django_db


def test_overseer_sees_each_commune_and_the_yearly_rule(client, commune, village, staff, mttq, overseer):
    ubnd(commune)
    d = noticed_dialogue(commune=commune, by=staff, villages=[village])
    record(commune=commune, by=mttq, village=village, dialogue=d)
    client.force_login(overseer)
    page = client.get("/doi-thoai/cap-tren/").content.decode()
    assert commune.name in page and "chưa đạt Điều 32" in page and "ít nhất 1 lần/năm" in page
    assert "/doi-thoai/cap-tren/" in client.get("/cap-tren/").content.decode()


def test_overseer_page_is_404_for_commune_staff(client, staff):
    client.force_login(staff)
    assert client.get("/doi-thoai/cap-tren/").status_code == 404


def test_overseer_page_queries_do_not_grow_with_communes(client, commune, overseer):
    from tests.factories import CommuneFactory

    client.force_login(overseer)
    client.get("/doi-thoai/cap-tren/")  # the steady state (portal/principal.py)
    with CaptureQueriesContext(connection) as few:
        client.get("/doi-thoai/cap-tren/")
    for _ in range(5):
        CommuneFactory(parent=commune.parent)
    client.get("/doi-thoai/cap-tren/")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/doi-thoai/cap-tren/")
    assert page.status_code == 200 and len(many) == len(few)


def test_menu_entry_only_for_overseers(client, overseer, staff):
    client.force_login(staff)
    assert "/doi-thoai/cap-tren/" not in client.get("/bang-dieu-khien/").content.decode()
    client.force_login(overseer)
    assert 'href="/doi-thoai/cap-tren/"' in client.get("/cap-tren/").content.decode()


def test_notifications_are_grouped_under_the_dialogue_topic(commune, village, staff, village_head):
    ubnd(commune)
    d = make_dialogue(commune=commune, by=staff, villages=[village])
    services.dialogue_publish_notice(dialogue=d, by=staff, now=at(MEETING_DAY - dt.timedelta(days=8)))
    note = Notification.objects.get(recipient=village_head)
    assert note.topic == "dialogue"
    assert registry.notification_topic_label("dialogue") == "Tiếp xúc, đối thoại"
    assert registry.notification_topic_label("petition") == "Kiến nghị"


def test_the_host_signs_when_he_is_a_leader_else_the_chairman(commune, leader):
    ubnd(commune)
    deputy = make_user(Role.LEADER, commune, username="phochutich", first_name="Phó")
    deputy.memberships.update(position="Phó Chủ tịch UBND xã")
    assert signer_of(commune.pk, deputy)["deputy"] is True
    assert signer_of(commune.pk)["deputy"] is False
    assert signer_of(commune.pk, make_user(Role.STAFF, commune))["deputy"] is False


def test_a_district_judge_reads_the_communes_dialogues(commune, other_commune, village, staff):
    ubnd(commune)
    d = make_dialogue(commune=commune, by=staff, villages=[village])
    assert make_user(Role.JUDGE, commune.parent).has_perm("dialogues.view_dialogue", d)
    assert not make_user(Role.JUDGE, other_commune).has_perm("dialogues.view_dialogue", d)


def test_survey_page_shows_a_qr_of_the_link_and_a_printable_sheet(
    client, commune, village, staff, mttq, village_head
):
    import segno  # noqa: F401  (the dependency the page uses)

    ubnd(commune)
    d = noticed_dialogue(commune=commune, by=staff, villages=[village])
    client.force_login(mttq)
    assert client.get(f"/doi-thoai/{d.pk}/khao-sat/ma-qr/").status_code == 404  # not open yet
    services.dialogue_mark_held(dialogue=d, by=staff, now=at(MEETING_DAY, 12))
    survey = services.survey_open(dialogue=d, by=mttq, now=at(MEETING_DAY, 13))
    page = client.get(f"/doi-thoai/{d.pk}/khao-sat/").content.decode()
    link = f"http://testserver/doi-thoai/khao-sat/{survey.token}/"
    assert link in page and "<svg" in page and 'class="qr"' in page
    sheet = client.get(f"/doi-thoai/{d.pk}/khao-sat/ma-qr/").content.decode()
    assert "<svg" in sheet and link in sheet and "@media print" in sheet
    client.force_login(village_head)
    assert client.get(f"/doi-thoai/{d.pk}/khao-sat/ma-qr/").status_code in (403, 404)


def test_qr_svg_encodes_the_link():
    from portal.qr import qr_svg

    svg = qr_svg("https://example.vn/doi-thoai/khao-sat/abc/")
    assert svg.startswith("<svg") and "<path" in svg
    assert qr_svg("https://example.vn/a") != qr_svg("https://example.vn/b")
