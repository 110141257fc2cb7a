"""Exports of comments and answers (CSV, XLSX), streamed in chunks; cells neutralized by portal.exports."""

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


def comments_csv(consultation, qs):
    return exports.csv_response(f"y-kien-{consultation.pk}.csv", HEADER, _rows(_plain(qs)))


def comments_xlsx(consultation, qs):
    return exports.xlsx_response(f"y-kien-{consultation.pk}.xlsx", "Ý kiến", HEADER, _rows(_plain(qs)))
