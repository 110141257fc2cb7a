"""Petitions (kiến nghị, phản ánh): received online or recorded, classified, assigned, answered, forwarded, reopened.

Luật Tiếp công dân 2013: Điều 25.2 (an oral petition is written down and signed or fingerprinted), Điều 25.3 (a
mixed submission is split), Điều 28.1 (10 working days to tell the petitioner what happens). Nothing is deleted:
duplicates point at their group's main petition, split parts at the original, hidden ones keep their reason.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dialogues.models import Answer, Channel, Dialogue, Field, Petition, Provenance
from dialogues.workflow import PETITION
from portal import generations, intake, statutes, uploads
from portal.audit import audit_record
from portal.deadlines import deadline_cancel_for, deadline_meet, deadline_open
from portal.models import AdministrativeUnit, Role
from portal.notifications import notify
from portal.text import clean_line, clean_text, normalize_search

from ._base import check_date, check_office_member, check_village, fmt, members, require_perm, today_of
from .lifecycle import _open_petition_deadline

P = Petition.Status
KIND = "dialogues.petition"  # registered with the core intake (prefix KN) in DialoguesConfig.ready
MAX_TEXT = 5000
MAX_PREPARED = 5000
ORAL_CHANNELS = (Channel.RECEPTION,)


def lock(petition: Petition) -> Petition:
    return (
        Petition.objects.select_for_update(of=("self",))
        .select_related("commune", "village", "dialogue")
        .get(pk=petition.pk)
    )


def _audit(petition: Petition, action: str, *, by, now, changes=None, note="") -> None:
    audit_record(
        actor=by, action=f"petition.{action}", obj=petition, now=now, changes=changes or {}, note=note
    )


def _save(petition: Petition, fields: list[str], now) -> None:
    petition.updated_at = now
    petition.full_clean()
    petition.save(update_fields=[*fields, "updated_at"])


def _text(value: str) -> str:
    value = clean_text(value)
    if not value:
        raise ValidationError("Phải ghi nội dung kiến nghị.")
    if len(value) > MAX_TEXT:
        raise ValidationError(f"Nội dung kiến nghị dài quá {MAX_TEXT} ký tự.")
    return value


def _check_dialogue(commune_id: int, dialogue: Dialogue | None, *, online: bool = False) -> None:
    if dialogue is None:
        return
    if dialogue.commune_id != commune_id:
        raise ValidationError("Hội nghị không thuộc xã này.")
    allowed = (
        (Dialogue.Status.NOTICED,)
        if online
        else (
            Dialogue.Status.DRAFT,
            Dialogue.Status.NOTICED,
            Dialogue.Status.HELD,
            Dialogue.Status.REVIEWED,
        )
    )
    if dialogue.status not in allowed:
        raise ValidationError("Hội nghị này không còn nhận kiến nghị.")


def _insert(petition: Petition) -> Petition:
    """Save a new petition with a fresh ``KN-`` code of the core intake (retried on the rare collision)."""
    petition.full_clean(exclude=["tracking_code"])
    return intake.insert_with_code(petition, kind=KIND)


def _after_receipt(petition: Petition, *, by, now) -> None:
    """Open the answer deadline of a petition received outside a dialogue, or after its meeting."""
    dialogue = petition.dialogue
    if dialogue is None:
        _open_petition_deadline(petition, trigger=petition.received_on, by=by, now=now)
    elif dialogue.status in (Dialogue.Status.HELD, Dialogue.Status.REVIEWED):
        _open_petition_deadline(petition, trigger=max(petition.received_on, dialogue.held_on), by=by, now=now)


@transaction.atomic
def petition_submit_online(
    *,
    commune: AdministrativeUnit,
    text: str,
    petitioner_name: str = "",
    petitioner_contact: str = "",
    village: AdministrativeUnit | None = None,
    dialogue: Dialogue | None = None,
    field: str = "",
    is_public: bool = True,
    form_token: str | None = None,
    origin: intake.Origin | None = None,
    now: dt.datetime | None = None,
) -> Petition:
    """A citizen's petition from the portal (no account), saved once per form token through the core intake (flood
    control per origin); returns it with its tracking code."""
    now = now or timezone.now()
    if form_token and (repeat := intake.submitted(Petition, form_token)) is not None:
        return repeat
    check_village(commune.pk, village)
    _check_dialogue(commune.pk, dialogue, online=True)
    if field and field not in Field.values:
        raise ValidationError("Lĩnh vực không hợp lệ.")
    clean = _text(text)

    def create() -> Petition:
        petition = Petition(
            commune=commune,
            dialogue=dialogue,
            village=village,
            channel=Channel.ONLINE,
            provenance=Provenance.CITIZEN,
            field=field,
            petitioner_name=clean_line(petitioner_name, 120),
            petitioner_contact=clean_line(petitioner_contact, 200),
            text=clean,
            search_text=normalize_search(clean),
            is_public=is_public,
            received_on=today_of(now),
            created_at=now,
            updated_at=now,
        )
        return _insert(petition)

    if form_token is None:  # services and the demo: no form, no flood control
        petition, created = create(), True
    else:
        petition, created = intake.receive(
            model=Petition,
            token=form_token,
            create=create,
            origin=origin,
            subject=dialogue or commune,
            text=clean,
            now=now,
        )
    if not created:
        return petition
    _audit(petition, "submitted", by=None, now=now, changes={"channel": petition.channel})
    _after_receipt(petition, by=None, now=now)
    notify(
        recipients=members(commune.pk, Role.STAFF),
        title=f"Kiến nghị mới {petition.tracking_code}",
        body=petition.text[:200],
        url=petition.get_absolute_url(),
        key=f"petition:{petition.pk}:new",
        now=now,
    )
    return petition


@transaction.atomic
def petition_record(
    *,
    commune: AdministrativeUnit,
    by,
    channel: str,
    text: str,
    provenance: str = Provenance.CITIZEN,
    village: AdministrativeUnit | None = None,
    dialogue: Dialogue | None = None,
    petitioner_name: str = "",
    petitioner_contact: str = "",
    field: str = "",
    kind: str = Petition.Kind.RECOMMENDATION,
    oral_confirmed: bool = False,
    received_on: dt.date | None = None,
    is_public: bool = True,
    raised_at_meeting: bool = False,
    now: dt.datetime | None = None,
) -> Petition:
    """A petition recorded by staff, MTTQ or a village head (their own village only) from paper, a meeting, the
    reception register, Zalo or the phone."""
    now = now or timezone.now()
    today = today_of(now)
    received_on = received_on or today
    require_perm(
        by,
        "dialogues.record_petition",
        village or commune,
        "Bạn chỉ được ghi nhận kiến nghị của thôn mình phụ trách."
        if village
        else "Bạn không có quyền ghi kiến nghị.",
    )
    if village is None and not by.has_perm("dialogues.record_petition", commune):
        raise ValidationError("Phải chọn thôn của người kiến nghị.")
    check_village(commune.pk, village)
    _check_dialogue(commune.pk, dialogue)
    check_date(received_on, label="Ngày tiếp nhận", today=today, allow_future=False)
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ValidationError("Kênh tiếp nhận không hợp lệ.")
    if provenance not in Provenance.values:
        raise ValidationError("Nguồn kiến nghị không hợp lệ.")
    if field and field not in Field.values:
        raise ValidationError("Lĩnh vực không hợp lệ.")
    if channel in ORAL_CHANNELS and not oral_confirmed:
        raise ValidationError(
            f"Kiến nghị trình bày trực tiếp phải được ghi lại và người kiến nghị ký hoặc điểm chỉ xác nhận "
            f"({statutes.ORAL_PETITION_SOURCE})."
        )
    petition = Petition(
        commune=commune,
        dialogue=dialogue,
        village=village,
        channel=channel,
        provenance=provenance,
        field=field,
        kind=kind,
        petitioner_name=clean_line(petitioner_name, 120),
        petitioner_contact=clean_line(petitioner_contact, 200),
        text=_text(text),
        is_public=is_public,
        oral_confirmed=oral_confirmed,
        raised_at_meeting=raised_at_meeting,
        received_on=received_on,
        recorded_by=by,
        created_at=now,
        updated_at=now,
    )
    petition.search_text = normalize_search(petition.text)
    _insert(petition)
    _audit(
        petition,
        "recorded",
        by=by,
        now=now,
        changes={"channel": channel, "provenance": provenance, "village": village.name if village else None},
    )
    _after_receipt(petition, by=by, now=now)
    return petition


@transaction.atomic
def petition_classify(
    *,
    petition: Petition,
    by,
    field: str,
    competence: str = "",
    kind: str | None = None,
    village: AdministrativeUnit | None = None,
    now: dt.datetime | None = None,
) -> Petition:
    now = now or timezone.now()
    require_perm(by, "dialogues.classify_petition", petition)
    petition = lock(petition)
    if field not in Field.values:
        raise ValidationError("Phải chọn lĩnh vực của kiến nghị.")
    if competence not in Petition.Competence.values:
        raise ValidationError("Thẩm quyền không hợp lệ.")
    if kind is not None and kind not in Petition.Kind.values:
        raise ValidationError("Loại đơn không hợp lệ.")
    check_village(petition.commune_id, village)
    old = {"field": petition.field, "competence": petition.competence, "kind": petition.kind}
    petition.field = field
    petition.competence = competence
    petition.kind = kind or petition.kind
    fields = ["field", "competence", "kind"]
    if village is not None:
        old["village"] = petition.village_id
        petition.village = village
        fields.append("village")
    _save(petition, fields, now)
    _audit(
        petition,
        "classified",
        by=by,
        now=now,
        changes={k: [old[k], getattr(petition, k if k != "village" else "village_id")] for k in old},
    )
    return petition


@transaction.atomic
def petition_assign(
    *, petition: Petition, by, assignee, due_on: dt.date | None = None, now: dt.datetime | None = None
) -> Petition:
    """Give the petition to an official to prepare (before the meeting) or give (after) the answer. A date set by
    the chair may be earlier than the rule's, never later."""
    now = now or timezone.now()
    require_perm(by, "dialogues.classify_petition", petition)
    petition = lock(petition)
    PETITION.require(petition, "giao", check_perm=False)
    check_office_member(petition.commune_id, assignee)
    today = today_of(now)
    check_date(due_on, label="Hạn trả lời", today=today)
    if due_on is not None and due_on < today:
        raise ValidationError("Hạn trả lời không được trước ngày hôm nay.")
    old = {"assignee": petition.assignee_id, "due_on": petition.due_on}
    petition.assignee = assignee
    if petition.status != P.REOPENED:
        petition.status = P.ASSIGNED
    rule_due = _rule_due(petition)
    if due_on is not None:
        if rule_due is not None and due_on > rule_due:
            rule = statutes.rule_for(_rule_code(petition), petition.commune)
            raise ValidationError(f"Hạn trả lời không được sau ngày {fmt(rule_due)} ({rule.describe()}).")
        petition.due_on = due_on
    _save(petition, ["assignee", "status", "due_on"], now)
    # The open deadline follows the new assignee.
    from portal.models import Deadline

    Deadline.objects.filter(
        content_type__app_label="dialogues",
        content_type__model="petition",
        object_id=str(petition.pk),
        status=Deadline.Status.OPEN,
    ).update(assignee=assignee)
    generations.bump_for(petition)  # update() sends no post_save (the homes' deadline panels)
    _audit(
        petition,
        "assigned",
        by=by,
        now=now,
        changes={"assignee": [old["assignee"], assignee.pk], "due_on": [old["due_on"], petition.due_on]},
    )
    notify(
        recipients=[assignee],
        title=f"Được giao trả lời kiến nghị {petition.tracking_code}",
        body=petition.text[:200] + (f"\nHạn: {fmt(petition.due_on)}" if petition.due_on else ""),
        url=petition.get_absolute_url(),
        key=f"petition:{petition.pk}:assigned:{assignee.pk}:{now.isoformat()}",
        now=now,
    )
    return petition


