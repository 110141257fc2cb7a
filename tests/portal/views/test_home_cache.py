"""The role homes serve their panels from one cache entry per person and day (portal/generations.py): after every
service that changes what a panel shows, what the cache serves is what a fresh render shows; a cache hit runs the
same few queries whatever the data; nobody is served another person's panels.

Each write runs with its on-commit callbacks executed (the generation moves on commit, as in production): without
them the writer's connection renders live (``generations.written``) and the cache would not be exercised."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import services as consultations
from consultations.models import Comment
from dialogues import services as dialogues
from portal import generations
from portal.deadlines import deadline_meet
from portal.documents.services import document_create_from_spec
from portal.notifications import notification_mark_read, notify
from tests.consultations.views.test_public import _open_now
from tests.dialogues.factories import record
from tests.documents.factories import minimal_spec, orgs_for
from tests.factories import CacheCalls
from tests.portal.factories import open_deadline

pytestmark = pytest.mark.django_db

PANEL = re.compile(r'<section class="card panel work-panel".*?</section>', re.S)


def settle() -> None:
    """The fixtures' rows count as committed: the writer's connection may serve cached homes again."""
    generations._dirty().clear()


def panels(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return PANEL.findall(response.content.decode())


class Homes:
    """Every role home of a commune, each through its own logged-in client."""

    def __init__(self, people):
        settle()
        self.homes = []
        for user, url_name in people:
            c = Client()
            c.force_login(user)
            self.homes.append((user.username, c, reverse(url_name)))
        self.last = self.served()

    def served(self) -> dict[str, list[str]]:
        return {name: panels(c, url) for name, c, url in self.homes}

    def assert_fresh(self, *changed: str) -> dict[str, list[str]]:
        """The cached panels equal a render from an empty cache; the homes in ``changed`` show a difference (the
        write mattered, so a stale cache would have been caught)."""
        assert (
            not generations._dirty()
        )  # every write committed: the homes come from the cache, not rendered live
        served = self.served()
        cache.clear()
        assert self.served() == served
        for name in changed:
            assert served[name] != self.last[name], f"{name}: the write did not change the home"
        self.last = served
        return served


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_homes_follow_every_service(committed, commune, village, staff, leader, village_head, mttq, overseer):
    homes = Homes(
        [
            (staff, "staff_dashboard"),
            (leader, "staff_dashboard"),
            (village_head, "my_village"),
            (mttq, "mttq_review"),
            (overseer, "overseer_home"),
        ]
    )
    today = timezone.localdate()
    assert homes.served() == homes.last  # served again from the cache: nothing changed

    # A petition: recorded (unassigned, overdue: its date is in March), assigned to the staff, answered.
    with committed():
        petition = record(commune=commune, by=staff, village=village, text="Cống thôn Đồng Tâm bị tắc")
    served = homes.assert_fresh("canbo", "truongthon", "mttq", "captren")
    assert "Cống thôn Đồng Tâm bị tắc" in "".join(served["truongthon"])
    with committed():
        dialogues.petition_classify(petition=petition, by=staff, field="land", competence="commune")
    homes.assert_fresh()
    with committed():
        dialogues.petition_assign(petition=petition, by=staff, assignee=staff)
    assert "Kiến nghị giao tôi trả lời" in "".join(homes.assert_fresh("canbo")["canbo"])
    with committed():
        dialogues.petition_answer(
            petition=petition, by=staff, how="in_writing", text="Đã nạo vét", proof_note="Công văn số 15"
        )
    homes.assert_fresh("canbo", "truongthon", "mttq", "captren")

    # A deadline of the staff due this week, then met.
    with committed():
        deadline = open_deadline(
            commune=commune,
            trigger=today,
            due=today + dt.timedelta(days=1),
            assignee=staff,
            title="Nộp báo cáo",
        )
    assert "Nộp báo cáo" in "".join(homes.assert_fresh("canbo")["canbo"])
    with committed():
        deadline_meet(deadline=deadline, by=staff)
    homes.assert_fresh("canbo")

    # A consultation published, a comment received (unanswered), then answered.
    with committed():
        c = _open_now(commune, staff)
    assert c.title in "".join(homes.assert_fresh("canbo", "chutich")["canbo"])
    with committed():
        consultations.comment_submit(consultation=c, text="Ý kiến chưa trả lời", form_token="p1")
    served = homes.assert_fresh("canbo", "chutich", "mttq")
    assert "1 ý kiến chưa trả lời" in "".join(served["mttq"])
    with committed():
        consultations.comment_answer(
            comment=Comment.objects.get(), by=staff, kind=Comment.Answer.ACCEPTED, text="Tiếp thu"
        )
    homes.assert_fresh("canbo", "mttq")

    # A notification, then read (update(): bumped by the service itself).
    with committed():
        notify(recipients=[staff], title="Có việc mới", key="deadline.test", email=False)
    assert "Thông báo mới" in "".join(homes.assert_fresh("canbo")["canbo"])
    with committed():
        notification_mark_read(user=staff)
    homes.assert_fresh("canbo")

    # A draft waiting for the leader's signature.
    with committed():
        document_create_from_spec(
            spec=minimal_spec(title="Chờ ký thử"), issuer=orgs_for(commune)["UBND"], by=staff, commune=commune
        )
    assert "Chờ ký thử" in "".join(homes.assert_fresh("chutich")["chutich"])


def test_a_write_in_the_open_transaction_is_never_served_stale(commune, village, staff):
    """Before the commit the writer's own connection renders live: a read in the same transaction sees its write."""
    client = Client()
    client.force_login(staff)
    url = reverse("staff_dashboard")
    panels(client, url)
    record(commune=commune, by=staff, village=village, text="Kiến nghị chưa lưu xong")
    assert generations.written([generations.unit_scope(commune.pk)])
    assert "Kiến nghị chưa lưu xong" in "".join(panels(client, url))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q.captured_queries)


