"""A dialogue's notice and conclusion are publicized through the core publicity: postings, deadlines, village heads'
confirmations, the commune's publicity register and the dialogue's public page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dialogues import services
from dialogues.models import Dialogue
from dialogues.services.publicity import Phase
from portal import statutes
from portal.documents.services import document_issue
from portal.models import AuditEvent, Deadline
from portal.publicity.models import Posting, Publication
from portal.publicity.services import posting_confirm
from tests.dialogues.factories import MEETING_DAY, make_dialogue, ubnd
from tests.portal.factories import at

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(commune, village, staff, leader):
    ubnd(commune)
    return make_dialogue(commune=commune, by=staff, villages=[village], host=leader)


def _publication(dialogue, phase):
    return Publication.objects.get(object_id=str(dialogue.pk), phase=phase)


def test_notice_is_publicized_with_postings_due_seven_days_before_the_meeting(dialogue, staff, village):
    on = MEETING_DAY - dt.timedelta(days=8)
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(on, 10))
    publication = _publication(dialogue, Phase.NOTICE)
    assert publication.subject == dialogue and publication.starts_on == on and publication.item == 14
    assert publication.within_rule == "dialogue.notice_before"
    kinds = set(publication.postings.values_list("kind", flat=True))
    assert {"office", "portal", "radio", "village_head", "village_house"} <= kinds
    latest = statutes.get("dialogue.notice_before").due(MEETING_DAY)
    assert latest <= MEETING_DAY - dt.timedelta(days=7)
    assert set(publication.postings.values_list("due_on", flat=True)) == {latest}
    head_posting = publication.postings.get(kind="village_head", village=village)
    deadline = Deadline.objects.get(object_id=str(head_posting.pk), rule_code="dialogue.notice_before")
    assert deadline.due_date == latest and deadline.status == Deadline.Status.OPEN


def test_notice_postings_go_to_the_dialogues_villages_only(dialogue, staff, village, commune):
    from tests.factories import VillageFactory

    other = VillageFactory(parent=commune, name="Thôn không đối thoại")
    on = MEETING_DAY - dt.timedelta(days=8)
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(on, 10))
    publication = _publication(dialogue, Phase.NOTICE)
    villages = {(kind, v) for kind, v in publication.postings.values_list("kind", "village")}
    assert villages == {
        ("office", None),
        ("portal", None),
        ("radio", None),
        ("village_house", village.pk),
        ("village_head", village.pk),
    }
    assert not publication.postings.filter(village=other).exists()


def test_a_dialogue_naming_no_village_tells_every_village(commune, village, staff, leader):
    from tests.factories import VillageFactory

    other = VillageFactory(parent=commune, name="Thôn thứ hai")
    ubnd(commune)
    dialogue = make_dialogue(commune=commune, by=staff, villages=[], host=leader, kind="annual")
    services.dialogue_publish_notice(
        dialogue=dialogue, by=staff, now=at(MEETING_DAY - dt.timedelta(days=8), 10)
    )
    heads = _publication(dialogue, Phase.NOTICE).postings.filter(kind="village_head")
    assert set(heads.values_list("village", flat=True)) == {village.pk, other.pk}


def test_refused_notice_publicizes_nothing(dialogue, staff):
    with pytest.raises(ValidationError, match="ít nhất 7 ngày"):
        services.dialogue_publish_notice(
            dialogue=dialogue, by=staff, now=at(MEETING_DAY - dt.timedelta(days=6))
        )
    assert not Publication.objects.filter(object_id=str(dialogue.pk)).exists()


def test_village_head_confirms_the_notice_posting_on_time(dialogue, staff, village, village_head):
    on = MEETING_DAY - dt.timedelta(days=9)
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(on, 10))
    posting = _publication(dialogue, Phase.NOTICE).postings.get(kind="village_house", village=village)
    posting_confirm(posting=posting, by=village_head, posted_on=on, now=at(on, 15))
    posting.refresh_from_db()
    assert posting.posted_on == on and not posting.on_behalf
    assert Deadline.objects.get(object_id=str(posting.pk), rule_code=posting.rule_code).status == "met"


def _held(dialogue, staff):
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(D(2026, 3, 5)))
    dialogue.refresh_from_db()
    services.dialogue_mark_held(dialogue=dialogue, by=staff, now=at(MEETING_DAY, 12))
    dialogue.refresh_from_db()
    return services.dialogue_conclusion_document(dialogue=dialogue, by=staff, now=at(D(2026, 3, 20)))


def test_result_is_publicized_with_the_issued_conclusion_due_ten_days_after(dialogue, staff, leader, village):
    dialogue = _held(dialogue, staff)
    with pytest.raises(ValidationError, match="ký ban hành"):
        services.dialogue_record_result_publicized(dialogue=dialogue, by=staff, now=at(D(2026, 3, 21)))
    assert not Publication.objects.filter(phase=Phase.RESULT).exists()
    document_issue(document=dialogue.conclusion_document, by=leader, now=at(D(2026, 3, 21)))
    dialogue.refresh_from_db()
    services.dialogue_record_result_publicized(dialogue=dialogue, by=staff, now=at(D(2026, 3, 23)))
    publication = _publication(dialogue, Phase.RESULT)
    assert publication.document == dialogue.conclusion_document
    assert publication.decided_on == MEETING_DAY and publication.starts_on == D(2026, 3, 23)
    due = statutes.get("dialogue.result_publicize").due(MEETING_DAY)
    assert set(publication.postings.values_list("due_on", flat=True)) == {due}
    assert publication.postings.filter(kind=Posting.Kind.VILLAGE_HEAD, village=village).exists()
    assert publication.postings.filter(kind=Posting.Kind.OFFICE).exists()
    dialogue.refresh_from_db()
    assert dialogue.result_publicized_on == D(2026, 3, 23)
    with pytest.raises(ValidationError, match="đã được công khai"):
        services.dialogue_record_result_publicized(dialogue=dialogue, by=staff, now=at(D(2026, 3, 24)))


def test_result_cannot_start_before_the_conclusion_was_issued(dialogue, staff, leader):
    dialogue = _held(dialogue, staff)
    document_issue(document=dialogue.conclusion_document, by=leader, now=at(D(2026, 3, 23)))
    dialogue.refresh_from_db()
    with pytest.raises(ValidationError, match="trước ngày ban hành"):
        services.dialogue_record_result_publicized(
            dialogue=dialogue, by=staff, on=D(2026, 3, 22), now=at(D(2026, 3, 24))
        )


def test_publications_on_register_and_public_page(client, dialogue, staff, leader, village):
    dialogue = _held(dialogue, staff)
    document_issue(document=dialogue.conclusion_document, by=leader, now=at(D(2026, 3, 21)))
    dialogue.refresh_from_db()
    services.dialogue_record_result_publicized(dialogue=dialogue, by=staff, now=at(D(2026, 3, 22)))
    notice, result = _publication(dialogue, Phase.NOTICE), _publication(dialogue, Phase.RESULT)
    client.force_login(staff)
    page = client.get("/cong-khai/").content.decode()
    assert notice.title in page and result.title in page
    detail = client.get(dialogue.get_absolute_url()).content.decode()
    assert f"/cong-khai/{result.pk}/" in detail
    client.logout()
    public = client.get(f"/doi-thoai/cong-khai/{dialogue.pk}/").content.decode()
    assert notice.title in public and result.title in public
    assert f"/cong-khai/{result.pk}/van-ban.pdf" in public
    assert client.get(f"/cong-khai/{result.pk}/van-ban.pdf").status_code == 200
    # The commune's public page links each of them to the dialogue's public page.
    assert notice.public_url() == result.public_url() == f"/doi-thoai/cong-khai/{dialogue.pk}/"


def test_cancelling_a_noticed_dialogue_withdraws_its_notice_and_tells_the_village(
    dialogue, staff, village, village_head
):
    from portal.models import Notification

    services.dialogue_publish_notice(
        dialogue=dialogue, by=staff, now=at(MEETING_DAY - dt.timedelta(days=9), 10)
    )
    services.dialogue_cancel(
        dialogue=dialogue, by=staff, reason="Bão số 3", now=at(MEETING_DAY - dt.timedelta(days=5))
    )
    notice = _publication(dialogue, Phase.NOTICE)
    assert notice.status == Publication.Status.WITHDRAWN and "Bão số 3" in notice.withdrawn_reason
    posting = notice.postings.get(kind="village_head", village=village)
    assert not Deadline.objects.filter(object_id=str(posting.pk), status=Deadline.Status.OPEN).exists()
    assert Notification.objects.filter(
        recipient=village_head, key=f"dialogue:{dialogue.pk}:cancelled"
    ).exists()


def test_a_notice_issued_after_it_was_publicized_is_attached_to_its_publication(dialogue, staff, leader):
    on = MEETING_DAY - dt.timedelta(days=8)
    dialogue = services.dialogue_notice_document(dialogue=dialogue, by=staff, now=at(on, 8))
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(on, 10))
    publication = _publication(dialogue, Phase.NOTICE)
    assert publication.document_id is None  # the THÔNG BÁO is still a draft
    issued = document_issue(document=dialogue.notice_document, by=leader, now=at(on, 15))
    publication.refresh_from_db()
    assert publication.document_id == issued.pk
    # Without the dialogue's public page the register links the issued PDF.
    Dialogue.objects.filter(pk=dialogue.pk).update(status=Dialogue.Status.DRAFT)
    publication = Publication.objects.get(pk=publication.pk)
    assert publication.public_url() == reverse("publicity:document_pdf", args=[publication.pk])
    assert AuditEvent.objects.filter(action="publication.document_attached").count() == 1