@transaction.atomic
def petition_prepare_answer(*, petition: Petition, by, text: str, now: dt.datetime | None = None) -> Petition:
    """The official assigned writes the answer they prepared before the meeting (it goes into the chair's
    briefing pack); it can be revised until the petition is answered."""
    now = now or timezone.now()
    require_perm(by, "dialogues.answer_petition", petition)
    petition = lock(petition)
    PETITION.require(petition, "chuan-bi", check_perm=False)
    text = clean_text(text)
    if len(text) > MAX_PREPARED:
        raise ValidationError(f"Nội dung trả lời chuẩn bị dài quá {MAX_PREPARED} ký tự.")
    old = petition.prepared_answer
    petition.prepared_answer = text
    petition.prepared_by = by if text else None
    petition.prepared_at = now if text else None
    _save(petition, ["prepared_answer", "prepared_by", "prepared_at"], now)
    _audit(petition, "prepared", by=by, now=now, changes={"prepared_answer": [old[:200], text[:200]]})
    return petition


def _rule_code(petition: Petition) -> str:
    return "dialogue.petition_answer" if petition.dialogue_id else "citizen.reply"


def _rule_due(petition: Petition) -> dt.date | None:
    """The latest answer date the rule allows, once its clock has started."""
    dialogue = petition.dialogue
    if dialogue is None:
        trigger = petition.received_on
    elif dialogue.held_on:
        trigger = max(petition.received_on, dialogue.held_on)
    elif dialogue.status == Dialogue.Status.NOTICED:
        trigger = timezone.localdate(dialogue.starts_at)  # assigned at (or just before) the meeting
    else:
        return None
    return statutes.rule_for(_rule_code(petition), petition.commune).due(trigger)


