"""A prepared answer on a petition (written by the official assigned before the meeting) and the chair's briefing
pack: a PDF of the dialogue's petitions grouped by field with those answers, read back as text."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from dialogues import services
from dialogues.models import Petition
from portal.audit import audit_for
from tests.dialogues.factories import MEETING_DAY, noticed_dialogue, record, ubnd
from tests.portal.factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(commune, village, staff, leader):
    ubnd(commune)
    return noticed_dialogue(commune=commune, by=staff, villages=[village], host=leader)


def _pdf_text(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_prepared_answer_is_saved_audited_and_limited(commune, village, staff, mttq, dialogue):
    petition = record(commune=commune, by=mttq, village=village, dialogue=dialogue, field="land")
    services.petition_prepare_answer(
        petition=petition, by=staff, text="Địa chính đã rà soát 5 hồ sơ.", now=at(MEETING_DAY)
    )
    petition.refresh_from_db()
    assert petition.prepared_answer == "Địa chính đã rà soát 5 hồ sơ." and petition.prepared_by == staff
    assert audit_for(petition).filter(action="petition.prepared", actor=staff).exists()
    with pytest.raises(ValidationError, match="dài quá 5000"):
        services.petition_prepare_answer(petition=petition, by=staff, text="x" * 5001, now=at(MEETING_DAY))
    with pytest.raises(PermissionDenied):
        services.petition_prepare_answer(petition=petition, by=mttq, text="MTTQ viết", now=at(MEETING_DAY))
    assert Petition.objects.get(pk=petition.pk).prepared_answer == "Địa chính đã rà soát 5 hồ sơ."


def test_prepared_answer_refused_once_answered(commune, village, staff, mttq, dialogue):
    petition = record(commune=commune, by=mttq, village=village, dialogue=dialogue)
    services.petition_answer(
        petition=petition,
        by=staff,
        how="in_person",
        text="Đã trả lời",
        proof_note="Biên bản",
        now=at(MEETING_DAY),
    )
    with pytest.raises(ValidationError, match="Không thể chuẩn bị nội dung trả lời"):
        services.petition_prepare_answer(petition=petition, by=staff, text="muộn", now=at(MEETING_DAY))


def test_briefing_pack_pdf_groups_by_field_with_prepared_answers(
    client, commune, village, staff, leader, mttq, village_head, dialogue
):
    land = record(
        commune=commune, by=mttq, village=village, dialogue=dialogue, field="land", text="Cấp đổi sổ đỏ"
    )
    env = record(
        commune=commune,
        by=mttq,
        village=village,
        dialogue=dialogue,
        field="environment",
        text="Rác thải ven kênh",
    )
    record(commune=commune, by=mttq, village=village, dialogue=dialogue, text="Chưa phân loại gì")
    services.petition_prepare_answer(
        petition=land, by=staff, text="Hẹn cấp trong tháng 4.", now=at(MEETING_DAY)
    )
    client.force_login(leader)
    response = client.get(f"/doi-thoai/{dialogue.pk}/tai-lieu-chu-tri.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response)
    assert "Tổng số kiến nghị: 3" in text and "đã có nội dung trả lời chuẩn bị: 1" in text
    land_at, env_at, other_at = (
        text.index("Lĩnh vực Đất đai"),
        text.index("Lĩnh vực Môi trường"),
        text.index("Lĩnh vực Chưa phân loại"),
    )
    assert land_at < text.index("Cấp đổi sổ đỏ") < text.index("Hẹn cấp trong tháng 4.") < env_at < other_at
    assert env.tracking_code in text and "Chưa chuẩn bị" in text
    client.force_login(village_head)
    assert client.get(f"/doi-thoai/{dialogue.pk}/tai-lieu-chu-tri.pdf").status_code in (403, 404)


def test_briefing_pack_query_count_does_not_grow(
    client, commune, village, staff, mttq, dialogue, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    record(commune=commune, by=mttq, village=village, dialogue=dialogue, field="land")
    client.force_login(staff)
    url = f"/doi-thoai/{dialogue.pk}/tai-lieu-chu-tri.pdf"
    client.get(url)  # the steady state (portal/principal.py)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(15):
        record(
            commune=commune,
            by=mttq,
            village=village,
            dialogue=dialogue,
            field="policy",
            text=f"Kiến nghị {i}",
        )
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
