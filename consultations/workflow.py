"""The consultation's workflow as data (portal/transitions.py): states, actions, who, guards with their article.

draft → published → open → closed → synthesis → results_published → adopted → publicized → reported

The services (consultations/services/lifecycle.py) call ``CONSULTATION.require(...)``; the manage page's buttons,
its "Điều kiện chưa đáp ứng" list and the POST dispatch (``consultation_transition``) read the same table.
"""

from __future__ import annotations

from consultations.models import Comment, Consultation, OrganizationSummary, PublicityPhase
from portal import statutes
from portal.transitions import Action, Guard, Workflow

LAW = "Luật 10/2022/QH15"
S = Consultation.Status
CHANGE = "consultations.change_consultation"
ADOPT = "consultations.adopt_consultation"


def _fmt(d) -> str:
    return f"{d:%d/%m/%Y}" if d else "—"


DOCUMENT_DONE = "Đã tạo văn bản từ dữ liệu cuộc lấy ý kiến; xem, sửa và trình ký ở mục Văn bản."


def _plan_saved(c: Consultation) -> str:
    """After "Lưu kế hoạch": what was recorded, and what comes next (the state does not change)."""
    sent = [
        f"gửi {name} ngày {_fmt(d)}"
        for name, d in (
            ("HĐND xã", c.plan_sent_hdnd_on),
            ("Ủy ban MTTQ xã", c.plan_sent_mttq_on),
            ("Công đoàn cơ sở", c.plan_sent_union_on),
        )
        if d is not None
    ]
    text = f"Đã lưu kế hoạch: ban hành ngày {_fmt(c.plan_issued_on)}"
    text += f", {', '.join(sent)}." if sent else "; chưa ghi ngày gửi."
    return text + " Bước tiếp theo: công bố kế hoạch và dự thảo."


def _published(c: Consultation) -> str:
    if c.status == S.OPEN:
        return f"Đã công bố kế hoạch và dự thảo; đang lấy ý kiến đến hết ngày {_fmt(c.closes_on)}."
    return (
        f"Đã công bố kế hoạch và dự thảo; hệ thống mở lấy ý kiến ngày {_fmt(c.opens_on)} "
        f"và kết thúc sau ngày {_fmt(c.closes_on)}."
    )


def _reviewer(c: Consultation) -> str:
    return "Ủy ban MTTQ xã" if c.is_people else "Công đoàn cơ sở"


# --- Công bố (Điều 28 khoản 1–2) -----------------------------------------------------------------------------------


def _plan_sent_union(c: Consultation, ctx) -> bool:
    return c.is_people or c.plan_sent_union_on is not None


def _plan_sent(c: Consultation, ctx) -> bool | str:
    if not c.is_people:
        return True
    missing = [
        name
        for name, d in (("HĐND xã", c.plan_sent_hdnd_on), ("Ủy ban MTTQ xã", c.plan_sent_mttq_on))
        if d is None
    ]
    return f"Kế hoạch chưa được gửi đến {' và '.join(missing)}" if missing else True


def _window_long_enough(c: Consultation, ctx) -> bool | str:
    if not c.is_people:
        return True
    publicized_on = ctx["publicized_on"]
    earliest = statutes.CONSULTATION_MIN_WINDOW.due(publicized_on)
    if c.closes_on >= earliest:
        return True
    days = statutes.CONSULTATION_MIN_WINDOW.days
    return (
        f"Thời gian lấy ý kiến Nhân dân phải ít nhất {days} ngày kể từ ngày công khai nội dung "
        f"(Điều 28 khoản 2 {LAW}): công khai ngày {_fmt(publicized_on)} thì sớm nhất kết thúc ngày "
        f"{_fmt(earliest)}, nhưng kế hoạch kết thúc ngày {_fmt(c.closes_on)}."
    )