def _close_deadlines(petition: Petition, *, by, now) -> None:
    for code in ("dialogue.petition_answer", "citizen.reply"):
        deadline_meet(subject=petition, rule_code=code, by=by, now=now)


@transaction.atomic
def petition_answer(
    *,
    petition: Petition,
    by,
    how: str,
    text: str,
    answered_on: dt.date | None = None,
    answerer_name: str = "",
    proof=None,
    proof_note: str = "",
    letter_document=None,
    now: dt.datetime | None = None,
) -> Answer:
    """Record an answer: at the meeting, in person or in writing (with proof), or the upper level's answer."""
    now = now or timezone.now()
    today = today_of(now)
    answered_on = answered_on or today
    require_perm(by, "dialogues.answer_petition", petition)
    petition = lock(petition)
    if how not in Answer.How.values:
        raise ValidationError("Hình thức trả lời không hợp lệ.")
    step = "tra-loi-cap-tren" if how == Answer.How.UPPER_LEVEL else "tra-loi"
    PETITION.require_state(petition, step)
    check_date(answered_on, label="Ngày trả lời", today=today, allow_future=False)
    PETITION.require(petition, step, check_perm=False, answered_on=answered_on)
    if how == Answer.How.AT_MEETING:
        d = petition.dialogue
        if d is None or d.status not in (Dialogue.Status.NOTICED, Dialogue.Status.HELD):
            raise ValidationError("Chỉ trả lời tại hội nghị khi kiến nghị thuộc một hội nghị đang diễn ra.")
    proof_note = clean_line(proof_note, 300)
    if how in (Answer.How.IN_PERSON, Answer.How.IN_WRITING) and not (proof or proof_note or letter_document):
        raise ValidationError(
            "Phải có minh chứng việc trả lời (số văn bản trả lời, biên bản làm việc, ảnh chụp…)."
        )
    answer = Answer(
        petition=petition,
        how=how,
        text=_answer_text(text),
        answered_on=answered_on,
        answered_by=by,
        answerer_name=clean_line(answerer_name, 120) or (by.get_full_name() or by.username),
        proof_note=proof_note,
        letter_document=letter_document,
        on_time=petition.due_on is None or answered_on <= petition.due_on,
        created_at=now,
    )
    if proof is not None:
        answer.proof = uploads.file_clean(proof, field="proof", what="Minh chứng")
    answer.full_clean()
    answer.save()
    old = petition.status
    petition.status = P.ANSWERED
    petition.answered_on = answered_on
    petition.answer_how = how
    petition.answered_on_time = answer.on_time
    petition.satisfied = None
    _save(petition, ["status", "answered_on", "answer_how", "answered_on_time", "satisfied"], now)
    _close_deadlines(petition, by=by, now=now)
    deadline_meet(subject=petition, rule_code="assigned", by=by, now=now)  # a forwarded petition's follow-up
    _audit(
        petition,
        "answered",
        by=by,
        now=now,
        changes={"status": [old, P.ANSWERED], "how": how, "on_time": answer.on_time},
    )
    return answer