@pytest.mark.parametrize("url_name,who", [("staff_dashboard", "staff"), ("my_village", "village_head")])
def test_a_cache_hit_runs_the_same_few_queries_whatever_the_data(
    request, committed, commune, village, staff, url_name, who
):
    user = request.getfixturevalue(who)
    settle()
    client = Client()
    client.force_login(user)
    url = reverse(url_name)
    miss = _queries(client, url)
    hit = _queries(client, url)
    assert hit < miss
    with committed():
        for i in range(6):
            record(commune=commune, by=staff, village=village, text=f"Kiến nghị {i}")
            open_deadline(commune=commune, village=village, trigger=timezone.localdate(), title=f"Việc {i}")
    assert _queries(client, url) > hit  # rendered again once: the writes outdated the entry
    assert _queries(client, url) == hit


def test_nobody_is_served_another_persons_panels(
    committed, commune, village, staff, leader, village_head, other_village_head, other_staff
):
    with committed():
        record(commune=commune, by=staff, village=village, text="Kiến nghị riêng của thôn Đồng Tâm")
    settle()
    clients = {}
    for user, url_name in [
        (staff, "staff_dashboard"),
        (leader, "staff_dashboard"),
        (village_head, "my_village"),
        (other_village_head, "my_village"),
        (other_staff, "staff_dashboard"),
    ]:
        c = Client()
        c.force_login(user)
        clients[user.username] = (c, reverse(url_name))
    for _ in range(2):  # the second round from the cache
        seen = {name: "".join(panels(c, url)) for name, (c, url) in clients.items()}
        assert "Kiến nghị riêng của thôn Đồng Tâm" in seen["canbo"]
        assert "Kiến nghị riêng của thôn Đồng Tâm" in seen["truongthon"]
        assert "Kiến nghị riêng của thôn Đồng Tâm" not in seen["truongthon2"]
        assert "Kiến nghị riêng của thôn Đồng Tâm" not in seen["canbo_xakhac"]
    # Another commune's staff has scopes of their own commune only: a write here does not reach their key.
    assert generations.unit_scope(commune.pk) not in generations.person_scopes(_access(other_staff))
    assert generations.person_scopes(_access(staff)) != generations.person_scopes(_access(leader))


