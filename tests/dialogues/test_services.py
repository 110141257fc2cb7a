import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dialogues import services
from dialogues.models import Answer, Channel, Dialogue, Petition
from dialogues.services import Outcome
from portal import statutes
from portal.audit import audit_for
from portal.deadlines import deadline_sweep
from portal.models import Deadline, Notification
from tests.dialogues.factories import MEETING_DAY, make_dialogue, noticed_dialogue, record, ubnd
from tests.portal.factories import at

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(commune, village, staff, leader):
    ubnd(commune)
    return make_dialogue(commune=commune, by=staff, villages=[village], host=leader)


def _deadlines(obj, code=None):
    from django.contrib.contenttypes.models import ContentType

    qs = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return qs.filter(rule_code=code) if code else qs


# --- Statutes -------------------------------------------------------------------------------------------------------


def test_dialogue_rules_are_registered_with_sources():
    assert statutes.get("dialogue.notice_before").days == 7
    assert "72/2025" in statutes.get("dialogue.notice_before").legal_source
    assert statutes.get("dialogue.result_publicize").days == 10
    assert statutes.get("dialogue.review").days == 5
    assert statutes.get("dialogue.petition_answer").count is statutes.Count.WORKING
    assert statutes.get("citizen.reply").days == 10
    assert "Điều 32" in statutes.get("dialogue.yearly").legal_source


def test_province_override_changes_the_rule_only_in_that_province(settings, commune, other_commune):
    province = commune.parent
    settings.PORTAL_PROVINCE_RULES = {
        province.code: {"dialogue.review": {"days": 7, "legal_source": "QĐ 99/QĐ-UBND"}}
    }
    assert statutes.rule_for("dialogue.review", commune).days == 7
    assert statutes.rule_for("dialogue.review", commune).legal_source == "QĐ 99/QĐ-UBND"
    assert statutes.rule_for("dialogue.petition_answer", commune).days == 15
    settings.PORTAL_PROVINCE_RULES = {"nowhere": {"dialogue.review": {"days": 9}}}
    assert statutes.rule_for("dialogue.review", commune).days == 5


# --- Plan and notice ------------------------------------------------------------------------------------------------


def test_plan_opens_the_notice_deadline_and_audits(dialogue):
    deadline = _deadlines(dialogue, "dialogue.notice_before").get()
    assert (MEETING_DAY - deadline.due_date).days >= 7
    assert audit_for(dialogue).filter(action="dialogue.create").exists()


def test_notice_six_days_ahead_is_refused_naming_the_rule(dialogue, staff):
    with pytest.raises(ValidationError) as err:
        services.dialogue_publish_notice(
            dialogue=dialogue, by=staff, now=at(MEETING_DAY - dt.timedelta(days=6))
        )
    message = " ".join(err.value.messages)
    assert "ít nhất 7 ngày" in message and "72/2025" in message
    dialogue.refresh_from_db()
    assert dialogue.status == Dialogue.Status.DRAFT and dialogue.notice_published_on is None


def test_notice_seven_days_ahead_is_accepted_and_meets_the_deadline(dialogue, staff, village_head, mttq):
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(MEETING_DAY - dt.timedelta(days=7)))
    dialogue.refresh_from_db()
    assert dialogue.status == Dialogue.Status.NOTICED
    assert _deadlines(dialogue, "dialogue.notice_before").get().status == Deadline.Status.MET
    assert Notification.objects.filter(recipient=village_head, key=f"dialogue:{dialogue.pk}:noticed").exists()
    assert Notification.objects.filter(recipient=mttq).exists()


def test_province_rule_of_ten_days_refuses_seven(settings, dialogue, staff, commune):
    settings.PORTAL_PROVINCE_RULES = {commune.parent.code: {"dialogue.notice_before": {"days": 10}}}
    with pytest.raises(ValidationError, match="ít nhất 10 ngày"):
        services.dialogue_publish_notice(
            dialogue=dialogue, by=staff, now=at(MEETING_DAY - dt.timedelta(days=7))
        )


def test_only_office_plans(commune, village, mttq, village_head, other_staff):
    for user in (mttq, village_head, other_staff):
        with pytest.raises(PermissionDenied):
            make_dialogue(commune=commune, by=user, villages=[village])


