"""A commune under the organizer that has not registered finds the contest in its list, marked open for registration
with its deadline, and registers itself from the contest page ("Đăng ký tham gia"); the list's query count is
constant."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns import selectors, services
from campaigns.models import Contest, Participant
from portal.models import Role
from tests.campaigns.factories import NOW, make_world
from tests.factories import CommuneFactory, make_user

pytestmark = pytest.mark.django_db


def _open_until(contest, day):
    # The world is dated 2024; the pages run on today's date, so the plan's date is moved next to today.
    Contest.objects.filter(pk=contest.pk).update(registration_due=day)
    contest.refresh_from_db()
    return contest


def _another_contest(world, title):
    return services.contest_create(
        organizer_unit=world.district,
        organizer_name="Ban Thường vụ Huyện ủy Yên Thế",
        title=title,
        theme="Chủ đề",
        year=2024,
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2024, 10, 30),
        criteria_set=world.contest.criteria_set,
        by=world.organizer,
        now=NOW,
    )


@pytest.fixture
def invited():
    world = make_world(1)  # Xã 1 registered
    due = timezone.localdate() + dt.timedelta(days=20)
    while due.weekday() >= 5:  # a working day, so the deadline shown is the plan's own date
        due += dt.timedelta(days=1)
    _open_until(world.contest, due)
    late = CommuneFactory(parent=world.district, name="Xã Chưa Đăng Ký")
    world.late = late
    world.late_staff = make_user(Role.STAFF, late, username="canbo_late")
    world.due = due
    return world


def test_a_commune_not_registered_sees_the_contest_open_for_registration_with_its_deadline(client, invited):
    world = invited
    outside = make_user(Role.STAFF, CommuneFactory(parent=world.province, name="Xã huyện khác"))
    client.force_login(world.late_staff)
    page = client.get(reverse("campaigns:list")).content.decode()
    assert world.contest.title.replace('"', "&quot;") in page
    assert f"Đang nhận đăng ký</strong>, hạn {world.due:%d/%m/%Y}" in page
    client.force_login(world.staff[0])  # registered: the contest, without the invitation
    page = client.get(reverse("campaigns:list")).content.decode()
    assert world.contest.title.replace('"', "&quot;") in page and "Đang nhận đăng ký" not in page
    client.force_login(outside)
    page = client.get(reverse("campaigns:list")).content.decode()
    assert world.contest.title.replace('"', "&quot;") not in page
    # The selector answers the same as the rule, row by row.
    for user in (world.late_staff, world.staff[0], outside):
        listed = {c.pk for c in selectors.contest_list(user)}
        assert (world.contest.pk in listed) == user.has_perm("campaigns.view_contest", world.contest)


def test_the_commune_registers_itself_from_the_contest_page(client, invited):
    world = invited
    client.force_login(world.late_staff)
    url = reverse("campaigns:contest", args=[world.contest.pk])
    page = client.get(url).content.decode()
    assert "Đăng ký tham gia" in page and f'name="unit" value="{world.late.pk}"' in page
    response = client.post(reverse("campaigns:join", args=[world.contest.pk]), {"unit": world.late.pk})
    participant = Participant.objects.get(contest=world.contest, commune=world.late)
    assert response.status_code == 302 and response.url == reverse(
        "campaigns:participant", args=[participant.pk]
    )
    assert participant.kind == "commune"
    assert "Đăng ký tham gia" not in client.get(url).content.decode()
    page = client.get(reverse("campaigns:list")).content.decode()
    assert "Đang nhận đăng ký" not in page
    # Another commune's id in the form registers nothing.
    other = CommuneFactory(parent=world.district, name="Xã Bên Cạnh")
    client.post(reverse("campaigns:join", args=[world.contest.pk]), {"unit": other.pk})
    assert not Participant.objects.filter(contest=world.contest, commune=other).exists()


def test_after_the_deadline_the_list_says_so_and_the_page_refuses_with_the_date(client, invited):
    world = invited
    past = timezone.localdate() - dt.timedelta(days=10)
    while past.weekday() >= 5:
        past -= dt.timedelta(days=1)
    _open_until(world.contest, past)
    client.force_login(world.late_staff)
    page = client.get(reverse("campaigns:list")).content.decode()
    assert f"Đã hết hạn đăng ký ({past:%d/%m/%Y})" in page
    page = client.get(reverse("campaigns:contest", args=[world.contest.pk])).content.decode()
    assert "Đã hết hạn đăng ký dự thi" in page and 'name="unit"' not in page
    client.post(reverse("campaigns:join", args=[world.contest.pk]), {"unit": world.late.pk})
    assert not Participant.objects.filter(contest=world.contest, commune=world.late).exists()


def test_the_service_refuses_a_commune_outside_the_organizers_area():
    world = make_world(1)
    elsewhere = CommuneFactory(parent=world.province, name="Xã huyện khác")
    staff = make_user(Role.STAFF, elsewhere)
    with pytest.raises(PermissionDenied):
        services.participant_register(
            contest=world.contest, kind="commune", unit=elsewhere, name="Xã huyện khác", by=staff, now=NOW
        )
    assert not world.contest.participants.filter(commune=elsewhere).exists()


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("campaigns:list")).status_code == 200
    return len(ctx.captured_queries)


def test_the_contest_list_runs_constant_queries_at_1_and_many_contests(client, invited):
    world = invited
    client.force_login(world.late_staff)
    _count(client)  # warms the per-process caches (the working-day calendar of the year)
    one = _count(client)
    for i in range(12):
        contest = _another_contest(world, f"Cuộc thi {i}")
        if i % 3 == 0:  # some where the commune registered, the others open to it
            services.participant_register(
                contest=contest, kind="commune", unit=world.late, name="Xã Chưa Đăng Ký", by=None, now=NOW
            )
    page = client.get(reverse("campaigns:list")).content.decode()
    assert page.count("Đang nhận đăng ký") == 1 + 8
    assert _count(client) == one
