"""The contest's and the models' (mô hình) workflows as data (portal/transitions.py): states, actions, who, guards.

Contest: open → judging (registration closed) → finalized (scores locked) — then awards and the results' publicity.
Model (mô hình "Dân vận khéo"): registered → implemented → assessed → recognized → replicated; the participant
reports the implementation, the organizers assess, recognize and replicate.

The services (campaigns/services/) call ``CONTEST.require(...)`` / ``INITIATIVE.require(...)``; the contest page's
and the participant page's buttons, the "Điều kiện chưa đáp ứng" list and the POST dispatch read the same tables.
"""

from __future__ import annotations

from campaigns.models import Contest, Initiative
from campaigns.services._common import LOCKED_MESSAGE, plan_due
from portal.transitions import Action, Guard, Workflow

PLAN = "Kế hoạch tổ chức cuộc thi của cấp ủy"
C = Contest.Status
I = Initiative.Status  # noqa: E741 - the states' initial, as in the other workflow tables
MANAGE = "campaigns.manage_contest"
DECISION_DRAFT_MESSAGE = (
    "Quyết định khen thưởng còn là dự thảo: ghi người ký (Tiêu đề và chữ ký văn bản) rồi bấm “Ban hành quyết định"
    " khen thưởng” ở mục Văn bản; kết quả chỉ công khai kèm quyết định đã ban hành."
)
SELF = "campaigns.self_assess"


def _fmt(d) -> str:
    return f"{d:%d/%m/%Y}" if d else "—"


# --- Contest --------------------------------------------------------------------------------------------------------


def _registration_open(c: Contest, ctx) -> bool | str:
    if c.registration_due is None or ctx["today"] <= plan_due(c.registration_due):
        return True
    return (
        f"Đã hết hạn đăng ký dự thi (hạn {_fmt(plan_due(c.registration_due))}); "
        "Ban Tổ chức không nhận thêm đơn vị, cá nhân dự thi."
    )


def _has_participants(c: Contest, ctx) -> bool:
    return c.participants.exists()


def _all_judged(c: Contest, ctx) -> bool | str:
    rows = ctx["rows"]
    unfinished = [r.participant.name for r in rows if r.judges_total == 0 or r.judges_done < r.judges_total]
    if unfinished:
        return f"Chưa đủ phiếu chấm của giám khảo cho: {', '.join(unfinished[:5])}."
    return True


def _all_complete(c: Contest, ctx) -> bool | str:
    incomplete = [r.participant.name for r in ctx["rows"] if not r.total.complete]
    if incomplete:
        return f"Còn tiêu chí chưa có điểm cuối (hoặc điểm cấp trên) của: {', '.join(incomplete[:5])}."
    return True


def _decision_not_issued(c: Contest, ctx) -> bool:
    return not (c.decision_document_id and c.decision_document.status == "issued")


def _rows(c: Contest) -> dict:
    from campaigns.selectors import contest_results

    return {"rows": contest_results(c)}


