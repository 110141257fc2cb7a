"""The dialogue's and the petition's workflows as data (portal/transitions.py): states, actions, who, guards with
their article.

Dialogue: draft → noticed (≥ N days before) → held → reviewed (≤ 5 days) → closed; draft/noticed → cancelled.
Petition: received → assigned → answered → closed (satisfied) / reopened (not satisfied) → …; received/assigned/
reopened → forwarded (upper level) → answered.

The services (dialogues/services/) call ``DIALOGUE.require(...)`` / ``PETITION.require(...)`` under the row lock and
then do the work (and write the audit row); the dialogue page's and the petition page's buttons, POST dispatch and
"Điều kiện chưa đáp ứng" lists read the same tables.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dialogues.models import Dialogue, Petition
from portal import statutes
from portal.transitions import Action, Guard, Workflow

S = Dialogue.Status
P = Petition.Status
CHANGE = "dialogues.change_dialogue"
LGL = statutes.LGL_2025


def _fmt(d) -> str:
    return f"{d:%d/%m/%Y}" if d else "—"


# --- Thông báo (≥ N days before) -----------------------------------------------------------------------------------


def _notice_in_time(d: Dialogue, ctx) -> bool | str:
    rule = statutes.rule_for("dialogue.notice_before", d.commune)
    on: dt.date = ctx["on"]
    meeting = timezone.localdate(d.starts_at)
    ahead = (meeting - on).days
    if ahead >= rule.days:
        return True
    latest = meeting - dt.timedelta(days=rule.days)
    return (
        f"Không thể thông báo: phải thông báo trước ngày hội nghị ít nhất {rule.days} ngày "
        f"({rule.legal_source}). Hội nghị ngày {_fmt(meeting)} — chậm nhất phải thông báo ngày {_fmt(latest)}; "
        f"thông báo ngày {_fmt(on)} chỉ còn {max(ahead, 0)} ngày. Hãy dời ngày hội nghị."
    )


def _notice_context(d: Dialogue) -> dict:
    return {"on": timezone.localdate()}


# --- Sau hội nghị ---------------------------------------------------------------------------------------------------


def _all_assigned(d: Dialogue, ctx) -> bool | str:
    left = list(
        Petition.objects.filter(
            dialogue=d, status=P.RECEIVED, duplicate_of__isnull=True, assignee__isnull=True
        )
        .order_by("id")
        .values_list("tracking_code", flat=True)[:20]
    )
    if not left:
        return True
    return "Còn kiến nghị chưa giao người xử lý hoặc chưa chuyển cấp trên: " + ", ".join(left) + "."


def untracked_petitions(d: Dialogue):
    """Petitions that keep a dialogue open: not answered and not forwarded with a follow-up date."""
    from django.db.models import Q

    return Petition.objects.filter(dialogue=d, duplicate_of__isnull=True).filter(
        Q(status__in=Petition.OPEN_STATUSES) | Q(status=P.FORWARDED, follow_up_on__isnull=True)
    )


def _all_tracked(d: Dialogue, ctx) -> bool | str:
    left = list(untracked_petitions(d).order_by("id").values_list("tracking_code", flat=True)[:20])
    if not left:
        return True
    return "Chưa thể kết thúc: còn kiến nghị chưa được trả lời hoặc chưa theo dõi: " + ", ".join(left) + "."


def _conclusion_issued(d: Dialogue, ctx) -> bool:
    doc = d.conclusion_document
    return doc is not None and doc.status == doc.Status.ISSUED


def _result_after_issue(d: Dialogue, ctx) -> bool | str:
    doc = d.conclusion_document
    if doc is None or doc.issued_on is None or ctx["on"] >= doc.issued_on:
        return True
    return f"Ngày công khai không được trước ngày ban hành thông báo kết luận ({_fmt(doc.issued_on)})."


def _doc_draft(key: str):
    def visible(d: Dialogue) -> bool:
        doc = getattr(d, f"{key}_document")
        return doc is None or doc.status == doc.Status.DRAFT

    return visible


def _document(slug: str, key: str, label: str, source) -> Action:
    return Action(
        slug,
        label=f"Tạo/cập nhật {label}",
        verb=f"lập {label[0].lower()}{label[1:]}",
        source=source,
        perm=CHANGE,
        service=f"dialogues.services.dialogue_{key}_document",
        secondary=True,
        visible=_doc_draft(key),
        report_unmet=False,
    )


AFTER = [S.HELD, S.REVIEWED, S.CLOSED]

DIALOGUE = Workflow(
    "dialogue",
    noun="hội nghị",
    states=S,
    actions=[
        _document("van-ban-ke-hoach", "plan", "Kế hoạch", [S.DRAFT]),
        _document("van-ban-thong-bao", "notice", "Thông báo", [S.DRAFT]),
        _document("van-ban-giay-moi", "invitation", "Giấy mời", [S.DRAFT]),
        _document("van-ban-bien-ban", "minutes", "Biên bản", [S.NOTICED, *AFTER]),
        _document("van-ban-ket-luan", "conclusion", "Thông báo kết luận", AFTER),
        _document("van-ban-bao-cao", "report", "Báo cáo kết quả", AFTER),
        Action(
            "thong-bao",
            label="Thông báo",
            verb="thông báo hội nghị",
            source=[S.DRAFT],
            target=S.NOTICED,
            perm=CHANGE,
            guards=[Guard(_notice_in_time, needs=("on",))],
            service="dialogues.services.dialogue_publish_notice",
            form="dialogues.forms.DateForm",
            context=_notice_context,
            report_unmet=False,
        ),
        Action(
            "da-to-chuc",
            label="Ghi nhận hội nghị đã tổ chức",
            verb="ghi nhận đã tổ chức hội nghị",
            source=[S.NOTICED],
            target=S.HELD,
            perm="dialogues.run_meeting",
            guards=[
                Guard(
                    lambda d, ctx: not (d.notice_published_on and ctx["held_on"] < d.notice_published_on),
                    "Ngày tổ chức không thể trước ngày thông báo.",
                    needs=("held_on",),
                )
            ],
            service="dialogues.services.dialogue_mark_held",
            report_unmet=False,
        ),
        Action(
            "ra-soat",
            label="Chủ tịch rà soát, giao xử lý",
            verb="rà soát sau hội nghị",
            source=[S.HELD],
            target=S.REVIEWED,
            perm="dialogues.review_dialogue",
            guards=[Guard(_all_assigned, article=statutes.PROVINCIAL_DIALOGUE_RULE)],
            service="dialogues.services.dialogue_review",
            blocked_note="Chủ tịch, Phó Chủ tịch UBND xã rà soát hội nghị.",
        ),
        Action(
            "cong-khai-ket-qua",
            label="Công khai kết quả",
            verb="công khai kết quả hội nghị",
            source=AFTER,
            perm=CHANGE,
            guards=[
                Guard(
                    _conclusion_issued,
                    "Thông báo kết luận phải được ký ban hành trước khi công khai.",
                    article=LGL,
                ),
                Guard(
                    lambda d, ctx: d.result_publicized_on is None,
                    lambda d, ctx: (
                        f"Kết quả hội nghị đã được công khai từ ngày {_fmt(d.result_publicized_on)}."
                    ),
                ),
                Guard(_result_after_issue, needs=("on",)),
            ],
            service="dialogues.services.dialogue_record_result_publicized",
            form="dialogues.forms.DateForm",
            visible=lambda d: d.result_publicized_on is None,
        ),
        Action(
            "ket-thuc",
            label="Kết thúc hội nghị",
            verb="kết thúc hội nghị",
            source=[S.REVIEWED],
            target=S.CLOSED,
            perm=CHANGE,
            guards=[
                Guard(_all_tracked),
                Guard(
                    lambda d, ctx: d.result_publicized_on is not None,
                    "Chưa thể kết thúc: kết quả hội nghị chưa được công khai.",
                    article=LGL,
                ),
            ],
            service="dialogues.services.dialogue_close",
        ),
        Action(
            "huy",
            label="Hủy hội nghị",
            verb="hủy hội nghị",
            source=[S.DRAFT, S.NOTICED],
            target=S.CANCELLED,
            perm=CHANGE,
            guards=[
                Guard(lambda d, ctx: bool(ctx["reason"]), "Phải ghi lý do hủy hội nghị.", needs=("reason",))
            ],
            service="dialogues.services.dialogue_cancel",
            form="dialogues.forms.ReasonForm",
            secondary=True,
            report_unmet=False,
        ),
    ],
)

# --- Petitions ------------------------------------------------------------------------------------------------------

NOT_DUPLICATE = Guard(
    lambda p, ctx: p.duplicate_of_id is None,
    "Kiến nghị trùng được giải quyết theo kiến nghị chính của nhóm.",
)
OPEN = [P.RECEIVED, P.ASSIGNED, P.REOPENED]

ANSWERED_AFTER_RECEIPT = Guard(
    lambda p, ctx: ctx["answered_on"] >= p.received_on,
    "Ngày trả lời không thể trước ngày tiếp nhận kiến nghị.",
    needs=("answered_on",),
)

PETITION = Workflow(
    "petition",
    noun="kiến nghị",
    states=P,
    actions=[
        Action(
            "giao",
            label="Giao",
            verb="giao kiến nghị",
            source=OPEN,
            target=P.ASSIGNED,
            perm="dialogues.classify_petition",
            guards=[NOT_DUPLICATE],
            service="dialogues.services.petition_assign",
            form="dialogues.forms.AssignForm",
            legend="Giao cán bộ trả lời",
            done=lambda p: (
                f"Đã giao trả lời, hạn {p.due_on:%d/%m/%Y}." if p.due_on else "Đã giao chuẩn bị trả lời."
            ),
        ),
        Action(
            "chuan-bi",
            label="Lưu nội dung chuẩn bị",
            verb="chuẩn bị nội dung trả lời",
            source=OPEN,
            perm="dialogues.answer_petition",
            guards=[NOT_DUPLICATE],
            service="dialogues.services.petition_prepare_answer",
            form="dialogues.forms.PreparedAnswerForm",
            legend="Chuẩn bị trả lời (trước hội nghị)",
            secondary=True,
            report_unmet=False,
            done="Đã lưu nội dung trả lời chuẩn bị; nội dung này có trong tài liệu phục vụ chủ trì hội nghị.",
        ),
        Action(
            "tra-loi",
            label="Ghi nhận câu trả lời",
            verb="trả lời kiến nghị",
            source=OPEN,
            target=P.ANSWERED,
            perm="dialogues.answer_petition",
            guards=[
                NOT_DUPLICATE,
                ANSWERED_AFTER_RECEIPT,
            ],
            service="dialogues.services.petition_answer",
            form="dialogues.forms.AnswerForm",
            legend="Trả lời kiến nghị",
            done="Đã ghi nhận câu trả lời. Người kiến nghị xem được bằng mã tra cứu.",
        ),
        Action(
            "tra-loi-cap-tren",
            label="Ghi nhận cấp trên trả lời",
            verb="ghi nhận câu trả lời của cấp trên",
            source=[P.FORWARDED],
            target=P.ANSWERED,
            perm="dialogues.answer_petition",
            guards=[
                ANSWERED_AFTER_RECEIPT,
            ],
            service="dialogues.services.petition_answer",
            form="dialogues.forms.UpperAnswerForm",
            legend="Ghi nhận trả lời của cấp trên",
            done="Đã ghi nhận câu trả lời của cấp trên.",
        ),
        Action(
            "chuyen",
            label="Chuyển và theo dõi",
            verb="chuyển kiến nghị",
            source=OPEN,
            target=P.FORWARDED,
            perm="dialogues.answer_petition",
            guards=[NOT_DUPLICATE],
            service="dialogues.services.petition_forward",
            form="dialogues.forms.ForwardForm",
            legend="Chuyển cấp trên (vượt thẩm quyền)",
            secondary=True,
            done="Đã chuyển cấp trên; kiến nghị được theo dõi đến ngày đôn đốc.",
        ),
        Action(
            "danh-gia",
            label="Gửi đánh giá",
            verb="đánh giá câu trả lời",
            source=[P.ANSWERED],
            perm="dialogues.view_petition",  # the petitioner holds the code: no account (check_perm=False)
            service="dialogues.services.petition_feedback",
            button=False,
        ),
    ],
)
