"""The audit trail is append-only; notifications go out once per key, and email only after the commit."""

import datetime as dt

import pytest
from django.db import transaction

from portal.audit import audit_for, audit_record, diff
from portal.models import AuditEvent, Notification
from portal.notifications import notification_mark_read, notify
from tests.factories import UserFactory
from tests.portal.factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(commune, staff):
    return audit_record(
        actor=staff,
        action="unit.change",
        obj=commune,
        changes={"households": [1000, 1012]},
        note="Cập nhật số hộ",
        now=at(dt.date(2026, 3, 2)),
    )


def test_audit_record_stores_who_what_when(event, commune, staff):
    event.refresh_from_db()
    assert (event.actor, event.action, event.at, event.commune_id) == (
        staff,
        "unit.change",
        at(dt.date(2026, 3, 2)),
        commune.pk,
    )
    assert event.changes == {"households": [1000, 1012]}
    assert event.object_repr == str(commune)
    assert list(audit_for(commune)) == [event]


def test_audit_changes_are_stored_as_json(commune, staff):
    e = audit_record(actor=staff, action="x", obj=commune, changes={"on": dt.date(2026, 1, 2), "who": staff})
    e.refresh_from_db()
    assert e.changes == {"on": "2026-01-02", "who": str(staff)}
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


def test_an_anonymous_actor_is_recorded_as_the_system(commune):
    from django.contrib.auth.models import AnonymousUser

    assert audit_record(actor=AnonymousUser(), action="x", obj=commune).actor is None


def test_audit_event_cannot_be_updated(event):
    event.note = "sửa lại"
    with pytest.raises(PermissionError, match="không được sửa"):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(note="sửa lại")
    with pytest.raises(PermissionError), transaction.atomic():  # bulk_update breaks the enclosing transaction
        AuditEvent.objects.bulk_update([event], ["note"])
    assert AuditEvent.objects.get(pk=event.pk).note == "Cập nhật số hộ"


def test_audit_event_cannot_be_deleted(event):
    with pytest.raises(PermissionError, match="không được xóa"):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_event_survives_the_deletion_of_its_actor(event, staff):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        staff.delete()


# --- Notifications ------------------------------------------------------------------------------------------------


def test_notify_with_a_key_is_once_per_recipient(staff, leader):
    first = notify(recipients=[staff], title="Sắp đến hạn", key="k1", email=False)
    again = notify(recipients=[staff, leader], title="Sắp đến hạn", key="k1", email=False)
    assert len(first) == 1 and [n.recipient for n in again] == [leader]
    assert Notification.objects.filter(key="k1").count() == 2
    # Without a key every call notifies; duplicates in one call are collapsed; inactive users are skipped.
    leader.is_active = False
    leader.save()
    notify(recipients=[staff, staff, leader], title="Tin", email=False)
    notify(recipients=[staff], title="Tin", email=False)
    assert Notification.objects.filter(key=None, recipient=staff).count() == 2
    assert not Notification.objects.filter(key=None, recipient=leader).exists()


def test_email_goes_out_only_after_commit(staff, mailoutbox, django_capture_on_commit_callbacks):
    no_email = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(
            recipients=[staff, no_email],
            title="Hôm nay là hạn: Công khai kế hoạch",
            body="Hạn chót 04/03/2026.",
            url="/thoi-han/",
            key="deadline:1:due",
        )
        assert mailoutbox == []  # nothing before the transaction commits
    assert callbacks  # the email (and the recipients' cached unread counts) wait for the commit
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [staff.email]
    assert mail.subject == "[Cổng dân chủ cơ sở] Hôm nay là hạn: Công khai kế hoạch"
    assert "Hạn chót 04/03/2026." in mail.body and "/thoi-han/" in mail.body
    assert Notification.objects.get(recipient=staff).emailed_at is not None
    assert Notification.objects.get(recipient=no_email).emailed_at is None


def test_no_email_when_the_transaction_rolls_back(staff, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[staff], title="Thông báo", key="rollback")
        raise RuntimeError
    assert mailoutbox == []
    assert not Notification.objects.filter(key="rollback").exists()


def test_a_repeated_key_sends_no_second_email(staff, mailoutbox, django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[staff], title="Quá hạn", key="deadline:9:escalated")
    assert len(mailoutbox) == 1


def test_mark_read(staff, leader):
    notify(recipients=[staff, leader], title="A", email=False)
    notify(recipients=[staff], title="B", email=False)
    assert notification_mark_read(user=staff) == 2
    assert Notification.objects.filter(recipient=leader, read_at__isnull=True).count() == 1