def _summary_due(c: Consultation, ctx) -> bool | str:
    if c.summary_due_on is None:
        return f"Kế hoạch chưa ấn định hạn {_reviewer(c)} gửi kết quả tổng hợp ý kiến."
    if c.summary_due_on < c.closes_on:
        return "Hạn gửi kết quả tổng hợp không được trước ngày kết thúc lấy ý kiến."
    return True


def _opens_after_plan(c: Consultation, ctx) -> bool | str:
    if c.opens_on >= ctx["issued_on"]:
        return True
    return (
        f"Ngày bắt đầu lấy ý kiến ({_fmt(c.opens_on)}) không được trước ngày ban hành kế hoạch "
        f"({_fmt(ctx['issued_on'])}): nội dung chỉ được công khai sau khi kế hoạch được ban hành."
    )


# What the KẾ HOẠCH itself fixes (window, reviewer's due date, the draft): a plan that breaks them is not signed,
# and the same sentences head the manage page's "Điều kiện chưa đáp ứng" (the plan is read as publicized on the
# window's first day, the latest day allowed).
PLAN_GUARDS = [
    Guard(
        lambda c, ctx: c.versions.filter(articles__isnull=False).exists(),
        "Chưa có dự thảo (chưa có điều khoản nào để lấy ý kiến).",
    ),
    Guard(_window_long_enough, article=f"Điều 28 khoản 2 {LAW}", needs=("publicized_on",)),
    Guard(_opens_after_plan, needs=("issued_on",)),
    Guard(_summary_due),
]


def plan_problems(c: Consultation, *, issued_on) -> list[str]:
    """The statutory rules the consultation breaks, as the KẾ HOẠCH issued on ``issued_on`` would state them."""
    return [str(r) for r in CONSULTATION.unmet(c, "ke-hoach", issued_on=issued_on)]


PUBLISH_GUARDS = [
    Guard(
        lambda c, ctx: c.plan_issued_on is not None,
        "Chưa ban hành kế hoạch lấy ý kiến",
        article=f"Điều 28 khoản 1 {LAW}",
    ),
    Guard(_plan_sent, article=f"Điều 28 khoản 1 {LAW}"),
    Guard(_plan_sent_union, "Kế hoạch chưa được gửi đến Công đoàn cơ sở", article=f"Điều 54 {LAW}"),
    Guard(
        lambda c, ctx: c.versions.filter(articles__isnull=False).exists(),
        "Chưa có dự thảo (chưa có điều khoản nào để lấy ý kiến).",
    ),
    Guard(
        lambda c, ctx: not (c.plan_issued_on and ctx["publicized_on"] < c.plan_issued_on),
        "Ngày công khai không được trước ngày ban hành kế hoạch.",
        needs=("publicized_on",),
    ),
    Guard(
        lambda c, ctx: c.opens_on >= ctx["publicized_on"],
        lambda c, ctx: (
            f"Ngày bắt đầu lấy ý kiến ({_fmt(c.opens_on)}) không được trước ngày công khai "
            f"nội dung ({_fmt(ctx['publicized_on'])})."
        ),
        needs=("publicized_on",),
    ),
    Guard(_window_long_enough, article=f"Điều 28 khoản 2 {LAW}", needs=("publicized_on",)),
    Guard(_summary_due),
]

# --- Công khai kết quả (Điều 28 khoản 3, 6) ------------------------------------------------------------------------


def _all_answered(c: Consultation, ctx) -> bool | str:
    pending = (
        Comment.objects.filter(consultation=c, hidden=False, merged_into__isnull=True)
        .exclude(status=Comment.Status.ANSWERED)
        .count()
    )
    return f"Còn {pending} ý kiến chưa được tiếp thu, giải trình" if pending else True


def _summary_received(c: Consultation, ctx) -> bool | str:
    if OrganizationSummary.objects.filter(consultation=c, submitted_at__isnull=False).exists():
        return True
    return f"Chưa nhận kết quả tổng hợp ý kiến của {_reviewer(c)} (theo Kế hoạch lấy ý kiến; Điều 28 khoản 6 {LAW})."


