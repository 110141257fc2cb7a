"""The dialogue's official documents, generated from its data through the documents engine's public API.

Each is created as a draft (refreshed from the data while still a draft), edited in the documents app, numbered and
dated by the register when a leader issues it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dialogues import document_specs
from dialogues.models import Answer, Attendance, Dialogue, Petition
from portal import lookups, statutes
from portal.audit import audit_record
from portal.documents.services import document_create_from_spec, document_update_from_spec
from portal.models import Organization

from ._base import check_year, fmt, require_perm, today_of
from .lifecycle import lock

DOC_FIELDS = {
    "plan": "plan_document",
    "invitation": "invitation_document",
    "notice": "notice_document",
    "minutes": "minutes_document",
    "conclusion": "conclusion_document",
    "report": "report_document",
}


def signer_of(commune_id: int, host=None) -> dict:
    """The host signs when he is one of the commune's leaders; otherwise the commune's signer."""
    chosen = lookups.signer(commune_id, prefer=host)
    return chosen.as_spec() if chosen else {}


def issuer_of(commune_id: int) -> Organization:
    return lookups.peoples_committee(commune_id)


def dialogue_data(dialogue: Dialogue) -> dict:
    host = dialogue.host
    return {
        "commune_name": dialogue.commune.name,
        "title": dialogue.title,
        "starts_at": timezone.localtime(dialogue.starts_at),
        "duration_minutes": dialogue.duration_minutes,
        "place": dialogue.place,
        "online_link": dialogue.online_link,
        "villages": list(dialogue.villages.order_by("name").values_list("name", flat=True)),
        "host_name": (host.get_full_name() or host.username) if host else "",
        "co_chairs": dialogue.co_chairs,
        "participants": dialogue.participants,
        "topics": dialogue.topics,
        "officials_present": dialogue.officials_present,
        "minutes_notes": dialogue.minutes_notes,
        "conclusion": dialogue.conclusion,
        "held_on": dialogue.held_on,
        "answer_days": statutes.rule_for("dialogue.petition_answer", dialogue.commune).days,
        "review_days": statutes.rule_for("dialogue.review", dialogue.commune).days,
    }


def _save(dialogue: Dialogue, key: str, spec: dict, *, by, now) -> Dialogue:
    field = DOC_FIELDS[key]
    existing = getattr(dialogue, field)
    if existing is not None and existing.status != existing.Status.DRAFT:
        raise ValidationError("Văn bản đã được ban hành; không tạo lại được.")
    if existing is None:
        document = document_create_from_spec(
            spec=spec, issuer=issuer_of(dialogue.commune_id), by=by, commune=dialogue.commune, now=now
        )
        setattr(dialogue, field, document)
        dialogue.save(update_fields=[field])
    else:
        document = document_update_from_spec(document=existing, spec=spec, by=by, now=now)
    audit_record(actor=by, action=f"dialogue.{field}", obj=dialogue, now=now, changes={field: document.pk})
    return dialogue


def _prepare(dialogue: Dialogue, by, now):
    require_perm(by, "dialogues.change_dialogue", dialogue)
    dialogue = lock(dialogue)
    return dialogue, dialogue_data(dialogue), today_of(now), signer_of(dialogue.commune_id, dialogue.host)


@transaction.atomic
def dialogue_plan_document(*, dialogue: Dialogue, by, now: dt.datetime | None = None) -> Dialogue:
    now = now or timezone.now()
    dialogue, data, today, signer = _prepare(dialogue, by, now)
    return _save(dialogue, "plan", document_specs.plan_spec(data, on=today, signer=signer), by=by, now=now)


@transaction.atomic
def dialogue_invitation_document(*, dialogue: Dialogue, by, now: dt.datetime | None = None) -> Dialogue:
    now = now or timezone.now()
    dialogue, data, today, signer = _prepare(dialogue, by, now)
    return _save(
        dialogue, "invitation", document_specs.invitation_spec(data, on=today, signer=signer), by=by, now=now
    )


@transaction.atomic
def dialogue_notice_document(*, dialogue: Dialogue, by, now: dt.datetime | None = None) -> Dialogue:
    now = now or timezone.now()
    dialogue, data, today, signer = _prepare(dialogue, by, now)
    return _save(
        dialogue, "notice", document_specs.notice_spec(data, on=today, signer=signer), by=by, now=now
    )


def _outcome(p: Petition) -> str:
    if p.answer_how == Answer.How.AT_MEETING:
        return "Đã trả lời tại hội nghị."
    if p.status == Petition.Status.FORWARDED:
        return f"Chuyển {p.forwarded_to}; hẹn đôn đốc ngày {fmt(p.follow_up_on)}."
    if p.assignee_id:
        name = p.assignee.get_full_name() or p.assignee.username
        return f"Giao {name} trả lời trước ngày {fmt(p.due_on)}."
    return "Chưa phân công."


def _petition_row(p: Petition) -> dict:
    return {
        "code": p.tracking_code,
        "text": p.text[:600],
        "petitioner": p.petitioner_name,
        "village": p.village.name if p.village_id else "",
        "outcome": _outcome(p),
        "status": p.get_status_display(),
        "received": fmt(p.received_on),
    }


def _meeting_petitions(dialogue: Dialogue):
    from dialogues.selectors import counted

    return (
        counted(Petition.objects.filter(dialogue=dialogue))
        .select_related("village", "assignee")
        .order_by("id")
    )


@transaction.atomic
def dialogue_minutes_document(*, dialogue: Dialogue, by, now: dt.datetime | None = None) -> Dialogue:
    now = now or timezone.now()
    dialogue, data, today, signer = _prepare(dialogue, by, now)
    if dialogue.status in (Dialogue.Status.DRAFT, Dialogue.Status.CANCELLED):
        raise ValidationError("Chỉ lập biên bản khi hội nghị đã được thông báo và tổ chức.")
    petitions = [
        _petition_row(p) for p in _meeting_petitions(dialogue)[: document_specs.REPORT_PETITION_LIMIT]
    ]
    groups = dict(Attendance.Group.choices)
    attendance = [
        {
            "village": a.village.name if a.village_id else "",
            "group": groups.get(a.group, a.group),
            "count": a.count,
        }
        for a in Attendance.objects.filter(dialogue=dialogue)
        .select_related("village")
        .order_by("village__name", "group")
    ]
    spec = document_specs.minutes_spec(
        data, on=today, petitions=petitions, attendance=attendance, signer=signer
    )
    return _save(dialogue, "minutes", spec, by=by, now=now)


@transaction.atomic
def dialogue_conclusion_document(*, dialogue: Dialogue, by, now: dt.datetime | None = None) -> Dialogue:
    """THÔNG BÁO KẾT LUẬN from the meeting's outcomes: answered, assigned (whom, by when), forwarded."""
    from dialogues.selectors import petition_stats

    now = now or timezone.now()
    dialogue, data, today, signer = _prepare(dialogue, by, now)
    if dialogue.status not in (Dialogue.Status.HELD, Dialogue.Status.REVIEWED, Dialogue.Status.CLOSED):
        raise ValidationError("Chỉ lập thông báo kết luận sau khi hội nghị đã được tổ chức.")
    groups: dict[str, list] = {"answered": [], "assigned": [], "forwarded": []}
    answers = {
        a.petition_id: a.text
        for a in Answer.objects.filter(petition__dialogue=dialogue, how=Answer.How.AT_MEETING).only(
            "petition_id", "text"
        )
    }
    for p in _meeting_petitions(dialogue)[: document_specs.REPORT_PETITION_LIMIT]:
        row = _petition_row(p)
        if p.answer_how == Answer.How.AT_MEETING:
            groups["answered"].append({**row, "answer": answers.get(p.pk, "")[:600]})
        elif p.forwarded_on:
            groups["forwarded"].append({**row, "to": p.forwarded_to, "follow_up": fmt(p.follow_up_on)})
        elif p.assignee_id:
            groups["assigned"].append(
                {**row, "assignee": p.assignee.get_full_name() or p.assignee.username, "due": fmt(p.due_on)}
            )
    stats = petition_stats(Petition.objects.filter(dialogue=dialogue))
    spec = document_specs.conclusion_spec(data, on=today, groups=groups, stats=stats, signer=signer)
    return _save(dialogue, "conclusion", spec, by=by, now=now)


