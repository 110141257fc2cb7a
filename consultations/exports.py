"""Exports of comments and answers (CSV, XLSX); cells neutralized by portal.exports, large ones built once as a
file by the worker (``portal.exports.table_response``)."""

from __future__ import annotations

from django.utils import timezone

from portal import exports

HEADER = [
    "Mã",
    "Thời điểm nhận",
    "Hình thức",
    "Thôn",
    "Tổ chức",
    "Điều khoản",
    "Họ và tên",
    "Nội dung góp ý",
    "Trạng thái",
    "Trả lời",
    "Nội dung tiếp thu, giải trình",
    "Người trả lời",
    "Trùng với",
    "Đã ẩn",
    "Lý do ẩn",
]


def _rows(qs):
    for c in qs.iterator(chunk_size=2000):
        yield [
            c.tracking_code,
            timezone.localtime(c.received_at).strftime("%d/%m/%Y %H:%M"),
            c.get_channel_display(),
            c.village.name if c.village_id else "",
            c.organization.name if c.organization_id else "",
            c.article.label if c.article_id else "",
            c.author_name,
            c.text,
            c.get_status_display(),
            c.get_answer_kind_display() if c.answer_kind else "",
            c.answer_text,
            (c.answered_by.get_full_name() or c.answered_by.username) if c.answered_by_id else "",
            c.merged_into.tracking_code if c.merged_into_id else "",
            "Có" if c.hidden else "",
            c.hidden_reason,
        ]


def _plain(qs):
    return qs.select_related(
        "article__parent", "village", "organization", "answered_by", "merged_into"
    ).order_by("received_at", "id")


COMMENTS_TABLE = "consultations.comments"


def comments_table(*, consultation_id: int, user_id: int, query: str) -> exports.Table:
    """The staff comment list as the person filtered it (``query``: the list's query string), for the export."""
    from django.contrib.auth import get_user_model
    from django.http import QueryDict

    from consultations import selectors
    from consultations.filters import CommentFilter
    from consultations.models import Consultation

    consultation = Consultation.objects.get(pk=consultation_id)
    user = get_user_model().objects.get(pk=user_id)
    data = QueryDict(query)
    qs = selectors.comment_list(user=user, consultation=consultation)
    f = CommentFilter(
        data or None, queryset=qs, consultation=consultation, version=selectors.current_version(consultation)
    )
    return exports.Table(
        filename=f"y-kien-{consultation.pk}", sheet="Ý kiến", header=HEADER, rows=_rows(_plain(f.qs))
    )


def comments_export(request, consultation, qs, fmt: str):
    """The filtered list ``qs`` as CSV/XLSX: now if small, else a file the worker builds once per data version."""
    from django.urls import reverse

    params = {
        "consultation_id": consultation.pk,
        "user_id": request.user.pk,
        "query": request.GET.urlencode(),
    }
    return exports.table_response(
        request,
        name=COMMENTS_TABLE,
        params=params,
        version=consultation.staff_version,  # every change to a comment, staff-only ones included
        fmt=fmt,
        total=qs.count(),
        title=f"Ý kiến góp ý — {consultation.title}",
        back_url=reverse("consultations:comments", args=[consultation.pk])
        + (f"?{params['query']}" if params["query"] else ""),
    )
