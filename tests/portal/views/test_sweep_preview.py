"""Staff see what the scheduled sweeps will do (issue 10 item 12): the preview's dates are the days the sweeps act."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import tasks
from consultations.models import Consultation
from portal import registry
from portal.deadlines import deadline_sweep
from portal.models import Deadline
from tests.consultations.factories import CLOSES, PUBLICIZED, at, make_published
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 3, 5)


def _steps(user, name, *, today=TODAY, days=30):
    (sweep,) = [
        s
        for s in registry.sweep_previews(user, today=today, until=today + dt.timedelta(days=days))
        if s["name"] == name
    ]
    return sweep["steps"]


def test_window_preview_says_when_the_sweep_closes_and_the_sweep_does_it_then(commune, village, staff):
    c = make_published(commune, staff)
    steps = _steps(staff, "consultations.windows")
    assert [(s.on, s.action, s.subject) for s in steps] == [
        (CLOSES + dt.timedelta(days=1), "Kết thúc lấy ý kiến", c.title)
    ]
    tasks.sweep_windows(now=at(2024, 3, 20, 23))
    assert Consultation.objects.get(pk=c.pk).status == Consultation.Status.OPEN
    tasks.sweep_windows(now=at(2024, 3, 21, 0))
    assert Consultation.objects.get(pk=c.pk).status == Consultation.Status.CLOSED


def test_window_preview_opens_a_published_consultation_on_its_first_day(commune, village, staff):
    from consultations import services
    from tests.consultations.factories import PLAN_ISSUED, make_consultation

    c = make_consultation(commune, staff, opens_on=dt.date(2024, 3, 1), closes_on=dt.date(2024, 3, 25))
    services.consultation_issue_plan(
        consultation=c,
        by=staff,
        issued_on=PLAN_ISSUED,
        sent_hdnd_on=PLAN_ISSUED,
        sent_mttq_on=PLAN_ISSUED,
        now=at(2024, 2, 27),
    )
    c = services.consultation_publish(consultation=c, by=staff, publicized_on=PUBLICIZED, now=at(2024, 2, 29))
    assert c.status == Consultation.Status.PUBLISHED
    steps = _steps(staff, "consultations.windows", today=PUBLICIZED)
    assert (dt.date(2024, 3, 1), "Mở lấy ý kiến") in [(s.on, s.action) for s in steps]


def test_deadline_preview_matches_what_the_sweep_sends(commune, village, staff):
    make_published(commune, staff)
    deadline = Deadline.objects.filter(status=Deadline.Status.OPEN).order_by("due_date", "id").first()
    steps = [
        s
        for s in _steps(staff, "portal.deadlines", today=dt.date(2024, 2, 20))
        if s.subject == deadline.title
    ]
    by_action = {s.action: s.on for s in steps}
    early = by_action["Nhắc trước hạn"]
    deadline_sweep(now=at(early.year, early.month, early.day) - dt.timedelta(days=1))
    deadline.refresh_from_db()
    assert deadline.reminder_sent_at is None  # not the day before
    deadline_sweep(now=at(early.year, early.month, early.day))
    deadline.refresh_from_db()
    assert deadline.reminder_sent_at is not None  # on the day the preview said
    assert by_action["Nhắc đúng ngày hạn"] == deadline.due_date
    assert by_action["Báo quá hạn cho lãnh đạo, chuyển sang “Quá hạn”"] == deadline.due_date + dt.timedelta(
        days=1
    )


def test_page_for_staff_only_with_constant_queries(client, commune, village, staff, village_head):
    url = reverse("sweep_preview")
    client.login(username=village_head.username, password=PASSWORD)
    assert client.get(url).status_code == 403
    client.login(username=staff.username, password=PASSWORD)
    make_published(commune, staff)
    client.get(url)  # the first request after signing in also refreshes the session
    with CaptureQueriesContext(connection) as one:
        r = client.get(url, {"ngay": "60"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Mở, kết thúc lấy ý kiến" in body and "Nhắc hạn và báo quá hạn" in body
    for i in range(5):
        make_published(commune, staff, title=f"Dự thảo số {i}")
    with CaptureQueriesContext(connection) as six:
        assert client.get(url, {"ngay": "60"}).status_code == 200
    assert len(six) == len(one)


def test_run_sweeps_command_moves_time_for_a_demonstration(commune, village, staff, capsys):
    c = make_published(commune, staff)
    call_command("run_sweeps", now="2024-03-21T00:30")
    assert Consultation.objects.get(pk=c.pk).status == Consultation.Status.CLOSED
    assert "consultations.sweep_windows: {'opened': 0, 'closed': 1}" in capsys.readouterr().out
