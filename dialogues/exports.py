"""XLSX export of petitions. Every cell is written as a string or a number, never as a formula: a value a citizen
typed that starts with = + - @ (or a tab / carriage return) is stored with a leading apostrophe-free quote prefix so
no spreadsheet program evaluates it."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook

HEADER = [
    "Mã",
    "Ngày tiếp nhận",
    "Hội nghị",
    "Kênh",
    "Nguồn",
    "Thôn",
    "Lĩnh vực",
    "Thẩm quyền",
    "Loại đơn",
    "Người kiến nghị",
    "Nội dung",
    "Trạng thái",
    "Cán bộ được giao",
    "Hạn trả lời",
    "Ngày trả lời",
    "Hình thức trả lời",
    "Đúng hạn",
    "Chuyển đến",
    "Trùng với",
    "Hài lòng",
]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value that a spreadsheet shows as text: formula-looking strings get a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def _d(d) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


def _rows(qs):
    how = {
        "at_meeting": "Tại hội nghị",
        "in_person": "Trực tiếp",
        "in_writing": "Văn bản",
        "upper_level": "Cấp trên",
    }
    for p in qs.iterator(chunk_size=2000):
        yield [
            p.tracking_code,
            _d(p.received_on),
            p.dialogue.title if p.dialogue_id else "",
            p.get_channel_display(),
            p.get_provenance_display(),
            p.village.name if p.village_id else "",
            p.get_field_display() if p.field else "",
            p.get_competence_display() if p.competence else "",
            p.get_kind_display(),
            p.petitioner_name,
            p.text,
            p.get_status_display(),
            (p.assignee.get_full_name() or p.assignee.username) if p.assignee_id else "",
            _d(p.due_on),
            _d(p.answered_on),
            how.get(p.answer_how, ""),
            {True: "Có", False: "Không"}.get(p.answered_on_time, ""),
            p.forwarded_to,
            p.duplicate_of.tracking_code if p.duplicate_of_id else "",
            {True: "Hài lòng", False: "Chưa hài lòng"}.get(p.satisfied, ""),
        ]


def petitions_xlsx(qs, *, title: str = "Kiến nghị") -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append(HEADER)
    for row in _rows(qs.select_related("dialogue", "village", "assignee", "duplicate_of")):
        cells = []
        for value in row:
            value = safe_cell(value)
            cells.append(value)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def filename(prefix: str) -> str:
    return f"{prefix}-{timezone.localdate():%Y%m%d}.xlsx"


__all__ = ["HEADER", "filename", "petitions_xlsx", "safe_cell"]
