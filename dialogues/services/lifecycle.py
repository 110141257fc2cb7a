"""A dialogue's lifecycle: plan → notice (≥ N days before) → held → reviewed (≤ 5 days) → closed.

Every transition re-checks its rule here, so a form, the admin or a script cannot bypass it; each writes an audit row.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dialogues.models import Dialogue, Petition
from dialogues.workflow import DIALOGUE
from portal import generations, statutes
from portal.audit import audit_record
from portal.deadlines import deadline_cancel_for, deadline_meet, deadline_open
from portal.models import AdministrativeUnit, Role
from portal.notifications import notify
from portal.text import clean_line, clean_text

from ._base import check_date, check_village, fmt, members, require_perm, today_of, village_heads
from .publicity import publicize_notice, publicize_result
from .publicity import withdraw as withdraw_publications

S = Dialogue.Status
TEXT_FIELDS = {
    "title": 300,
    "co_chairs": 300,
    "place": 300,
    "online_link": 500,
    "participants": 2000,
    "topics": 4000,
    "officials_present": 2000,
}


def lock(dialogue: Dialogue) -> Dialogue:
    return Dialogue.objects.select_for_update().get(pk=dialogue.pk)


def require_status(dialogue: Dialogue, *allowed: str, action: str) -> None:
    if dialogue.status not in allowed:
        labels = ", ".join(str(S(s).label) for s in allowed)
        raise ValidationError(
            f"Không thể {action} khi hội nghị đang ở trạng thái “{dialogue.get_status_display()}” "
            f"(chỉ được khi: {labels})."
        )


def _transition(dialogue: Dialogue, new: str, *, by, now, fields: list[str], changes=None, note="") -> None:
    old = dialogue.status
    dialogue.status = new
    dialogue.updated_at = now
    dialogue.full_clean()
    dialogue.save(update_fields=["status", "updated_at", *fields])
    audit_record(
        actor=by,
        action=f"dialogue.{new}",
        obj=dialogue,
        now=now,
        changes={"status": [old, new], **(changes or {})},
        note=note,
    )


def _clean_fields(values: dict) -> dict:
    out = {}
    for key, limit in TEXT_FIELDS.items():
        if key in values:
            value = values[key] or ""
            value = clean_line(value) if limit <= 500 else clean_text(value)
            if len(value) > limit:
                raise ValidationError(
                    f"Nội dung “{Dialogue._meta.get_field(key).verbose_name}” dài quá {limit} ký tự."
                )
            out[key] = value
    return out


def _check_schedule(*, starts_at: dt.datetime, place: str, online_link: str, today: dt.date) -> None:
    if timezone.is_naive(starts_at):
        raise ValidationError("Thời gian hội nghị phải có múi giờ.")
    check_date(timezone.localdate(starts_at), label="Ngày hội nghị", today=today)
    if not place and not online_link:
        raise ValidationError("Phải ghi địa điểm hoặc đường dẫn họp trực tuyến.")


def _set_villages(dialogue: Dialogue, villages) -> list[AdministrativeUnit]:
    villages = list(villages or [])
    for v in villages:
        check_village(dialogue.commune_id, v)
    if dialogue.kind == Dialogue.Kind.VILLAGE and not villages:
        raise ValidationError("Hội nghị đối thoại với thôn phải chọn ít nhất một thôn.")
    dialogue.villages.set(villages)
    return villages


@transaction.atomic
def dialogue_create(
    *,
    commune: AdministrativeUnit,
    by,
    title: str,
    starts_at: dt.datetime,
    kind: str = Dialogue.Kind.VILLAGE,
    duration_minutes: int = 180,
    villages=(),
    host=None,
    now: dt.datetime | None = None,
    **fields,
) -> Dialogue:
    """Plan a dialogue: opens the notice deadline (the latest day the notice may go out)."""
    now = now or timezone.now()
    require_perm(by, "dialogues.change_dialogue", commune)
    values = _clean_fields({"title": title, **fields})
    if not values.get("title"):
        raise ValidationError("Phải ghi tên hội nghị.")
    _check_schedule(
        starts_at=starts_at,
        place=values.get("place", ""),
        online_link=values.get("online_link", ""),
        today=today_of(now),
    )
    dialogue = Dialogue(
        commune=commune,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        host=host,
        created_by=by,
        created_at=now,
        updated_at=now,
        **values,
    )
    dialogue.full_clean()
    dialogue.save()
    villages = _set_villages(dialogue, villages)
    deadline_open(
        subject=dialogue,
        rule_code="dialogue.notice_before",
        trigger_date=timezone.localdate(starts_at),
        commune=commune,
        title=f"Thông báo hội nghị đối thoại: {dialogue.title}",
        url=dialogue.get_absolute_url(),
        by=by,
        now=now,
    )
    audit_record(
        actor=by,
        action="dialogue.create",
        obj=dialogue,
        now=now,
        changes={"title": dialogue.title, "starts_at": starts_at, "villages": [v.name for v in villages]},
    )
    return dialogue


@transaction.atomic
def dialogue_update(
    *, dialogue: Dialogue, by, now: dt.datetime | None = None, villages=None, **fields
) -> Dialogue:
    """Edit a dialogue being prepared. Once noticed, its time can no longer move (a new notice would be needed)."""
    now = now or timezone.now()
    require_perm(by, "dialogues.change_dialogue", dialogue)
    dialogue = lock(dialogue)
    require_status(dialogue, S.DRAFT, S.NOTICED, action="sửa thông tin hội nghị")
    values = _clean_fields(fields)
    for key in ("starts_at", "duration_minutes", "kind", "host"):
        if key in fields:
            values[key] = fields[key]
    if "starts_at" in values and values["starts_at"] != dialogue.starts_at and dialogue.status != S.DRAFT:
        raise ValidationError(
            "Hội nghị đã được thông báo; không thể đổi thời gian. Hãy hủy hội nghị này và lập hội nghị mới để thông "
            "báo lại đúng thời hạn."
        )
    old = {k: getattr(dialogue, k) for k in values}
    for key, value in values.items():
        setattr(dialogue, key, value)
    _check_schedule(
        starts_at=dialogue.starts_at,
        place=dialogue.place,
        online_link=dialogue.online_link,
        today=today_of(now),
    )
    dialogue.updated_at = now
    dialogue.full_clean()
    dialogue.save()
    if villages is not None:
        _set_villages(dialogue, villages)
    if "starts_at" in values and old["starts_at"] != dialogue.starts_at:
        deadline_cancel_for(subject=dialogue, reason="Đổi thời gian hội nghị", by=by, now=now)
        deadline_open(
            subject=dialogue,
            rule_code="dialogue.notice_before",
            trigger_date=timezone.localdate(dialogue.starts_at),
            commune=dialogue.commune,
            title=f"Thông báo hội nghị đối thoại: {dialogue.title}",
            url=dialogue.get_absolute_url(),
            by=by,
            now=now,
        )
    audit_record(
        actor=by,
        action="dialogue.update",
        obj=dialogue,
        now=now,
        changes={k: [old[k], getattr(dialogue, k)] for k in values if old[k] != getattr(dialogue, k)},
    )
    return dialogue


def notice_check(dialogue: Dialogue, on: dt.date) -> None:
    """Refuse a notice given fewer than the province's N days before the dialogue, naming the rule."""
    reasons = DIALOGUE.unmet(dialogue, "thong-bao", on=on)
    if reasons:
        raise ValidationError([str(r) for r in reasons])


