"""Comments in the core lookup page (``/tra-cuu/``): the resolver registered with portal.intake."""

from __future__ import annotations

from django.urls import reverse

from consultations.models import RESULT_STATUSES, Audience, Comment
from portal.intake import Found

KIND = "consultations.comment"
LABEL = "Ý kiến"  # the lookup page heading reads "Ý kiến 4K7M-9QXA"
PENDING = "Ý kiến đang được tổng hợp; trả lời sẽ được công khai khi có kết quả."


def comment_found(code: str) -> Found | None:
    """A comment of a people's consultation by its code (one query; never its contact details)."""
    comment = (
        Comment.objects.filter(tracking_code=code, consultation__audience=Audience.PEOPLE)
        .select_related("consultation", "article", "merged_into")
        .first()
    )
    if comment is None:
        return None
    shown = comment.merged_into if comment.merged_into_id else comment
    # A hidden comment: whoever holds the code learns that it was hidden, not its text, reason or answer.
    answer_public = (
        not comment.hidden and comment.consultation.status in RESULT_STATUSES and bool(shown.answer_kind)
    )
    return Found(
        code=comment.tracking_code,
        title=comment.consultation.title,
        subject_url=reverse("consultations:public_detail", args=[comment.consultation_id]),
        received_at=comment.received_at,
        status=comment.get_status_display(),
        answer_label=shown.get_answer_kind_display() if answer_public else "",
        answer_html=shown.answer_html if answer_public else "",
        answered_at=shown.answered_at if answer_public else None,
        pending="" if answer_public else ("" if comment.hidden else PENDING),
        template="consultations/intake/comment_found.html",
        extra={"comment": comment, "shown": shown},
    )