def _answer_text(value: str) -> str:
    value = clean_text(value)
    if not value:
        raise ValidationError("Phải ghi nội dung trả lời.")
    if len(value) > 10000:
        raise ValidationError("Nội dung trả lời dài quá 10.000 ký tự.")
    return value


@transaction.atomic
def petition_forward(
    *,
    petition: Petition,
    by,
    to: str,
    follow_up_on: dt.date,
    forwarded_on: dt.date | None = None,
    transfer_document=None,
    now: dt.datetime | None = None,
) -> Petition:
    """Beyond the commune's competence: sent up with a transfer letter; it stays tracked ("waiting for upper
    level") with a follow-up date in the deadline engine, never a dead end."""
    now = now or timezone.now()
    today = today_of(now)
    forwarded_on = forwarded_on or today
    require_perm(by, "dialogues.answer_petition", petition)
    petition = lock(petition)
    PETITION.require(petition, "chuyen", check_perm=False)
    to = clean_line(to, 300)
    if not to:
        raise ValidationError("Phải ghi cơ quan có thẩm quyền nhận kiến nghị.")
    check_date(forwarded_on, label="Ngày chuyển", today=today, allow_future=False)
    check_date(follow_up_on, label="Ngày đôn đốc", today=today)
    if follow_up_on is None or follow_up_on <= forwarded_on:
        raise ValidationError("Phải hẹn ngày đôn đốc, theo dõi sau ngày chuyển.")
    old = petition.status
    petition.status = P.FORWARDED
    petition.competence = Petition.Competence.UPPER
    petition.forwarded_to = to
    petition.forwarded_on = forwarded_on
    petition.follow_up_on = follow_up_on
    petition.transfer_document = transfer_document
    _save(
        petition,
        ["status", "competence", "forwarded_to", "forwarded_on", "follow_up_on", "transfer_document"],
        now,
    )
    # Transferring is a lawful reply (Luật Tiếp công dân, Điều 28.1): the answer clock stops; the follow-up starts.
    _close_deadlines(petition, by=by, now=now)
    deadline_open(
        subject=petition,
        rule_code="assigned",
        trigger_date=forwarded_on,
        due_date=follow_up_on,
        commune=petition.commune,
        village=petition.village,
        assignee=petition.assignee,
        title=f"Đôn đốc cấp trên trả lời kiến nghị {petition.tracking_code} ({to})",
        url=petition.get_absolute_url(),
        by=by,
        now=now,
    )
    _audit(petition, "forwarded", by=by, now=now, changes={"status": [old, P.FORWARDED], "to": to})
    return petition


