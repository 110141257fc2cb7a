"""A commune draft tells the commune's leaders that it waits for their signature, once, after the commit."""

import pytest

from portal.documents.services import document_create_from_spec
from portal.models import Notification
from tests.documents.factories import minimal_spec

pytestmark = pytest.mark.django_db


def test_a_new_draft_tells_the_leaders_once_committed(
    commune, orgs, staff, leader, other_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = document_create_from_spec(
            spec=minimal_spec(title="Kế hoạch thử"), issuer=orgs["UBND"], by=staff, commune=commune
        )
    [note] = Notification.objects.filter(recipient=leader)
    assert note.title.startswith("Văn bản chờ ký: ") and "Kế hoạch thử" in note.title
    assert note.topic == "document" and note.url == f"/van-ban/{draft.pk}/"
    # Nobody else is told: not the author, not another commune.
    assert not Notification.objects.exclude(recipient=leader).exists()


def test_the_leader_writing_a_draft_is_not_told_about_it(
    commune, orgs, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=leader, commune=commune)
    assert not Notification.objects.exists()
