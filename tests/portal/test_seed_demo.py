"""seed_demo is idempotent and every demo account can log in."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from portal.demo import DEMO_PASSWORD, USERS, seed_core
from portal.models import AdministrativeUnit, Membership, Organization, Role

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "units": AdministrativeUnit.objects.count(),
        "organizations": Organization.objects.count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
    }


def test_seed_core_twice_creates_nothing_new():
    first_core = seed_core()
    first = _counts()
    second_core = seed_core()
    assert _counts() == first
    assert first == {"units": 10, "organizations": 15, "users": len(USERS) + 1, "memberships": len(USERS)}
    assert {k: u.pk for k, u in first_core.users.items()} == {k: u.pk for k, u in second_core.users.items()}
    assert [v.pk for v in second_core.villages] == [v.pk for v in first_core.villages]


def test_seed_demo_twice_creates_nothing_new(capsys):
    """The whole command, with every feature app's demo.seed(core)."""
    from campaigns import demo as campaigns_demo

    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    # 1 province, 2 communes, 6 + 1 villages; one user per demo account plus the superuser; the campaigns demo adds a
    # district, a third commune and a second judge.
    assert first["units"] == 10 + campaigns_demo.EXTRA_UNITS
    assert first["users"] == len(USERS) + 1 + campaigns_demo.EXTRA_USERS
    assert first["memberships"] == len(USERS) + campaigns_demo.EXTRA_MEMBERSHIPS
    assert "truongthon" in capsys.readouterr().out


def test_demo_roles_are_where_the_other_apps_expect_them():
    seed_core()
    m = {m.user.username: m for m in Membership.objects.select_related("user", "unit")}
    assert m["truongthon"].role == Role.VILLAGE_HEAD and m["truongthon"].unit.code == "07450-T01"
    assert m["canbo"].commune.code == "07450" and m["canbo_xakhac"].commune.code == "07451"
    assert m["captren"].unit.level == AdministrativeUnit.Level.PROVINCE and m["captren"].commune is None
    assert get_user_model().objects.get(username="admin").is_superuser


def test_every_demo_user_can_log_in():
    seed_core()
    usernames = [u[0] for u in USERS] + ["admin"]
    for username in usernames:
        client = Client()
        assert client.login(username=username, password=DEMO_PASSWORD), username
        assert client.get("/").status_code in (200, 302), username


def test_demo_is_timed_relative_to_today():
    """Issue 10 item 11: a fresh demo has no audit entry in the future, no deadline overdue since long ago, and each
    consultation sits in its phase with dates around today."""
    import datetime as dt

    from django.utils import timezone

    from consultations.models import Consultation
    from portal.models import AuditEvent, Deadline

    call_command("seed_demo")
    now, today = timezone.now(), timezone.localdate()
    assert not AuditEvent.objects.filter(at__gt=now).exists()
    stale = Deadline.objects.filter(status=Deadline.Status.OPEN, due_date__lt=today - dt.timedelta(days=90))
    assert list(stale.values_list("due_date", "title")) == []
    statuses = set(Consultation.objects.values_list("status", flat=True))
    assert {"draft", "published", "open", "closed", "synthesis", "results_published", "adopted"} <= statuses
    for c in Consultation.objects.all():
        assert abs((c.opens_on - today).days) <= 200, (c.title, c.opens_on)
        if c.status == "open":
            assert c.opens_on <= today <= c.closes_on, c.title