@transaction.atomic
def petition_mark_duplicate(
    *, petition: Petition, of: Petition, by, now: dt.datetime | None = None
) -> Petition:
    """Group a duplicate under its main petition (it is answered with it; nothing is deleted)."""
    now = now or timezone.now()
    require_perm(by, "dialogues.classify_petition", petition)
    petition = lock(petition)
    main = of.duplicate_of or of
    if main.pk == petition.pk or main.commune_id != petition.commune_id:
        raise ValidationError("Không thể gộp kiến nghị này vào chính nó hoặc vào kiến nghị của xã khác.")
    if petition.duplicates.exists():
        raise ValidationError(
            "Kiến nghị này đang là kiến nghị chính của một nhóm trùng; không gộp tiếp được."
        )
    petition.duplicate_of = main
    _save(petition, ["duplicate_of"], now)
    deadline_cancel_for(subject=petition, reason=f"Trùng với kiến nghị {main.tracking_code}", by=by, now=now)
    _audit(petition, "merged", by=by, now=now, changes={"duplicate_of": main.tracking_code})
    return petition


@transaction.atomic
def petition_split(
    *, petition: Petition, by, parts: list[tuple[str, str]], now: dt.datetime | None = None
) -> list:
    """Split a submission mixing a complaint, a denunciation and a recommendation into separate cases (Luật Tiếp
    công dân 2013, Điều 25.3). The original stays, closed, pointing at its parts."""
    now = now or timezone.now()
    require_perm(by, "dialogues.classify_petition", petition)
    petition = lock(petition)
    if petition.status not in (P.RECEIVED, P.ASSIGNED) or petition.split_from_id:
        raise ValidationError("Chỉ tách được kiến nghị mới tiếp nhận, chưa trả lời.")
    if len(parts) < 2:
        raise ValidationError("Phải tách thành ít nhất hai nội dung.")
    created = []
    for kind, text in parts:
        if kind not in Petition.Kind.values:
            raise ValidationError("Loại đơn không hợp lệ.")
        part = Petition(
            commune=petition.commune,
            dialogue=petition.dialogue,
            village=petition.village,
            channel=petition.channel,
            provenance=petition.provenance,
            field=petition.field,
            kind=kind,
            petitioner_name=petition.petitioner_name,
            petitioner_contact=petition.petitioner_contact,
            text=_text(text),
            is_public=petition.is_public,
            oral_confirmed=petition.oral_confirmed,
            received_on=petition.received_on,
            raised_at_meeting=petition.raised_at_meeting,
            split_from=petition,
            recorded_by=by,
            created_at=now,
            updated_at=now,
        )
        part.search_text = normalize_search(part.text)
        _insert(part)
        _after_receipt(part, by=by, now=now)
        created.append(part)
    old = petition.status
    petition.status = P.CLOSED
    _save(petition, ["status"], now)
    deadline_cancel_for(subject=petition, reason="Đã tách thành các đơn riêng", by=by, now=now)
    _audit(
        petition,
        "split",
        by=by,
        now=now,
        changes={"status": [old, P.CLOSED], "parts": [p.tracking_code for p in created]},
        note=statutes.MIXED_PETITION_SOURCE,
    )
    return created