@transaction.atomic
def dialogue_publish_notice(
    *, dialogue: Dialogue, by, on: dt.date | None = None, now: dt.datetime | None = None
) -> Dialogue:
    """Announce time, place, participants and content (≥ N days before; the rule is enforced here)."""
    now = now or timezone.now()
    today = today_of(now)
    on = on or today
    require_perm(by, "dialogues.change_dialogue", dialogue)
    dialogue = lock(dialogue)
    DIALOGUE.require_state(dialogue, "thong-bao")
    check_date(on, label="Ngày thông báo", today=today, allow_future=False)
    DIALOGUE.require(dialogue, "thong-bao", check_perm=False, on=on)
    dialogue.notice_published_on = on
    _transition(
        dialogue, S.NOTICED, by=by, now=now, fields=["notice_published_on"], changes={"notice_on": on}
    )
    deadline_meet(subject=dialogue, rule_code="dialogue.notice_before", by=by, now=now)
    publicize_notice(dialogue=dialogue, on=on, by=by, now=now)
    village_ids = list(dialogue.villages.values_list("pk", flat=True))
    notify(
        recipients=village_heads(village_ids) + members(dialogue.commune_id, Role.MTTQ, Role.RADIO),
        title=f"Thông báo hội nghị đối thoại ngày {fmt(timezone.localdate(dialogue.starts_at))}",
        body=f"{dialogue.title} — {dialogue.place or dialogue.online_link}.",
        url=dialogue.get_absolute_url(),
        key=f"dialogue:{dialogue.pk}:noticed",
        now=now,
    )
    return dialogue