CONTEST = Workflow(
    "contest",
    noun="cuộc thi",
    states=C,
    actions=[
        Action(
            "dang-ky",
            label="Đăng ký dự thi",
            verb="đăng ký dự thi",
            source=[C.DRAFT, C.OPEN],
            # The organizers register anyone; a commune's office registers its own units (the service checks).
            perm="campaigns.view_contest",
            guards=[Guard(_registration_open, article=PLAN, needs=("today",))],
            button=False,
            report_unmet=False,
        ),
        Action(
            "cham-diem",
            label="Kết thúc đăng ký, bắt đầu chấm điểm",
            verb="kết thúc đăng ký",
            source=[C.OPEN],
            target=C.JUDGING,
            perm=MANAGE,
            guards=[Guard(_has_participants, "Chưa có đơn vị, cá nhân nào đăng ký dự thi.")],
            service="campaigns.services.contest_close_registration",
            secondary=True,
            note="Sau bước này không đăng ký thêm đơn vị dự thi; giám khảo tiếp tục chấm.",
        ),
        Action(
            "tong-ket",
            label="Tổng kết và khóa điểm",
            verb="tổng kết",
            source=[C.OPEN, C.JUDGING],
            target=C.FINALIZED,
            perm=MANAGE,
            guards=[Guard(_all_judged, article=PLAN), Guard(_all_complete, article=PLAN)],
            service="campaigns.services.contest_finalize",
            context=_rows,
            # The contest page lists these itself from the rows it already computed (one computation per page).
            report_unmet=False,
            button=False,
        ),
        Action(
            "khen-thuong",
            label="Thêm khen thưởng",
            verb="đề nghị khen thưởng",
            source=[C.FINALIZED],
            perm=MANAGE,
            guards=[
                Guard(_decision_not_issued, "Quyết định khen thưởng đã ban hành; không thêm được."),
                Guard(
                    lambda c, ctx: c.results_publicized_at is None,
                    "Kết quả và Quyết định khen thưởng đã công khai; không thêm khen thưởng được.",
                ),
            ],
            service="campaigns.services.award_add",
            button=False,
            report_unmet=False,
        ),
        Action(
            "cong-khai-ket-qua",
            label="Công khai kết quả",
            verb="công khai kết quả",
            source=[C.FINALIZED],
            perm=MANAGE,
            guards=[
                Guard(lambda c, ctx: c.results_publicized_at is None, "Kết quả đã được công khai."),
                Guard(
                    lambda c, ctx: c.awards.exists(),
                    "Chưa có tập thể, cá nhân nào được đề nghị khen thưởng.",
                ),
                Guard(
                    lambda c, ctx: c.decision_document_id is not None,
                    "Chưa lập Quyết định khen thưởng (văn bản) để công khai.",
                ),
                Guard(
                    lambda c, ctx: c.decision_document_id is None or c.decision_document.status == "issued",
                    DECISION_DRAFT_MESSAGE,
                ),
            ],
            service="campaigns.services.contest_results_publicize",
            visible=lambda c: c.results_publicized_at is None,
            note="Kết quả và Quyết định khen thưởng được công khai tại các xã dự thi (mục Công khai) "
            "và trên trang kết quả.",
        ),
    ],
)

# --- Models (mô hình) -------------------------------------------------------------------------------------------------

_OPEN = Guard(lambda m, ctx: not m.participant.contest.is_final, LOCKED_MESSAGE)


def _started(m: Initiative, ctx) -> bool | str:
    if m.started_on <= ctx["today"]:
        return True
    return f"Mô hình chưa đến ngày bắt đầu ({_fmt(m.started_on)})."


INITIATIVE = Workflow(
    "initiative",
    noun="mô hình",
    states=I,
    actions=[
        Action(
            "thuc-hien",
            label="Báo cáo đã triển khai",
            verb="báo cáo triển khai",
            source=[I.REGISTERED],
            target=I.IMPLEMENTED,
            perm=SELF,
            guards=[_OPEN, Guard(_started, needs=("today",))],
            service="campaigns.services.initiative_implement",
            secondary=True,
        ),
        Action(
            "danh-gia",
            label="Đánh giá",
            verb="đánh giá",
            source=[I.IMPLEMENTED],
            target=I.ASSESSED,
            perm=MANAGE,
            guards=[_OPEN],
            service="campaigns.services.initiative_assess",
            secondary=True,
        ),
        Action(
            "cong-nhan",
            label="Công nhận",
            verb="công nhận",
            source=[I.ASSESSED],
            target=I.RECOGNIZED,
            perm=MANAGE,
            guards=[_OPEN],
            service="campaigns.services.initiative_recognize",
            secondary=True,
        ),
        Action(
            "nhan-rong",
            label="Nhân rộng",
            verb="nhân rộng",
            source=[I.RECOGNIZED],
            target=I.REPLICATED,
            perm=MANAGE,
            guards=[_OPEN],
            service="campaigns.services.initiative_replicate",
            secondary=True,
        ),
    ],
)
