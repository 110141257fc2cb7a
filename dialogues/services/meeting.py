"""The meeting: attendance, registered speakers in order, and the secretary's console outcomes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dialogues.models import Answer, Attendance, Channel, Dialogue, Petition, Provenance, SpeakerRegistration
from portal.audit import audit_record
from portal.text import clean_line, clean_text

from ._base import check_village, require_perm, today_of
from .lifecycle import lock, require_status
from .petitions import petition_answer, petition_assign, petition_forward, petition_record

LIVE = (Dialogue.Status.NOTICED, Dialogue.Status.HELD)


class Outcome:
    ANSWERED = "answered"
    ASSIGNED = "assigned"
    FORWARDED = "forwarded"
    CHOICES = [
        (ANSWERED, "Đã trả lời tại hội nghị"),
        (ASSIGNED, "Giao cán bộ trả lời sau hội nghị"),
        (FORWARDED, "Chuyển cấp trên (vượt thẩm quyền)"),
    ]


@transaction.atomic
def attendance_save(
    *, dialogue: Dialogue, by, rows: list[tuple], officials_present: str = "", now: dt.datetime | None = None
) -> list[Attendance]:
    """Replace the attendance counts: rows of (village or None, group, count)."""
    now = now or timezone.now()
    require_perm(by, "dialogues.run_meeting", dialogue)
    dialogue = lock(dialogue)
    require_status(dialogue, *LIVE, Dialogue.Status.REVIEWED, action="ghi số người dự")
    saved = []
    seen = set()
    for village, group, count in rows:
        check_village(dialogue.commune_id, village)
        if group not in Attendance.Group.values:
            raise ValidationError("Thành phần dự không hợp lệ.")
        if count is None or count < 0 or count > 100000:
            raise ValidationError("Số người dự không hợp lệ.")
        key = (getattr(village, "pk", None), group)
        if key in seen:
            raise ValidationError("Mỗi thôn và thành phần chỉ ghi một dòng.")
        seen.add(key)
        row, _ = Attendance.objects.update_or_create(
            dialogue=dialogue, village=village, group=group, defaults={"count": count}
        )
        saved.append(row)
    officials = clean_text(officials_present)[:2000]
    if officials != dialogue.officials_present:
        dialogue.officials_present = officials
        dialogue.updated_at = now
        dialogue.save(update_fields=["officials_present", "updated_at"])
    audit_record(
        actor=by,
        action="dialogue.attendance",
        obj=dialogue,
        now=now,
        changes={"total": sum(r.count for r in saved)},
    )
    return saved


@transaction.atomic
def speaker_register(
    *, dialogue: Dialogue, by, name: str, village=None, topic: str = "", now: dt.datetime | None = None
) -> SpeakerRegistration:
    now = now or timezone.now()
    require_perm(by, "dialogues.run_meeting", dialogue)
    dialogue = lock(dialogue)
    require_status(dialogue, Dialogue.Status.DRAFT, *LIVE, action="đăng ký phát biểu")
    name = clean_line(name, 120)
    if not name:
        raise ValidationError("Phải ghi họ tên người phát biểu.")
    check_village(dialogue.commune_id, village)
    position = (dialogue.speakers.aggregate(m=Max("position"))["m"] or 0) + 1
    speaker = SpeakerRegistration(
        dialogue=dialogue, position=position, name=name, village=village, topic=clean_line(topic, 500)
    )
    speaker.full_clean()
    speaker.save()
    audit_record(
        actor=by, action="dialogue.speaker_registered", obj=dialogue, now=now, changes={"name": name}
    )
    return speaker


def speaker_next(dialogue: Dialogue) -> SpeakerRegistration | None:
    return (
        dialogue.speakers.filter(status=SpeakerRegistration.Status.WAITING)
        .select_related("village")
        .order_by("position")
        .first()
    )


@transaction.atomic
def speaker_mark(
    *, speaker: SpeakerRegistration, by, status: str, now: dt.datetime | None = None
) -> SpeakerRegistration:
    now = now or timezone.now()
    require_perm(by, "dialogues.run_meeting", speaker.dialogue)
    if status not in (SpeakerRegistration.Status.DONE, SpeakerRegistration.Status.SKIPPED):
        raise ValidationError("Trạng thái không hợp lệ.")
    speaker = SpeakerRegistration.objects.select_for_update().get(pk=speaker.pk)
    speaker.status = status
    speaker.spoke_at = now
    speaker.save(update_fields=["status", "spoke_at"])
    audit_record(
        actor=by,
        action=f"dialogue.speaker_{status}",
        obj=speaker.dialogue,
        now=now,
        changes={"speaker": speaker.name},
    )
    return speaker


@transaction.atomic
def meeting_raise(
    *,
    dialogue: Dialogue,
    by,
    text: str,
    outcome: str,
    village=None,
    field: str = "",
    petitioner_name: str = "",
    speaker: SpeakerRegistration | None = None,
    answer_text: str = "",
    answerer_name: str = "",
    assignee=None,
    due_on: dt.date | None = None,
    forward_to: str = "",
    follow_up_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Petition:
    """The console's one action: record what a speaker raised as a petition, and what happened to it."""
    now = now or timezone.now()
    require_perm(by, "dialogues.run_meeting", dialogue)
    dialogue = Dialogue.objects.select_related("commune").get(pk=dialogue.pk)
    if dialogue.status not in LIVE:
        raise ValidationError("Chỉ ghi kiến nghị tại hội nghị khi hội nghị đã thông báo và đang diễn ra.")
    if outcome not in dict(Outcome.CHOICES):
        raise ValidationError("Phải chọn kết quả: trả lời tại chỗ, giao cán bộ hoặc chuyển cấp trên.")
    if speaker is not None and speaker.dialogue_id != dialogue.pk:
        raise ValidationError("Người phát biểu không thuộc hội nghị này.")
    petition = petition_record(
        commune=dialogue.commune,
        by=by,
        channel=Channel.MEETING,
        provenance=Provenance.CITIZEN,
        text=text,
        village=village,
        dialogue=dialogue,
        petitioner_name=petitioner_name or (speaker.name if speaker else ""),
        field=field,
        received_on=min(today_of(now), timezone.localdate(dialogue.starts_at)),
        raised_at_meeting=True,
        now=now,
    )
    meeting_resolve(
        petition=petition,
        by=by,
        outcome=outcome,
        answer_text=answer_text,
        answerer_name=answerer_name,
        assignee=assignee,
        due_on=due_on,
        forward_to=forward_to,
        follow_up_on=follow_up_on,
        now=now,
    )
    if speaker is not None and speaker.status == SpeakerRegistration.Status.WAITING:
        speaker_mark(speaker=speaker, by=by, status=SpeakerRegistration.Status.DONE, now=now)
    petition.refresh_from_db()
    return petition


