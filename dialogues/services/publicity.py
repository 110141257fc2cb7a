"""Publicizing a dialogue through the core publicity (portal/publicity): its notice (THÔNG BÁO: time, place,
content and how to attend, ≥ N days before the meeting; posted at the office, on the portal and the radio, and at the
cultural houses and to the heads of the dialogue's own villages) and its result (THÔNG BÁO KẾT LUẬN: at the commune office,
on the media and sent to village heads, ≤ N days after). Each is one Publication of the dialogue with its postings
and their deadlines; village heads confirm their postings on their phones (core pages)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dialogues.models import Dialogue
from portal.publicity import services as publicity
from portal.publicity.models import ContentItem, Form, Publication

# Điều 11 has no item of its own for a dialogue: item 14 ("other contents under the law or the commune's rules").
ITEM = ContentItem.OTHER
# Notice: on the media (portal, radio) and through the villages; result: at the office, on the media, to village
# heads (Luật 72/2025/QH15 Điều 43 as reported; see portal.statutes).
NOTICE_FORMS = [Form.POSTING, Form.PORTAL, Form.RADIO, Form.VILLAGE_HEAD]
RESULT_FORMS = [Form.POSTING, Form.PORTAL, Form.RADIO, Form.VILLAGE_HEAD]


class Phase:
    NOTICE = "dialogue_notice"
    RESULT = "dialogue_result"


def _where(dialogue: Dialogue) -> str:
    parts = [p for p in (dialogue.place, dialogue.online_link and f"trực tuyến: {dialogue.online_link}") if p]
    return "; ".join(parts)


def _issued(document):
    return document if document is not None and document.status == document.Status.ISSUED else None


def _concerned_villages(dialogue: Dialogue):
    """The villages the dialogue concerns (their cultural houses and heads get the notice); a dialogue that names
    none concerns the whole commune (None: every active village)."""
    return list(dialogue.villages.filter(active=True).order_by("name")) or None


def publicize_notice(*, dialogue: Dialogue, on: dt.date, by, now: dt.datetime) -> Publication:
    """The notice as a publication from ``on``; its postings are due N days before the meeting (the same rule the
    notice itself was checked against). Idempotent."""
    meeting = timezone.localtime(dialogue.starts_at)
    return publicity.publication_create(
        commune=dialogue.commune,
        title=f"Thông báo tổ chức {dialogue.title[0].lower()}{dialogue.title[1:]}"[:300],
        summary=(
            f"Thời gian: {meeting:%H:%M} ngày {meeting:%d/%m/%Y}. Địa điểm: {_where(dialogue)}. "
            f"Nội dung: {dialogue.topics or dialogue.title}"
        )[:2000],
        item=ITEM,
        forms=NOTICE_FORMS,
        decided_on=on,
        starts_on=on,
        subject=dialogue,
        phase=Phase.NOTICE,
        document=_issued(dialogue.notice_document),
        within_rule="dialogue.notice_before",
        due_from=meeting.date(),
        villages=_concerned_villages(dialogue),
        responsible="Văn phòng - Thống kê UBND xã",
        by=by,
        now=now,
    )


def publicize_result(*, dialogue: Dialogue, on: dt.date, by, now: dt.datetime) -> Publication:
    """The issued conclusion notice as a publication from ``on``; its postings are due N days after the meeting."""
    return publicity.publication_create(
        commune=dialogue.commune,
        title=f"Thông báo kết luận {dialogue.title[0].lower()}{dialogue.title[1:]}"[:300],
        summary=(dialogue.conclusion or "")[:2000],
        item=ITEM,
        forms=RESULT_FORMS,
        decided_on=dialogue.held_on,
        starts_on=on,
        subject=dialogue,
        phase=Phase.RESULT,
        document=dialogue.conclusion_document,
        within_rule="dialogue.result_publicize",
        responsible="Văn phòng - Thống kê UBND xã",
        by=by,
        now=now,
    )


def attach_issued_notice(document, *, by, now: dt.datetime) -> None:
    """The notice was publicized while its THÔNG BÁO was still a draft: once the document is issued, the notice's
    publication carries it (the register links its PDF when the dialogue has no public page). A hook of the documents
    engine (portal.registry.register_document_issued); other documents are ignored."""
    from portal.publicity.selectors import publications_for

    dialogue = Dialogue.objects.filter(notice_document=document).first()
    if dialogue is None:
        return
    for p in publications_for(dialogue):
        if p.phase == Phase.NOTICE and p.document_id is None and p.status != Publication.Status.WITHDRAWN:
            # The dialogue app acts as the system here; the issue itself is audited with who signed.
            publicity.publication_attach_document(publication=p, document=document, by=None, now=now)


def withdraw(*, dialogue: Dialogue, by, reason: str, now: dt.datetime) -> list[Publication]:
    """A cancelled dialogue's notice is withdrawn (kept, shown as withdrawn; its postings' deadlines waived)."""
    from portal.publicity.selectors import publications_for

    return [
        publicity.publication_withdraw(publication=p, by=by, reason=reason, now=now)
        for p in publications_for(dialogue)
        if p.status != Publication.Status.WITHDRAWN
    ]
