"""The Front's supervision notes on a dialogue and its follow-up (Luật 10/2022/QH15, Điều 28.6)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dialogues.models import Dialogue, Petition, SupervisionNote
from portal.audit import audit_record
from portal.text import clean_text

from ._base import require_perm


@transaction.atomic
def supervision_note_add(
    *, dialogue: Dialogue, by, text: str, petition: Petition | None = None, now: dt.datetime | None = None
) -> SupervisionNote:
    now = now or timezone.now()
    require_perm(by, "dialogues.supervise_dialogue", dialogue, "Chỉ Ủy ban MTTQ xã ghi ý kiến giám sát.")
    text = clean_text(text)
    if not text:
        raise ValidationError("Phải ghi nội dung giám sát.")
    if len(text) > 5000:
        raise ValidationError("Nội dung giám sát dài quá 5.000 ký tự.")
    if petition is not None and petition.dialogue_id != dialogue.pk:
        raise ValidationError("Kiến nghị không thuộc hội nghị này.")
    note = SupervisionNote(dialogue=dialogue, petition=petition, text=text, author=by, created_at=now)
    note.full_clean()
    note.save()
    audit_record(actor=by, action="dialogue.supervision_note", obj=dialogue, now=now, note=text[:300])
    return note