@transaction.atomic
def meeting_resolve(
    *,
    petition: Petition,
    by,
    outcome: str,
    answer_text: str = "",
    answerer_name: str = "",
    assignee=None,
    due_on: dt.date | None = None,
    forward_to: str = "",
    follow_up_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Petition:
    """At the meeting: answered on the spot, assigned to whom and by when, or forwarded to the upper level."""
    now = now or timezone.now()
    petition = Petition.objects.select_related("dialogue").get(pk=petition.pk)
    dialogue = petition.dialogue
    if dialogue is None or dialogue.status not in LIVE:
        raise ValidationError("Kiến nghị không thuộc hội nghị đang diễn ra.")
    require_perm(by, "dialogues.run_meeting", dialogue)
    if outcome == Outcome.ANSWERED:
        petition_answer(
            petition=petition,
            by=by,
            how=Answer.How.AT_MEETING,
            text=answer_text,
            answerer_name=answerer_name,
            now=now,
        )
    elif outcome == Outcome.ASSIGNED:
        if assignee is None:
            raise ValidationError("Phải chọn cán bộ được giao trả lời.")
        petition_assign(petition=petition, by=by, assignee=assignee, due_on=due_on, now=now)
    elif outcome == Outcome.FORWARDED:
        petition_forward(
            petition=petition,
            by=by,
            to=forward_to,
            follow_up_on=follow_up_on,
            forwarded_on=None,
            now=now,
        )
    else:
        raise ValidationError("Kết quả không hợp lệ.")
    petition.refresh_from_db()
    return petition
