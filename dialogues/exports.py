"""XLSX export of petitions, written by portal/exports.py (the one writer: text cells are strings, never formulas;
text that a spreadsheet would read as a formula, = + - @ …, gets a leading apostrophe); a large one is built once
by the worker into a file (``portal.exports.table_response``)."""

from __future__ import annotations

from django.utils import timezone

from portal import exports

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


PETITIONS_TABLE = "dialogues.petitions"


def _petitions(
    *, user, dialogue_id: int | None = None, commune_id: int | None = None, year: int | None = None
):
    """What the person may read: one dialogue's petitions, or a commune's petitions received in a year."""
    from dialogues import selectors
    from dialogues.models import Dialogue

    if dialogue_id is not None:
        qs = selectors.petition_list(user=user, dialogue=Dialogue.objects.get(pk=dialogue_id))
    else:
        qs = selectors.petition_list(user=user, commune_id=commune_id).filter(received_on__year=year)
    return qs.order_by("id")


def petitions_table(*, user_id: int, filename: str, **where) -> exports.Table:
    from django.contrib.auth import get_user_model

    qs = _petitions(user=get_user_model().objects.get(pk=user_id), **where)
    rows = _rows(qs.select_related("dialogue", "village", "assignee", "duplicate_of"))
    return exports.Table(filename=filename, sheet="Kiến nghị", header=HEADER, rows=rows)


def petitions_export(request, *, filename: str, title: str, back_url: str, **where):
    """The petitions as XLSX: now if few, else a file the worker builds once per change of the petitions."""
    from django.db.models import Count, Max

    qs = _petitions(user=request.user, **where)
    filename = f"{filename}-{timezone.localdate():%Y%m%d}"

    def version() -> str:
        agg = qs.order_by().aggregate(n=Count("id"), last=Max("updated_at"))
        return f"{agg['n']}:{agg['last'].isoformat() if agg['last'] else ''}"

    return exports.table_response(
        request,
        name=PETITIONS_TABLE,
        params={"user_id": request.user.pk, "filename": filename, **where},
        version=version,
        fmt="xlsx",
        total=qs.count(),
        title=title,
        back_url=back_url,
    )