def test_village_dialogue_needs_a_village_of_the_commune(commune, staff, other_commune):
    from tests.factories import VillageFactory

    foreign = VillageFactory(parent=other_commune)
    with pytest.raises(ValidationError, match="Thôn không thuộc xã"):
        make_dialogue(commune=commune, by=staff, villages=[foreign])
    with pytest.raises(ValidationError, match="ít nhất một thôn"):
        make_dialogue(commune=commune, by=staff, villages=[])


def test_time_cannot_move_after_notice(dialogue, staff):
    dialogue = services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(D(2026, 3, 1)))
    with pytest.raises(ValidationError, match="không thể đổi thời gian"):
        services.dialogue_update(
            dialogue=dialogue, by=staff, starts_at=at(D(2026, 3, 25)), now=at(D(2026, 3, 2))
        )


# --- Petitions ------------------------------------------------------------------------------------------------------


def test_village_head_records_for_own_village_only(commune, village, other_village, village_head, dialogue):
    p = record(commune=commune, by=village_head, village=village, channel=Channel.PHONE, dialogue=dialogue)
    assert p.tracking_code.startswith("KN-") and p.village == village and p.recorded_by == village_head
    with pytest.raises(PermissionDenied, match="thôn mình"):
        record(commune=commune, by=village_head, village=other_village, channel=Channel.PHONE)
    with pytest.raises(PermissionDenied):
        record(commune=commune, by=village_head, village=None, channel=Channel.PHONE)


def test_reception_petition_must_be_signed_and_gets_the_ten_working_day_deadline(commune, village, staff):
    with pytest.raises(ValidationError, match="ký hoặc điểm chỉ"):
        record(commune=commune, by=staff, village=village, channel=Channel.RECEPTION)
    p = record(
        commune=commune,
        by=staff,
        village=village,
        channel=Channel.RECEPTION,
        oral_confirmed=True,
        on=D(2026, 2, 11),
    )
    deadline = _deadlines(p, "citizen.reply").get()
    # 10 working days after Wed 11/02/2026 across Tết (16–20/02 off): Wed 04/03/2026.
    assert deadline.due_date == D(2026, 3, 4)
    p.refresh_from_db()
    assert p.due_on == D(2026, 3, 4)


def test_online_petition_gets_a_code_and_no_deadline_before_the_meeting(commune, village, staff, dialogue):
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(D(2026, 3, 5)))
    dialogue.refresh_from_db()
    p = services.petition_submit_online(
        commune=commune,
        text="  Xin lắp đèn\x00 đường ngõ 3  ",
        village=village,
        dialogue=dialogue,
        petitioner_name="Nguyễn Văn Dân",
        now=at(D(2026, 3, 6)),
    )
    assert p.text == "Xin lắp đèn đường ngõ 3"
    assert services.petition_by_code(p.tracking_code.lower().replace("-", " ")) == p
    assert not _deadlines(p).exists()


def test_empty_or_oversized_text_changes_nothing(commune, village, staff):
    with pytest.raises(ValidationError):
        record(commune=commune, by=staff, village=village, text="   ")
    with pytest.raises(ValidationError):
        record(commune=commune, by=staff, village=village, text="x" * 5001)
    assert not Petition.objects.exists()


def test_classify_and_assign_with_a_date_no_later_than_the_rule(commune, village, staff, leader, dialogue):
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(D(2026, 3, 5)))
    p = record(commune=commune, by=staff, village=village, dialogue=dialogue)
    services.petition_classify(
        petition=p, by=staff, field="land", competence="commune", now=at(D(2026, 3, 10))
    )
    with pytest.raises(ValidationError, match="không được sau ngày"):
        services.petition_assign(
            petition=p, by=staff, assignee=staff, due_on=D(2026, 6, 1), now=at(D(2026, 3, 10))
        )
    p = services.petition_assign(
        petition=p, by=staff, assignee=staff, due_on=D(2026, 3, 30), now=at(D(2026, 3, 10))
    )
    assert p.status == Petition.Status.ASSIGNED and p.field == "land" and p.due_on == D(2026, 3, 30)
    assert audit_for(p).filter(action="petition.assigned").exists()


def test_assignee_must_be_commune_office(commune, village, staff, mttq, other_staff):
    p = record(commune=commune, by=staff, village=village)
    for user in (mttq, other_staff):
        with pytest.raises(ValidationError, match="cán bộ, công chức"):
            services.petition_assign(petition=p, by=staff, assignee=user)