def _access(user):
    from portal.access import access_for

    return access_for(user)


def test_the_day_is_part_of_the_key(committed, commune, staff, monkeypatch):
    """ "Due this week" and "overdue" move at midnight: tomorrow's home is rendered again, not served from today's."""
    settle()
    client = Client()
    client.force_login(staff)
    url = reverse("staff_dashboard")
    today = timezone.localdate()
    with committed():
        open_deadline(commune=commune, trigger=today, due=today, assignee=staff, title="Hạn hôm nay")
    assert "Đến hạn trong tuần: 1" in "".join(panels(client, url))
    tomorrow = today + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    assert "Quá hạn: 1" in "".join(panels(client, url))


TABLE = re.compile(r'<div class="table-wrap">.*?</div>', re.S)


def test_the_overseer_table_follows_deadlines_and_communes(committed, commune, overseer):
    from tests.factories import CommuneFactory

    settle()
    client = Client()
    client.force_login(overseer)
    url = reverse("overseer_home")

    def table() -> str:
        [html] = TABLE.findall(client.get(url).content.decode())
        return html

    def assert_fresh(before: str) -> str:
        served = table()
        assert not generations._dirty()
        cache.clear()
        assert table() == served != before
        return served

    served = table()
    assert table() == served  # from the cache
    with committed():
        open_deadline(commune=commune, trigger=timezone.localdate(), title="Việc của xã")
    served = assert_fresh(served)
    with committed():
        CommuneFactory(parent=commune.parent, name="Xã Mới Lập")
    assert "Xã Mới Lập" in assert_fresh(served)


def test_the_judges_panel_follows_the_participant(committed):
    """A participant's stage or name changes without touching the judge's assignment: the row bumps its judges'
    scopes."""
    from campaigns import services as campaigns
    from tests.campaigns.factories import NOW, fill_self, make_world

    world = make_world(2)
    judge, p = world.judges[0], world.participants[0]
    with committed():
        campaigns.judge_assign(participant=p, judge=judge, by=world.organizer, now=NOW)
    homes = Homes([(judge, "staff_dashboard")])
    assert "Xã 1 — " not in "".join(homes.last[judge.username])  # still assessing itself
    with committed():
        fill_self(p, None)
        campaigns.self_assessment_submit(participant=p, by=None, now=NOW)
    assert "Xã 1 — " in "".join(homes.assert_fresh(judge.username)[judge.username])
    with committed():
        p.name = "Xã Một (đổi tên)"
        p.save(update_fields=["name"])
    assert "Xã Một (đổi tên) — " in "".join(homes.assert_fresh(judge.username)[judge.username])


@pytest.mark.parametrize("url_name", ["staff_dashboard", "dialogues:petitions"])
def test_a_warm_page_reads_its_generations_and_its_html_in_one_round_trip(
    committed, commune, village, staff, monkeypatch, url_name
):
    """Issue 13: the staff dashboard and the petition list read the scopes' tokens and the cached HTML (kept with
    the tokens it was rendered at) in one cache round trip; a write that moves a token is shown at once."""
    settle()
    client = Client()
    client.force_login(staff)
    url = reverse(url_name)
    client.get(url)  # fills the cache
    cache_calls = CacheCalls(monkeypatch)
    assert client.get(url).status_code == 200
    reads = cache_calls.reads
    with_tokens = [keys for keys in reads if any(k.startswith(generations.PREFIX) for k in keys)]
    assert len(with_tokens) == 1 and any(":slot:" in k for k in with_tokens[0]), reads
    assert not [
        keys for keys in reads if keys not in with_tokens and any("portal:fragment" in k for k in keys)
    ]
    with committed():
        record(commune=commune, by=staff, village=village, text="Kiến nghị mới về đèn đường")
    assert "Kiến nghị mới về đèn đường" in client.get(url).content.decode()
