"""Demo dialogues for the demo commune (idempotent by title), modelled on a real commune's plan: a half-day dialogue
between the chairman and one village at its cultural house, petitions gathered beforehand by the Front, the mass
organizations and the village head, answered at the meeting or assigned with a date, one forwarded upward; the
conclusion issued; the Front's survey. Names and facts are invented. Everything goes through the services, with
``now`` set to the day each step happened, relative to today, so the states stay meaningful whenever it runs.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dialogues import services
from dialogues.models import Channel, Dialogue, Petition, Provenance
from dialogues.services import Outcome
from dialogues.services.publicity import Phase
from portal import workdays
from portal.documents.services import document_issue
from portal.publicity.models import Posting
from portal.publicity.services import posting_confirm

HELD_TITLE = "Hội nghị đối thoại giữa Chủ tịch UBND xã với Nhân dân thôn Đồng Tâm"
NOTICED_TITLE = "Hội nghị đối thoại giữa Chủ tịch UBND xã với Nhân dân thôn Trung Đồng"
DRAFT_TITLE = "Hội nghị trao đổi, đối thoại giữa UBND xã với Nhân dân năm {year} (Điều 32)"


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _past(day: dt.date, hour: int = 9) -> dt.datetime:
    """When something happened: :func:`_at`, but never later than now (seeded at 00:30, nothing happened at 09:00)."""
    return min(_at(day, hour), timezone.now())


def _working_before(day: dt.date, n: int) -> dt.date:
    return workdays.add_working_days(day, -n)


@transaction.atomic
def seed(core) -> None:
    commune = core.commune
    users = core.users
    staff, chair, mttq, head = users["canbo"], users["chutich"], users["mttq"], users["truongthon"]
    head2 = users["truongthon2"]
    villages = {v.name: v for v in core.villages}
    today = timezone.localdate()
    if not Dialogue.objects.filter(commune=commune, title=HELD_TITLE).exists():
        _held(commune, staff, chair, mttq, head, villages["Đồng Tâm"], today)
    if not Dialogue.objects.filter(commune=commune, title=NOTICED_TITLE).exists():
        _noticed(commune, staff, chair, mttq, head2, villages["Trung Đồng"], today)
    draft_title = DRAFT_TITLE.format(year=today.year)
    if not Dialogue.objects.filter(commune=commune, title=draft_title).exists():
        services.dialogue_create(
            commune=commune,
            by=staff,
            title=draft_title,
            kind=Dialogue.Kind.ANNUAL,
            starts_at=_at(today + dt.timedelta(days=30), 8),
            place="Hội trường Ủy ban nhân dân xã",
            co_chairs="Đại diện Thường trực HĐND xã; Chủ tịch Ủy ban MTTQ xã",
            participants="Đại diện các hộ gia đình, người có uy tín, đoàn viên, hội viên các đoàn thể",
            topics="Tình hình hoạt động của UBND xã; những vấn đề liên quan đến quyền và nghĩa vụ của công dân.",
            host=chair,
            now=_past(today - dt.timedelta(days=1)),
        )


def _held(commune, staff, chair, mttq, head, village, today):
    """Held about six weeks ago: reviewed, conclusion issued and publicized; one petition now overdue."""
    meeting = _working_before(today, 30)
    d = services.dialogue_create(
        commune=commune,
        by=staff,
        title=HELD_TITLE,
        starts_at=_at(meeting, 8),
        duration_minutes=240,
        place="Nhà văn hóa thôn Đồng Tâm",
        villages=[village],
        host=chair,
        co_chairs="Chủ tịch Ủy ban MTTQ xã",
        participants="Đại diện các hộ gia đình, Ban công tác Mặt trận thôn, đại biểu HĐND xã ứng cử tại thôn",
        topics="Giao thông nông thôn, vệ sinh môi trường, cấp đổi giấy chứng nhận quyền sử dụng đất, chính sách "
        "đối với người cao tuổi.",
        now=_past(meeting - dt.timedelta(days=21)),
    )
    before = meeting - dt.timedelta(days=15)
    gathered = [
        (
            staff,
            Provenance.MTTQ,
            Channel.PAPER,
            "land",
            "Đề nghị xã giải quyết dứt điểm 05 hồ sơ cấp đổi giấy "
            "chứng nhận quyền sử dụng đất tồn đọng từ năm trước.",
            "Nguyễn Văn Khải",
        ),
        (
            head,
            Provenance.VILLAGE_HEAD,
            Channel.PHONE,
            "environment",
            "Bãi tập kết rác cạnh chợ thôn không được thu gom đúng lịch, gây mùi.",
            "Trần Thị Nhung",
        ),
        (
            staff,
            Provenance.ORGANIZATION,
            Channel.ZALO,
            "infrastructure",
            "Đề nghị nâng cấp đoạn tỉnh lộ qua thôn, mặt đường hư hỏng nặng.",
            "Hội Nông dân thôn",
        ),
    ]
    prepared = []
    for by, provenance, channel, field, text, name in gathered:
        p = services.petition_record(
            commune=commune,
            by=by,
            channel=channel,
            provenance=provenance,
            field=field,
            text=text,
            village=village,
            dialogue=d,
            petitioner_name=name,
            now=_past(before),
        )
        prepared.append(p)
    services.dialogue_plan_document(dialogue=d, by=staff, now=_past(meeting - dt.timedelta(days=14)))
    services.dialogue_publish_notice(dialogue=d, by=staff, now=_past(meeting - dt.timedelta(days=10)))
    at_meeting = _past(meeting, 10)
    for name in ("Ông Nguyễn Văn Khải", "Bà Lê Thị Hạnh", "Ông Phạm Văn Sơn"):
        services.speaker_register(dialogue=d, by=staff, name=name, village=village, now=_past(meeting, 8))
    services.attendance_save(
        dialogue=d,
        by=staff,
        rows=[(village, "households", 96), (village, "organizations", 18), (None, "officials", 9)],
        officials_present="Chủ tịch UBND xã, Chủ tịch Ủy ban MTTQ xã, công chức Địa chính, Văn hóa - Xã hội",
        now=at_meeting,
    )
    services.meeting_raise(
        dialogue=d,
        by=staff,
        text="Chế độ trợ cấp cho người cao tuổi từ đủ 75 tuổi được tính từ khi nào?",
        outcome=Outcome.ANSWERED,
        answer_text="Công chức Văn hóa - Xã hội giải thích quy định hiện hành và hướng "
        "dẫn hồ sơ; người dân đồng tình.",
        field="policy",
        village=village,
        petitioner_name="Bà Lê Thị Hạnh",
        now=at_meeting,
    )
    due = workdays.add_working_days(meeting, 10)
    services.meeting_resolve(
        petition=prepared[0], by=staff, outcome=Outcome.ASSIGNED, assignee=staff, due_on=due, now=at_meeting
    )
    services.meeting_resolve(
        petition=prepared[1], by=staff, outcome=Outcome.ASSIGNED, assignee=staff, now=at_meeting
    )
    services.meeting_resolve(
        petition=prepared[2],
        by=staff,
        outcome=Outcome.FORWARDED,
        forward_to="Sở Xây dựng tỉnh",
        follow_up_on=today + dt.timedelta(days=14),
        now=at_meeting,
    )
    d = Dialogue.objects.get(pk=d.pk)
    d.conclusion = (
        "Hội nghị diễn ra dân chủ, cởi mở. Các kiến nghị thuộc thẩm quyền của xã được giao công chức trả lời trong "
        "thời hạn; kiến nghị về tỉnh lộ được chuyển Sở Xây dựng."
    )
    d.save(update_fields=["conclusion"])
    services.dialogue_mark_held(dialogue=d, by=staff, now=_past(meeting, 12))
    services.dialogue_minutes_document(dialogue=d, by=staff, now=_past(meeting, 16))
    services.dialogue_conclusion_document(dialogue=d, by=staff, now=_past(meeting + dt.timedelta(days=1)))
    d.refresh_from_db()
    document_issue(document=d.conclusion_document, by=chair, now=_past(meeting + dt.timedelta(days=2)))
    services.dialogue_review(dialogue=d, by=chair, now=_past(meeting + dt.timedelta(days=3)))
    d.refresh_from_db()
    services.dialogue_record_result_publicized(
        dialogue=d, by=staff, now=_past(meeting + dt.timedelta(days=4))
    )
    # The village head confirms on the phone that the conclusion reached the village and was posted there.
    for posting in Posting.objects.filter(
        publication__object_id=str(d.pk), publication__phase=Phase.RESULT, village=village
    ).order_by("id"):
        posting_confirm(
            posting=posting,
            by=head,
            posted_on=meeting + dt.timedelta(days=5),
            now=_past(meeting + dt.timedelta(days=5)),
        )
    # The environment petition is answered in writing, on time; the petitioner is not satisfied: it reopens.
    services.petition_answer(
        petition=prepared[1],
        by=staff,
        how="in_writing",
        text="UBND xã đã làm việc với đơn vị thu gom; lịch thu gom tăng lên 3 lần/tuần từ tháng này.",
        proof_note="Công văn trả lời số 21/UBND-VP",
        now=_past(workdays.add_working_days(meeting, 8)),
    )
    services.petition_feedback(
        petition=Petition.objects.get(pk=prepared[1].pk),
        satisfied=False,
        reason="Tuần qua vẫn chỉ thu gom 1 lần.",
        now=_past(workdays.add_working_days(meeting, 20)),
    )
    # The land petition (due 10 working days after the meeting) is left unanswered: the demo's overdue petition.
    survey = services.survey_open(dialogue=d, by=mttq, now=_past(meeting + dt.timedelta(days=5)))
    for answers in ([0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 1, 1], [1, 2, 1, 2], [2, 2, 3, 3]):
        services.survey_enter_paper(
            survey=survey, by=mttq, answers=answers, now=_past(meeting + dt.timedelta(days=6))
        )
    services.survey_submit_online(
        survey=survey, answers=[0, 0, 0, 1], now=_past(meeting + dt.timedelta(days=7))
    )
    services.supervision_note_add(
        dialogue=d,
        by=mttq,
        text="Đề nghị Văn phòng - Thống kê đôn đốc trả lời 05 hồ sơ đất đai đúng hạn đã hẹn.",
        now=_past(meeting + dt.timedelta(days=8)),
    )


def _noticed(commune, staff, chair, mttq, head, village, today):
    """Noticed, ten days ahead: petitions coming in online, from the Front on paper and from the village head."""
    meeting = today + dt.timedelta(days=10)
    d = services.dialogue_create(
        commune=commune,
        by=staff,
        title=NOTICED_TITLE,
        starts_at=_at(meeting, 8),
        place="Nhà văn hóa thôn Trung Đồng",
        villages=[village],
        host=chair,
        co_chairs="Chủ tịch Ủy ban MTTQ xã",
        topics="An ninh trật tự, đèn chiếu sáng ngõ xóm, hỗ trợ chuyển đổi cây trồng.",
        now=_past(today - dt.timedelta(days=5)),
    )
    services.dialogue_publish_notice(dialogue=d, by=staff, now=_past(today - dt.timedelta(days=2)))
    d.refresh_from_db()
    services.petition_submit_online(
        commune=commune,
        village=village,
        dialogue=d,
        field="infrastructure",
        text="Ngõ 4 xóm Giữa chưa có đèn chiếu sáng, người dân đi lại buổi tối khó khăn.",
        petitioner_name="Đinh Văn Quý",
        now=_past(today - dt.timedelta(days=1)),
    )
    speeding = services.petition_record(
        commune=commune,
        by=mttq,
        channel=Channel.PAPER,
        provenance=Provenance.MTTQ,
        field="security",
        text="Tình trạng xe máy chạy tốc độ cao qua cổng trường tiểu học giờ tan học.",
        village=village,
        dialogue=d,
        petitioner_name="Ban công tác Mặt trận thôn",
        now=_past(today - dt.timedelta(days=1)),
    )
    services.petition_record(
        commune=commune,
        by=head,
        channel=Channel.PHONE,
        provenance=Provenance.VILLAGE_HEAD,
        field="policy",
        text="Hộ ông Lương Văn Tư đề nghị được hỗ trợ giống khi chuyển từ lúa sang rau màu.",
        village=village,
        dialogue=d,
        petitioner_name="Lương Văn Tư",
        now=_past(today),
    )
    # Before the meeting: the official assigned prepares the answer for the chair's briefing pack.
    services.petition_assign(petition=speeding, by=staff, assignee=staff, now=_past(today))
    services.petition_prepare_answer(
        petition=Petition.objects.get(pk=speeding.pk),
        by=staff,
        text="Công an xã đã bố trí lực lượng trực tại cổng trường giờ tan học; đề nghị lắp biển hạn chế tốc "
        "độ và gờ giảm tốc trong kế hoạch giao thông năm tới.",
        now=_past(today),
    )
