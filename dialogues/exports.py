"""XLSX export of petitions, written by portal/exports.py (the one writer: text cells are strings, never formulas;
text that a spreadsheet would read as a formula, = + - @ …, gets a leading apostrophe)."""

from __future__ import annotations

from django.utils import timezone

from portal.exports import xlsx_response

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


def petitions_xlsx_response(qs, *, filename: str):
    """The petitions as an XLSX download, through the portal's one formula-safe writer (portal/exports.py)."""
    rows = _rows(qs.select_related("dialogue", "village", "assignee", "duplicate_of"))
    return xlsx_response(f"{filename}-{timezone.localdate():%Y%m%d}.xlsx", "Kiến nghị", HEADER, rows)