def test_split_and_duplicate_never_delete(commune, village, staff):
    p = record(commune=commune, by=staff, village=village, text="Khiếu nại và kiến nghị")
    parts = services.petition_split(
        petition=p, by=staff, parts=[("complaint", "Khiếu nại việc thu phí"), ("recommendation", "Sửa cống")]
    )
    p.refresh_from_db()
    assert p.status == Petition.Status.CLOSED and {x.split_from_id for x in parts} == {p.pk}
    dup = record(commune=commune, by=staff, village=village, text="Sửa cống thoát nước")
    services.petition_mark_duplicate(petition=dup, of=parts[1], by=staff)
    assert Petition.objects.count() == 4
    from dialogues.selectors import counted

    assert set(counted(Petition.objects.all())) == set(parts)


# --- The meeting and after ------------------------------------------------------------------------------------------


def _meeting(commune, village, staff, leader, dialogue):
    services.dialogue_publish_notice(dialogue=dialogue, by=staff, now=at(D(2026, 3, 5)))
    dialogue.refresh_from_db()
    now = at(MEETING_DAY, 9)
    answered = services.meeting_raise(
        dialogue=dialogue,
        by=staff,
        text="Trợ cấp người cao tuổi",
        outcome=Outcome.ANSWERED,
        answer_text="Đã giải thích chế độ",
        village=village,
        now=now,
    )
    assigned = services.meeting_raise(
        dialogue=dialogue,
        by=staff,
        text="Cấp đổi sổ đỏ",
        outcome=Outcome.ASSIGNED,
        assignee=staff,
        village=village,
        now=now,
    )
    forwarded = services.meeting_raise(
        dialogue=dialogue,
        by=staff,
        text="Nâng cấp đường tỉnh",
        outcome=Outcome.FORWARDED,
        forward_to="Sở Xây dựng tỉnh",
        follow_up_on=D(2026, 4, 20),
        village=village,
        now=now,
    )
    return answered, assigned, forwarded


def test_console_outcomes(commune, village, staff, leader, dialogue):
    answered, assigned, forwarded = _meeting(commune, village, staff, leader, dialogue)
    assert answered.status == Petition.Status.ANSWERED and answered.answer_how == Answer.How.AT_MEETING
    assert answered.channel == Channel.MEETING and answered.raised_at_meeting
    assert assigned.status == Petition.Status.ASSIGNED and assigned.assignee == staff
    assert forwarded.status == Petition.Status.FORWARDED
    assert _deadlines(forwarded, "assigned").get().due_date == D(2026, 4, 20)


def test_held_opens_review_result_and_answer_deadlines(commune, village, staff, leader, dialogue):
    _, assigned, _ = _meeting(commune, village, staff, leader, dialogue)
    services.dialogue_mark_held(dialogue=dialogue, by=staff, now=at(MEETING_DAY, 12))
    assert _deadlines(dialogue, "dialogue.review").get().due_date == D(2026, 3, 24)
    assert _deadlines(dialogue, "dialogue.result_publicize").get().due_date == D(2026, 3, 30)
    # 15 working days after Thu 19/03/2026.
    assert _deadlines(assigned, "dialogue.petition_answer").get().due_date == D(2026, 4, 9)


def test_answer_deadline_is_right_across_tet(commune, village, staff, leader):
    ubnd(commune)
    d = noticed_dialogue(commune=commune, by=staff, villages=[village], day=D(2026, 2, 12))
    p = record(commune=commune, by=staff, village=village, dialogue=d, on=D(2026, 2, 2))
    services.dialogue_mark_held(dialogue=d, by=staff, now=at(D(2026, 2, 12), 12))
    # 15 working days after Thu 12/02/2026, Tết 16–20/02 off: Thu 12/03/2026.
    assert _deadlines(p, "dialogue.petition_answer").get().due_date == D(2026, 3, 12)
    # The 5-day review ends on 17/02, a Tết day, so it moves to the next working day.
    assert _deadlines(d, "dialogue.review").get().due_date == D(2026, 2, 23)


