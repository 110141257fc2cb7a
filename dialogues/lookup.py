"""What the core lookup page (/tra-cuu/?ma=KN-…) shows for a petition: one query, nothing the public may not read."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from dialogues.models import Answer, Petition
from portal import intake
from portal.text import to_html

KIND = "dialogues.petition"


def petition_found(code: str) -> intake.Found | None:
    latest = Answer.objects.filter(petition_id=OuterRef("pk")).order_by("-answered_on", "-id")
    petition = (
        Petition.objects.select_related("commune", "dialogue")
        .annotate(
            answer_text=Subquery(latest.values("text")[:1]), answer_kind=Subquery(latest.values("how")[:1])
        )
        .filter(tracking_code=code)
        .first()
    )
    if petition is None:
        return None
    title = (
        petition.dialogue.title if petition.dialogue_id else f"Kiến nghị gửi UBND xã {petition.commune.name}"
    )
    pending = ""
    if not petition.answer_text:
        if petition.status == Petition.Status.FORWARDED:
            pending = f"Đã chuyển {petition.forwarded_to}; UBND xã theo dõi, đôn đốc."
        elif petition.due_on:
            pending = f"Hạn trả lời: {petition.due_on:%d/%m/%Y}."
        else:
            pending = "Kiến nghị sẽ được trả lời tại hội nghị đối thoại hoặc bằng văn bản."
    answered_at = None
    if petition.answered_on:
        answered_at = timezone.make_aware(dt.datetime.combine(petition.answered_on, dt.time(12, 0)))
    return intake.Found(
        code=petition.tracking_code,
        title=title,
        received_at=petition.created_at,
        status=petition.get_status_display(),
        subject_url=reverse("dialogues:my_petition", args=[petition.tracking_code]),
        answer_label=dict(Answer.How.choices).get(petition.answer_kind or "", ""),
        answer_html=to_html(petition.answer_text) if petition.answer_text else "",
        answered_at=answered_at,
        pending=pending,
    )


def register() -> None:
    intake.register_lookup(KIND, petition_found, label="Kiến nghị", prefix="KN")
