"""The dialogue and petition workflows declared once (dialogues/workflow.py) drive the services' refusals, the
page's POST dispatch and its "Điều kiện chưa đáp ứng" list; every transition is audited with who and when."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dialogues import services
from dialogues.models import Dialogue, Petition
from dialogues.workflow import DIALOGUE, PETITION
from portal.audit import audit_for
from tests.dialogues.factories import MEETING_DAY, make_dialogue, record, ubnd
from tests.portal.factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(commune, village, staff, leader):
    ubnd(commune)
    return make_dialogue(commune=commune, by=staff, villages=[village], host=leader)


def test_workflows_name_only_real_states():
    assert {a.name for a in DIALOGUE.actions} >= {"thong-bao", "da-to-chuc", "ra-soat", "ket-thuc", "huy"}
    assert {a.name for a in PETITION.actions} >= {"giao", "tra-loi", "chuyen", "danh-gia"}


def test_wrong_state_is_refused_in_vietnamese_and_changes_nothing(dialogue, staff):
    with pytest.raises(ValidationError) as err:
        services.dialogue_close(dialogue=dialogue, by=staff, now=at(MEETING_DAY))
    assert (
        "Không thể kết thúc hội nghị khi hội nghị đang ở trạng thái “Đang chuẩn bị”" in err.value.messages[0]
    )
    dialogue.refresh_from_db()
    assert dialogue.status == Dialogue.Status.DRAFT
    assert not audit_for(dialogue).filter(action="dialogue.closed").exists()


def test_notice_is_audited_with_who_and_when(dialogue, staff):
    now = at(MEETING_DAY - dt.timedelta(days=10), 10)
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=now)
    event = audit_for(dialogue).get(action="dialogue.noticed")
    assert event.actor == staff and event.at == now
    assert event.changes["status"] == ["draft", "noticed"]


def test_cancel_needs_a_reason(dialogue, staff):
    with pytest.raises(ValidationError, match="Phải ghi lý do hủy"):
        services.dialogue_cancel(dialogue=dialogue, by=staff, reason="  ", now=at(MEETING_DAY))


def test_review_lists_unassigned_petitions_as_unmet_on_the_page(client, commune, village, staff, dialogue):
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(MEETING_DAY - dt.timedelta(days=10)))
    dialogue.refresh_from_db()
    petition = record(commune=commune, by=staff, village=village, dialogue=dialogue)
    services.dialogue_mark_held(dialogue=dialogue, by=staff, now=at(MEETING_DAY, 12))
    dialogue.refresh_from_db()
    reasons = [str(r) for r in DIALOGUE.problems(dialogue)]
    assert any(petition.tracking_code in r for r in reasons)
    client.force_login(staff)
    page = client.get(dialogue.get_absolute_url()).content.decode()
    assert "Điều kiện chưa đáp ứng" in page and petition.tracking_code in page


def test_unknown_action_is_404_and_a_refusal_is_flashed(client, staff, dialogue):
    client.force_login(staff)
    assert client.post(f"/doi-thoai/{dialogue.pk}/thao-tac/khong-co/").status_code == 404
    response = client.post(f"/doi-thoai/{dialogue.pk}/thao-tac/ket-thuc/", follow=True)
    assert "Không thể kết thúc hội nghị" in response.content.decode()


def test_petition_feedback_before_an_answer_is_refused(commune, village, staff, dialogue):
    petition = record(commune=commune, by=staff, village=village)
    with pytest.raises(ValidationError, match="Không thể đánh giá câu trả lời khi kiến nghị"):
        services.petition_feedback(petition=petition, satisfied=True, now=at(MEETING_DAY))


def test_a_duplicate_is_not_forwarded_on_its_own(commune, village, staff, dialogue):
    main = record(commune=commune, by=staff, village=village)
    dup = record(commune=commune, by=staff, village=village, text="Đường trục thôn hỏng")
    services.petition_mark_duplicate(petition=dup, of=main, by=staff, now=at(MEETING_DAY))
    dup.refresh_from_db()
    with pytest.raises(ValidationError, match="kiến nghị chính của nhóm"):
        services.petition_forward(
            petition=dup, by=staff, to="Sở Xây dựng", follow_up_on=MEETING_DAY, now=at(MEETING_DAY)
        )
    assert Petition.objects.get(pk=dup.pk).status != Petition.Status.FORWARDED