def test_sweep_escalates_an_overdue_petition_to_chairman_and_mttq_exactly_once(
    commune, village, staff, leader, mttq, dialogue
):
    _, assigned, _ = _meeting(commune, village, staff, leader, dialogue)
    services.dialogue_mark_held(dialogue=dialogue, by=staff, now=at(MEETING_DAY, 12))
    late = at(D(2026, 4, 10), 7)
    first = deadline_sweep(now=late)
    second = deadline_sweep(now=at(D(2026, 4, 13), 7))
    deadline = _deadlines(assigned, "dialogue.petition_answer").get()
    assert deadline.status == Deadline.Status.MISSED
    key = f"deadline:{deadline.pk}:escalated"
    assert Notification.objects.filter(key=key, recipient=leader).count() == 1
    assert Notification.objects.filter(key=key, recipient=mttq).count() == 1
    assert first.escalated >= 1 and second.escalated == 0


def test_review_refused_while_a_petition_has_nobody(commune, village, staff, leader, dialogue):
    _meeting(commune, village, staff, leader, dialogue)
    loose = record(commune=commune, by=staff, village=village, dialogue=dialogue, on=MEETING_DAY)
    services.dialogue_mark_held(dialogue=dialogue, by=staff, now=at(MEETING_DAY, 12))
    with pytest.raises(PermissionDenied):
        services.dialogue_review(dialogue=dialogue, by=staff, now=at(D(2026, 3, 20)))
    with pytest.raises(ValidationError, match=loose.tracking_code):
        services.dialogue_review(dialogue=dialogue, by=leader, now=at(D(2026, 3, 20)))
    services.petition_assign(petition=loose, by=staff, assignee=staff, now=at(D(2026, 3, 20)))
    services.dialogue_review(dialogue=dialogue, by=leader, now=at(D(2026, 3, 20)))
    assert _deadlines(dialogue, "dialogue.review").get().status == Deadline.Status.MET


def test_written_answer_needs_proof_then_not_satisfied_reopens(commune, village, staff, leader, dialogue):
    _, assigned, _ = _meeting(commune, village, staff, leader, dialogue)
    services.dialogue_mark_held(dialogue=dialogue, by=staff, now=at(MEETING_DAY, 12))
    with pytest.raises(ValidationError, match="minh chứng"):
        services.petition_answer(
            petition=assigned, by=staff, how="in_writing", text="Đã rà soát", now=at(D(2026, 4, 1))
        )
    services.petition_answer(
        petition=assigned,
        by=staff,
        how="in_writing",
        text="Đã rà soát hồ sơ",
        proof_note="Công văn 12/UBND-VP",
        now=at(D(2026, 4, 1)),
    )
    assigned.refresh_from_db()
    assert assigned.status == Petition.Status.ANSWERED and assigned.answered_on_time is True
    assert _deadlines(assigned, "dialogue.petition_answer").get().status == Deadline.Status.MET
    with pytest.raises(ValidationError, match="lý do"):
        services.petition_feedback(petition=assigned, satisfied=False, reason="", now=at(D(2026, 4, 2)))
    services.petition_feedback(
        petition=assigned, satisfied=False, reason="Chưa hẹn ngày cấp", now=at(D(2026, 4, 2))
    )
    assigned.refresh_from_db()
    assert assigned.status == Petition.Status.REOPENED and assigned.reopen_reason == "Chưa hẹn ngày cấp"
    assert _deadlines(assigned, "dialogue.petition_answer").filter(status=Deadline.Status.OPEN).count() == 1
    assert Notification.objects.filter(recipient=leader, title__contains="chưa hài lòng").exists()


def test_close_refused_while_untracked_then_allowed(commune, village, staff, leader, dialogue):
    from portal.documents.services import document_issue

    answered, assigned, forwarded = _meeting(commune, village, staff, leader, dialogue)
    services.dialogue_mark_held(dialogue=dialogue, by=staff, now=at(MEETING_DAY, 12))
    services.dialogue_review(dialogue=dialogue, by=leader, now=at(D(2026, 3, 20)))
    dialogue.refresh_from_db()
    with pytest.raises(ValidationError, match=assigned.tracking_code):
        services.dialogue_close(dialogue=dialogue, by=staff, now=at(D(2026, 3, 25)))
    services.petition_answer(
        petition=assigned,
        by=staff,
        how="in_person",
        text="Đã làm việc",
        proof_note="Biên bản",
        now=at(D(2026, 3, 24)),
    )
    dialogue = services.dialogue_conclusion_document(dialogue=dialogue, by=staff, now=at(D(2026, 3, 20)))
    with pytest.raises(ValidationError, match="ký ban hành"):
        services.dialogue_record_result_publicized(dialogue=dialogue, by=staff, now=at(D(2026, 3, 21)))
    document_issue(document=dialogue.conclusion_document, by=leader, now=at(D(2026, 3, 21)))
    dialogue.refresh_from_db()
    services.dialogue_record_result_publicized(dialogue=dialogue, by=staff, now=at(D(2026, 3, 22)))
    services.dialogue_close(dialogue=dialogue, by=staff, now=at(D(2026, 3, 25)))
    dialogue.refresh_from_db()
    assert dialogue.status == Dialogue.Status.CLOSED
    assert _deadlines(dialogue, "dialogue.result_publicize").get().status == Deadline.Status.MET