def _open_petition_deadline(petition: Petition, *, trigger: dt.date, by, now) -> None:
    rule_code = "dialogue.petition_answer" if petition.dialogue_id else "citizen.reply"
    rule = statutes.rule_for(rule_code, petition.commune)
    due = rule.due(trigger)
    if petition.due_on is None or petition.due_on > due:
        petition.due_on = due
        Petition.objects.filter(pk=petition.pk).update(due_on=due)
        generations.bump_for(petition)  # update() sends no post_save (the homes' petition panels)
    deadline_open(
        subject=petition,
        rule_code=rule_code,
        trigger_date=trigger,
        commune=petition.commune,
        village=petition.village,
        assignee=petition.assignee,
        title=f"Trả lời kiến nghị {petition.tracking_code}",
        url=petition.get_absolute_url(),
        by=by,
        now=now,
    )


@transaction.atomic
def dialogue_mark_held(
    *, dialogue: Dialogue, by, held_on: dt.date | None = None, now: dt.datetime | None = None
) -> Dialogue:
    """The meeting took place: the review (5 days) and result (10 days) deadlines start, and every petition still
    open gets its answer deadline (15 working days, or the province's rule)."""
    now = now or timezone.now()
    today = today_of(now)
    held_on = held_on or timezone.localdate(dialogue.starts_at)
    require_perm(by, "dialogues.run_meeting", dialogue)
    dialogue = lock(dialogue)
    DIALOGUE.require_state(dialogue, "da-to-chuc")
    check_date(held_on, label="Ngày tổ chức", today=today, allow_future=False)
    DIALOGUE.require(dialogue, "da-to-chuc", check_perm=False, held_on=held_on)
    dialogue.held_on = held_on
    _transition(dialogue, S.HELD, by=by, now=now, fields=["held_on"], changes={"held_on": held_on})
    for code in ("dialogue.review", "dialogue.result_publicize"):
        deadline_open(
            subject=dialogue,
            rule_code=code,
            trigger_date=held_on,
            commune=dialogue.commune,
            title=f"{statutes.get(code).title}: {dialogue.title}",
            url=dialogue.get_absolute_url(),
            by=by,
            now=now,
        )
    for petition in Petition.objects.filter(
        dialogue=dialogue, status__in=Petition.OPEN_STATUSES, duplicate_of__isnull=True
    ).select_related("commune", "village", "assignee"):
        _open_petition_deadline(petition, trigger=held_on, by=by, now=now)
    return dialogue


@transaction.atomic
def dialogue_review(*, dialogue: Dialogue, by, note: str = "", now: dt.datetime | None = None) -> Dialogue:
    """The chairman's review after the meeting: every open petition must have someone assigned or be forwarded."""
    now = now or timezone.now()
    require_perm(
        by, "dialogues.review_dialogue", dialogue, "Chỉ Chủ tịch, Phó Chủ tịch UBND xã rà soát hội nghị."
    )
    dialogue = lock(dialogue)
    DIALOGUE.require(dialogue, "ra-soat", check_perm=False)
    dialogue.reviewed_on = today_of(now)
    _transition(dialogue, S.REVIEWED, by=by, now=now, fields=["reviewed_on"], note=clean_text(note)[:2000])
    deadline_meet(subject=dialogue, rule_code="dialogue.review", by=by, now=now)
    return dialogue


