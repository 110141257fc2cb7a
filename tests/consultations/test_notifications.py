"""Who is told what, after the commit: staff when MTTQ sends its summary, leaders when results wait for adoption."""

import pytest

from portal.models import Notification
from tests.consultations.factories import make_published
from tests.consultations.test_services import _run_to_results

pytestmark = pytest.mark.django_db


def _inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", "topic", "url"))


def test_summary_and_results_notify_the_office_and_the_leaders_once_committed(
    commune, village, staff, leader, mttq, django_capture_on_commit_callbacks
):
    c = make_published(commune, staff)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        c = _run_to_results(c, staff, mttq, village)
    # Nothing in the inbox before the transaction commits (a rollback would have told nobody).
    assert not Notification.objects.filter(key__contains=":summary:").exists()
    for callback in pending:
        callback()

    staff_inbox = _inbox(staff)
    summary_note = [n for n in staff_inbox if "đã gửi báo cáo tổng hợp ý kiến" in n[0]]
    assert summary_note == [
        (
            f"MTTQ đã gửi báo cáo tổng hợp ý kiến: {c.title}",
            "consultation",
            f"/lay-y-kien/{c.pk}/giam-sat/",
        )
    ]
    leader_titles = [t for t, topic, _ in _inbox(leader) if topic == "consultation"]
    assert f"Chờ ghi nhận văn bản được ban hành: {c.title}" in leader_titles
    # The MTTQ itself is not told about its own summary.
    assert not [n for n in _inbox(mttq) if "báo cáo tổng hợp" in n[0]]