def test_conclusion_document_lists_outcomes(commune, village, staff, leader, dialogue):
    from portal.documents.rendering import render_html

    answered, assigned, forwarded = _meeting(commune, village, staff, leader, dialogue)
    services.dialogue_mark_held(dialogue=dialogue, by=staff, now=at(MEETING_DAY, 12))
    dialogue = services.dialogue_conclusion_document(dialogue=dialogue, by=staff, now=at(D(2026, 3, 20)))
    html = render_html(dialogue.conclusion_document)
    assert "THÔNG BÁO" in html
    for p in (answered, assigned, forwarded):
        assert p.tracking_code in html
    assert "Sở Xây dựng tỉnh" in html
    dialogue = services.dialogue_minutes_document(dialogue=dialogue, by=staff, now=at(D(2026, 3, 20)))
    assert "BIÊN BẢN" in render_html(dialogue.minutes_document)


# --- The Front ------------------------------------------------------------------------------------------------------


def test_survey_online_and_paper_and_results(commune, village, staff, leader, mttq, dialogue):
    from dialogues.selectors import survey_results

    _meeting(commune, village, staff, leader, dialogue)
    services.dialogue_mark_held(dialogue=dialogue, by=staff, now=at(MEETING_DAY, 12))
    with pytest.raises(PermissionDenied):
        services.survey_open(dialogue=dialogue, by=staff)
    survey = services.survey_open(dialogue=dialogue, by=mttq)
    assert len(survey.scale) == 4 and survey.scale[0] == "Rất hài lòng"
    services.survey_submit_online(survey=survey, answers=[0, 0, 1, 1])
    services.survey_enter_paper(survey=survey, by=mttq, answers=[1, 2, 2, 3])
    with pytest.raises(ValidationError):
        services.survey_enter_paper(survey=survey, by=mttq, answers=[9, 0, 0, 0])
    with pytest.raises(ValidationError):
        services.survey_enter_paper(survey=survey, by=mttq, answers=[0])
    results = survey_results(survey)
    assert results["total"] == 2 and results["online"] == 1 and results["paper"] == 1
    assert [r["count"] for r in results["questions"][3]["rows"]] == [0, 1, 0, 1]
    note = services.supervision_note_add(dialogue=dialogue, by=mttq, text="Đề nghị trả lời đúng hạn")
    assert note.author == mttq


def test_stats(commune, village, staff, leader, dialogue):
    from dialogues.selectors import petition_stats

    _meeting(commune, village, staff, leader, dialogue)
    stats = petition_stats(Petition.objects.filter(dialogue=dialogue))
    assert stats["total"] == 3 and stats["at_meeting"] == 1 and stats["forwarded"] == 1
    assert stats["at_meeting_pct"] == 33
    assert {r["label"]: r["count"] for r in stats["by_channel"]} == {"Phát biểu tại hội nghị": 3}


def test_proof_upload_is_checked_by_its_bytes(commune, village, staff, dialogue):
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = record(commune=commune, by=staff, village=village)
    fake = SimpleUploadedFile(
        "bien-ban.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError):
        services.petition_answer(petition=p, by=staff, how="in_writing", text="Đã trả lời", proof=fake)
    p.refresh_from_db()
    assert p.status == Petition.Status.RECEIVED and not p.answers.exists()
    pdf = SimpleUploadedFile(
        "bien-ban.pdf",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        content_type="application/pdf",
    )
    answer = services.petition_answer(petition=p, by=staff, how="in_writing", text="Đã trả lời", proof=pdf)
    assert answer.proof.name.endswith(".pdf")