@transaction.atomic
def dialogue_record_result_publicized(
    *, dialogue: Dialogue, by, on: dt.date | None = None, now: dt.datetime | None = None
) -> Dialogue:
    """Publicize the issued conclusion (THÔNG BÁO KẾT LUẬN) from ``on`` through the core publicity: at the commune
    office and the villages' cultural houses, on the portal and the radio, and sent to every village head, each
    posting due N days after the meeting (``dialogue.result_publicize``)."""
    now = now or timezone.now()
    today = today_of(now)
    on = on or today
    require_perm(by, "dialogues.change_dialogue", dialogue)
    dialogue = lock(dialogue)
    DIALOGUE.require_state(dialogue, "cong-khai-ket-qua")
    check_date(on, label="Ngày công khai", today=today, allow_future=False)
    DIALOGUE.require(dialogue, "cong-khai-ket-qua", check_perm=False, on=on)
    publication = publicize_result(dialogue=dialogue, on=on, by=by, now=now)
    dialogue.result_publicized_on = on
    dialogue.updated_at = now
    dialogue.save(update_fields=["result_publicized_on", "updated_at"])
    audit_record(
        actor=by,
        action="dialogue.result_publicized",
        obj=dialogue,
        now=now,
        changes={"on": [None, on], "publication": publication.pk},
    )
    deadline_meet(subject=dialogue, rule_code="dialogue.result_publicize", by=by, now=now)
    notify(
        recipients=village_heads(dialogue.villages.values_list("pk", flat=True))
        + members(dialogue.commune_id, Role.MTTQ),
        title=f"Thông báo kết luận hội nghị đối thoại: {dialogue.title}",
        body=f"Số {dialogue.conclusion_document.number_line_value()}.",
        url=dialogue.get_absolute_url(),
        key=f"dialogue:{dialogue.pk}:result",
        now=now,
    )
    return dialogue


@transaction.atomic
def dialogue_close(*, dialogue: Dialogue, by, now: dt.datetime | None = None) -> Dialogue:
    """Close a reviewed dialogue: refused while a petition is unanswered and untracked."""
    now = now or timezone.now()
    require_perm(by, "dialogues.change_dialogue", dialogue)
    dialogue = lock(dialogue)
    DIALOGUE.require(dialogue, "ket-thuc", check_perm=False)
    dialogue.closed_on = today_of(now)
    _transition(dialogue, S.CLOSED, by=by, now=now, fields=["closed_on"])
    return dialogue


@transaction.atomic
def dialogue_cancel(*, dialogue: Dialogue, by, reason: str, now: dt.datetime | None = None) -> Dialogue:
    now = now or timezone.now()
    require_perm(by, "dialogues.change_dialogue", dialogue)
    dialogue = lock(dialogue)
    reason = clean_line(reason, 500)
    DIALOGUE.require(dialogue, "huy", check_perm=False, reason=reason)
    dialogue.cancel_reason = reason
    _transition(dialogue, S.CANCELLED, by=by, now=now, fields=["cancel_reason"], note=reason)
    deadline_cancel_for(subject=dialogue, reason=f"Hủy hội nghị: {reason}", by=by, now=now)
    if withdraw_publications(dialogue=dialogue, by=by, reason=f"Hủy hội nghị: {reason}", now=now):
        notify(
            recipients=village_heads(dialogue.villages.values_list("pk", flat=True))
            + members(dialogue.commune_id, Role.MTTQ, Role.RADIO),
            title=f"Hủy hội nghị đối thoại ngày {fmt(timezone.localdate(dialogue.starts_at))}",
            body=f"{dialogue.title}. Lý do: {reason}",
            url=dialogue.get_absolute_url(),
            key=f"dialogue:{dialogue.pk}:cancelled",
            now=now,
        )
    return dialogue