def _report_issued(c: Consultation, ctx) -> bool | str:
    """The results published are those of the signed BÁO CÁO tổng hợp, tiếp thu, giải trình (as the plan is)."""
    report = c.report_document
    if report is not None and report.status != report.Status.DRAFT:
        return True
    if report is None:
        return (
            "Chưa lập Báo cáo tổng hợp, tiếp thu, giải trình: bấm “Lập Báo cáo tổng hợp (văn bản)”, rồi trình "
            "lãnh đạo ký ban hành ở mục Văn bản."
        )
    return (
        "Báo cáo tổng hợp, tiếp thu, giải trình chưa được lãnh đạo ký ban hành (mục Văn bản); "
        "công khai kết quả theo báo cáo đã ký."
    )


RESULTS_GUARDS = [
    Guard(_all_answered, article=f"Điều 28 khoản 3 {LAW}"),
    Guard(_summary_received, article=f"Điều 28 khoản 6 {LAW}"),
    Guard(_report_issued, article=f"Điều 28 khoản 3 {LAW}"),
    Guard(
        lambda c, ctx: (
            not (
                c.report_document_id
                and c.report_document.issued_on
                and ctx["issued_on"] < c.report_document.issued_on
            )
        ),
        "Ngày công khai kết quả không được trước ngày ký Báo cáo tổng hợp.",
        needs=("issued_on",),
    ),
    Guard(
        lambda c, ctx: ctx["issued_on"] >= c.closes_on,
        "Ngày báo cáo kết quả không được trước ngày kết thúc lấy ý kiến.",
        needs=("issued_on",),
    ),
    Guard(
        lambda c, ctx: ctx["issued_on"] <= ctx["today"],
        "Ngày báo cáo kết quả không được sau ngày hôm nay.",
        needs=("issued_on", "today"),
    ),
]

# --- Ban hành (Điều 28 khoản 5) ------------------------------------------------------------------------------------


def _decision_issued(c: Consultation, ctx) -> bool | str:
    """Adoption is the signed QUYẾT ĐỊNH (its number and date from the register), not a number typed in."""
    decision = c.decision_document
    if decision is not None and decision.status != decision.Status.DRAFT:
        return True
    if decision is None:
        return (
            "Chưa lập Quyết định ban hành: bấm “Lập Quyết định ban hành (văn bản)” (quy chế kèm theo lấy từ dự thảo "
            "cuối cùng), rồi trình lãnh đạo ký ban hành ở mục Văn bản."
        )
    return "Quyết định ban hành chưa được lãnh đạo ký ban hành (mục Văn bản)."


ADOPT_GUARDS = [
    Guard(_decision_issued),
    Guard(
        lambda c, ctx: not (c.results_issued_on and ctx["decision_date"] < c.results_issued_on),
        "Ngày ban hành không được trước ngày công khai kết quả lấy ý kiến.",
        needs=("decision_date",),
    ),
    Guard(
        lambda c, ctx: ctx["decision_date"] <= ctx["today"],
        "Ngày ban hành không được sau ngày hôm nay.",
        needs=("decision_date", "today"),
    ),
    Guard(
        lambda c, ctx: not (c.is_people and ctx.get("hdnd_session_on") is None),
        f"Phải ghi kỳ họp thường lệ gần nhất của HĐND xã để báo cáo (Điều 28 khoản 5 {LAW}).",
        needs=("decision_date",),
    ),
    Guard(
        lambda c, ctx: ctx.get("hdnd_session_on") is None or ctx["hdnd_session_on"] >= ctx["decision_date"],
        "Kỳ họp HĐND để báo cáo phải sau ngày ban hành.",
        needs=("decision_date",),
    ),
]

# --- Đã công khai văn bản ban hành (Điều 12, 13) -------------------------------------------------------------------