@transaction.atomic
def petition_feedback(
    *, petition: Petition, satisfied: bool, reason: str = "", now: dt.datetime | None = None
) -> Petition:
    """The petitioner (holding the code) says whether the answer satisfies them; "not satisfied" reopens the case
    with the reason and a new answer deadline."""
    now = now or timezone.now()
    petition = lock(petition)
    PETITION.require(petition, "danh-gia", check_perm=False)  # the petitioner holds the code
    reason = clean_text(reason)
    if len(reason) > 2000:
        raise ValidationError("Lý do dài quá 2.000 ký tự.")
    old = petition.status
    if satisfied:
        petition.satisfied = True
        petition.status = P.CLOSED
        _save(petition, ["satisfied", "status"], now)
        _audit(petition, "satisfied", by=None, now=now, changes={"status": [old, P.CLOSED]})
        return petition
    if not reason:
        raise ValidationError("Xin ghi rõ lý do chưa hài lòng để cán bộ xem xét lại.")
    petition.satisfied = False
    petition.reopen_reason = reason
    petition.status = P.REOPENED
    petition.due_on = None
    _save(petition, ["satisfied", "reopen_reason", "status", "due_on"], now)
    _audit(petition, "reopened", by=None, now=now, changes={"status": [old, P.REOPENED]}, note=reason)
    _reopen_deadline(petition, now=now)
    notify(
        recipients=[u for u in [petition.assignee] if u]
        + members(petition.commune_id, Role.LEADER, Role.MTTQ),
        title=f"Người dân chưa hài lòng: kiến nghị {petition.tracking_code}",
        body=reason[:300],
        url=petition.get_absolute_url(),
        key=f"petition:{petition.pk}:reopened:{now.isoformat()}",
        now=now,
    )
    return petition


def _reopen_deadline(petition: Petition, *, now) -> None:
    code = _rule_code(petition)
    rule = statutes.rule_for(code, petition.commune)
    today = today_of(now)
    petition.due_on = rule.due(today)
    Petition.objects.filter(pk=petition.pk).update(due_on=petition.due_on)
    generations.bump_for(petition)  # update() sends no post_save (the homes' petition panels)
    deadline_open(
        subject=petition,
        rule_code=code,
        trigger_date=today,
        commune=petition.commune,
        village=petition.village,
        assignee=petition.assignee,
        title=f"Xem xét lại kiến nghị {petition.tracking_code} (người dân chưa hài lòng)",
        url=petition.get_absolute_url(),
        by=None,
        now=now,
    )


@transaction.atomic
def petition_hide(*, petition: Petition, by, reason: str, now: dt.datetime | None = None) -> Petition:
    """Keep a petition off the public page (personal data, abuse): it stays in every list and report."""
    now = now or timezone.now()
    require_perm(by, "dialogues.hide_petition", petition)
    petition = lock(petition)
    reason = clean_line(reason, 300)
    if not reason:
        raise ValidationError("Phải ghi lý do ẩn.")
    petition.hidden = True
    petition.hidden_reason = reason
    _save(petition, ["hidden", "hidden_reason"], now)
    _audit(petition, "hidden", by=by, now=now, note=reason)
    return petition


def petition_by_code(code: str) -> Petition | None:
    """The petition of a code as a person typed it (case, spaces, hyphens, with or without the KN prefix)."""
    raw = "".join(ch for ch in (code or "") if ch.isalnum())
    if len(raw) == 8:
        raw = "KN" + raw
    parsed = intake.parse_code(raw)
    if parsed is None or parsed[0].name != KIND:
        return None
    return (
        Petition.objects.select_related("commune", "dialogue", "village")
        .filter(tracking_code=parsed[1])
        .first()
    )