@transaction.atomic
def dialogue_report_document(*, dialogue: Dialogue, by, now: dt.datetime | None = None) -> Dialogue:
    from dialogues.models import Survey
    from dialogues.selectors import petition_stats

    now = now or timezone.now()
    dialogue, data, today, signer = _prepare(dialogue, by, now)
    stats = petition_stats(
        Petition.objects.filter(dialogue=dialogue), survey_qs=Survey.objects.filter(dialogue=dialogue)
    )
    rows = [
        _petition_row(p) for p in _meeting_petitions(dialogue)[: document_specs.REPORT_PETITION_LIMIT + 1]
    ]
    spec = document_specs.report_spec(
        commune_name=data["commune_name"],
        title=f"Kết quả {dialogue.title[0].lower()}{dialogue.title[1:]}",
        on=today,
        stats=stats,
        petitions=rows,
        total=stats["total"],
        signer=signer,
        dialogues=[
            f"{dialogue.title}, ngày {fmt(dialogue.held_on)} tại {dialogue.place or dialogue.online_link}."
        ],
    )
    return _save(dialogue, "report", spec, by=by, now=now)


@transaction.atomic
def year_report_document(*, commune, year: int, by, now: dt.datetime | None = None):
    """BÁO CÁO kết quả tiếp xúc, đối thoại of a year (a new draft each time it is asked for)."""
    from dialogues.models import Survey
    from dialogues.selectors import petition_stats

    now = now or timezone.now()
    require_perm(by, "dialogues.change_dialogue", commune)
    check_year(year, today=today_of(now))
    petitions = Petition.objects.filter(commune=commune, received_on__year=year)
    stats = petition_stats(
        petitions, survey_qs=Survey.objects.filter(dialogue__commune=commune, dialogue__starts_at__year=year)
    )
    dialogues = [
        f"{d.title}, ngày {fmt(d.held_on)}."
        for d in Dialogue.objects.filter(commune=commune, held_on__year=year).order_by("held_on")[:50]
    ]
    rows = [
        _petition_row(p)
        for p in petitions.filter(duplicate_of__isnull=True)
        .select_related("village", "assignee")
        .order_by("id")[: document_specs.REPORT_PETITION_LIMIT + 1]
    ]
    spec = document_specs.report_spec(
        commune_name=commune.name,
        title=f"Kết quả tiếp xúc, đối thoại và giải quyết kiến nghị của Nhân dân năm {year}",
        on=today_of(now),
        stats=stats,
        petitions=rows,
        total=stats["total"],
        signer=signer_of(commune.pk),
        dialogues=[
            f"Số hội nghị đối thoại đã tổ chức: {len(dialogues)} (Luật 10/2022/QH15, Điều 32: ít nhất 01 "
            "hội nghị/năm).",
            *dialogues,
        ],
    )
    document = document_create_from_spec(
        spec=spec, issuer=issuer_of(commune.pk), by=by, commune=commune, now=now
    )
    audit_record(actor=by, action="dialogue.year_report", obj=document, now=now, changes={"year": year})
    return document


@transaction.atomic
def petition_answer_letter(*, petition: Petition, by, text: str, now: dt.datetime | None = None):
    """A draft công văn answering a petition in writing; once issued it is the answer's letter and proof."""
    from portal.text import clean_text

    now = now or timezone.now()
    require_perm(by, "dialogues.answer_petition", petition)
    text = clean_text(text)
    if not text:
        raise ValidationError("Phải ghi nội dung trả lời.")
    spec = document_specs.answer_letter_spec(
        _petition_row(petition),
        commune_name=petition.commune.name,
        on=today_of(now),
        text=text[:10000],
        signer=signer_of(petition.commune_id),
    )
    document = document_create_from_spec(
        spec=spec, issuer=issuer_of(petition.commune_id), by=by, commune=petition.commune, now=now
    )
    audit_record(actor=by, action="petition.letter", obj=petition, now=now, changes={"document": document.pk})
    return document