def regulation_publication(c: Consultation):
    """The core publication (portal/publicity) of the adopted text, once adopted."""
    from portal.publicity.models import Publication

    return Publication.objects.filter(
        content_type__app_label="consultations",
        content_type__model="consultation",
        object_id=str(c.pk),
        phase=PublicityPhase.REGULATION,
    ).first()


def _regulation_posted(c: Consultation, ctx) -> bool | str:
    """Every posting confirmed and the radio's ≥ 3 consecutive days (the core publicity's check, its articles)."""
    from portal.publicity.services import publication_problems

    publication = regulation_publication(c)
    if publication is None:
        return True
    problems = publication_problems(publication, today=ctx.get("today"))
    return " ".join(problems) if problems else True


CONSULTATION = Workflow(
    "consultation",
    noun="cuộc lấy ý kiến",
    states=S,
    actions=[
        Action(
            "van-ban-ke-hoach",
            label="Tạo Kế hoạch (văn bản)",
            label_for=lambda c: (
                "Cập nhật Kế hoạch (văn bản) từ dữ liệu" if c.plan_document_id else "Tạo Kế hoạch (văn bản)"
            ),
            source=[S.DRAFT],
            perm=CHANGE,
            service="consultations.services.consultation_plan_document",
            secondary=True,
            visible=lambda c: c.plan_document_id is None or c.plan_document.status == "draft",
            done=DOCUMENT_DONE,
        ),
        Action(
            "ke-hoach",
            label="Lưu kế hoạch",
            verb="ban hành kế hoạch",
            source=[S.DRAFT],
            perm=CHANGE,
            guards=PLAN_GUARDS,
            context=lambda c: {"publicized_on": c.opens_on},
            service="consultations.services.consultation_issue_plan",
            form="consultations.forms.IssuePlanForm",
            legend="1. Ban hành kế hoạch và gửi HĐND, MTTQ (Điều 28 khoản 1)",
            secondary=True,
            done=_plan_saved,
        ),
        Action(
            "cong-bo",
            label="Công bố",
            verb="công bố",
            source=[S.DRAFT],
            target=S.OPEN,  # or PUBLISHED while the window has not started
            perm=CHANGE,
            guards=PUBLISH_GUARDS,
            service="consultations.services.consultation_publish",
            form="consultations.forms.PublishForm",
            legend="2. Công bố kế hoạch và dự thảo",
            context=lambda c: {"publicized_on": c.opens_on},
            done=_published,
        ),
        Action(
            "mo",
            label="Mở lấy ý kiến",
            verb="mở lấy ý kiến",
            source=[S.PUBLISHED],
            target=S.OPEN,
            perm=CHANGE,
            guards=[
                Guard(
                    lambda c, ctx: ctx["today"] >= c.opens_on,
                    lambda c, ctx: f"Chưa đến ngày bắt đầu lấy ý kiến ({_fmt(c.opens_on)}).",
                    needs=("today",),
                )
            ],
            service="consultations.services.consultation_open",
            button=False,  # the window sweep opens it on its first day
            report_unmet=False,
        ),
        Action(
            "ket-thuc",
            label="Kết thúc lấy ý kiến",
            verb="kết thúc lấy ý kiến",
            source=[S.PUBLISHED, S.OPEN],
            target=S.CLOSED,
            perm=CHANGE,
            guards=[
                Guard(
                    lambda c, ctx: ctx["today"] > c.closes_on,
                    lambda c, ctx: (
                        f"Chưa hết thời gian lấy ý kiến (đến hết ngày {_fmt(c.closes_on)}; Điều 28 khoản 2 {LAW})."
                    ),
                    article=f"Điều 28 khoản 2 {LAW}",
                    needs=("today",),
                )
            ],
            service="consultations.services.consultation_close",
            secondary=True,
            note=lambda c: f"Hệ thống tự kết thúc sau ngày {_fmt(c.closes_on)}.",
            report_unmet=False,
        ),
        Action(
            "tong-hop",
            label="Bắt đầu tổng hợp",
            verb="bắt đầu tổng hợp",
            source=[S.CLOSED],
            target=S.SYNTHESIS,
            perm=CHANGE,
            service="consultations.services.consultation_start_synthesis",
        ),
        Action(
            "van-ban-bao-cao",
            label="Lập Báo cáo tổng hợp (văn bản)",
            verb="lập báo cáo tổng hợp",
            source=[S.SYNTHESIS],
            perm=CHANGE,
            service="consultations.services.consultation_report_document",
            secondary=True,
            report_unmet=False,
            label_for=lambda c: (
                "Cập nhật Báo cáo tổng hợp (văn bản) từ dữ liệu"
                if c.report_document_id
                else "Lập Báo cáo tổng hợp (văn bản)"
            ),
            visible=lambda c: c.report_document_id is None or c.report_document.status == "draft",
            done=DOCUMENT_DONE,
        ),
        Action(
            "cong-khai-ket-qua",
            label="Công khai kết quả",
            verb="công khai kết quả",
            source=[S.SYNTHESIS],
            target=S.RESULTS_PUBLISHED,
            perm=CHANGE,
            guards=RESULTS_GUARDS,
            service="consultations.services.consultation_publish_results",
            form="consultations.forms.ResultsForm",
            legend="Công khai kết quả tổng hợp, tiếp thu, giải trình (Điều 28 khoản 3)",
        ),
        Action(
            "van-ban-quyet-dinh",
            label="Lập Quyết định ban hành (văn bản)",
            label_for=lambda c: (
                "Cập nhật Quyết định ban hành (văn bản) từ dự thảo cuối cùng"
                if c.decision_document_id
                else "Lập Quyết định ban hành (văn bản)"
            ),
            verb="lập quyết định ban hành",
            source=[S.RESULTS_PUBLISHED],
            perm=CHANGE,
            service="consultations.services.consultation_decision_document",
            done=DOCUMENT_DONE,
            secondary=True,
            report_unmet=False,
            visible=lambda c: c.decision_document_id is None or c.decision_document.status == "draft",
        ),
        Action(
            "ban-hanh",
            label="Ban hành",
            verb="ghi nhận ban hành",
            source=[S.RESULTS_PUBLISHED],
            target=S.ADOPTED,
            perm=ADOPT,
            guards=ADOPT_GUARDS,
            service="consultations.services.consultation_adopt",
            form="consultations.forms.AdoptForm",
            legend="Ghi nhận Quyết định ban hành đã ký",
            blocked_note="Chủ tịch / Phó Chủ tịch UBND xã ghi nhận việc ban hành.",
        ),
        Action(
            "da-cong-khai",
            label="Xác nhận đã công khai văn bản",
            verb="xác nhận đã công khai văn bản ban hành",
            source=[S.ADOPTED],
            target=S.PUBLICIZED,
            perm=CHANGE,
            guards=[Guard(_regulation_posted, article=f"Điều 12, 13 {LAW}")],
            service="consultations.services.consultation_mark_publicized",
            report_unmet=False,
        ),
        Action(
            "bao-cao",
            label="Đã báo cáo HĐND",
            verb="ghi nhận đã báo cáo HĐND",
            source=[S.PUBLICIZED],
            target=S.REPORTED,
            perm=CHANGE,
            guards=[
                Guard(
                    lambda c, ctx: ctx["reported_on"] <= ctx["today"],
                    "Ngày báo cáo không được sau ngày hôm nay.",
                    needs=("reported_on", "today"),
                ),
                Guard(
                    lambda c, ctx: not (c.decision_date and ctx["reported_on"] < c.decision_date),
                    "Ngày báo cáo không được trước ngày ban hành.",
                    needs=("reported_on",),
                ),
            ],
            service="consultations.services.consultation_report",
            form="consultations.forms.ReportForm",
            legend="Báo cáo HĐND xã (Điều 28 khoản 5)",
        ),
    ],
)
