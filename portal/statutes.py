"""Every statutory period the portal enforces, in one registry, each with its legal source.

Services and the deadline engine ask this module for numbers and due dates; nothing else in the code base may
hard-code a number of days from the law. Day arithmetic is delegated to :mod:`portal.workdays`.

Abbreviations: L = Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15; NĐ59 = Nghị định 59/2023/NĐ-CP;
BLDS = Bộ luật Dân sự 2015; TCD = Luật Tiếp công dân 2013.

A province may set its own number of days for a rule (``settings.PORTAL_PROVINCE_RULES``, read by :func:`rule_for`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import Enum

from django.conf import settings

from portal.duerules import DueRule


class Count(Enum):
    CALENDAR = "calendar"  # "ngày": BLDS Điều 147–148 (start the next day; a non-working last day moves on)
    WORKING = "working"  # "ngày làm việc"
    BEFORE = "before"  # "trước ít nhất N ngày": the latest day an action may happen before an event


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # what must be done, in Vietnamese, as staff read it in reminders
    legal_source: str
    days: int
    count: Count
    kind: str = "deadline"  # "deadline": due N days after a trigger; "minimum": something must last ≥ N days

    def due_rule(self, trigger: dt.date) -> DueRule:
        """This rule applied to ``trigger``, as a :class:`~portal.duerules.DueRule`."""
        if self.count is Count.BEFORE:
            # The latest day the office can act: N days before the event, or the working day before that when
            # it falls on a weekend or a holiday (acting on the next working day would leave fewer than N days).
            # "Trước ngày X" is the last working day before X, so X is the day after "N days before".
            return DueRule.before(trigger - dt.timedelta(days=self.days - 1))
        return DueRule.after_trigger(self.title, self.days, working=self.count is Count.WORKING)

    def due(self, trigger: dt.date) -> dt.date:
        return self.due_rule(trigger).next_due(trigger, triggered_on=trigger)

    def describe(self) -> str:
        if self.kind == "per_year":
            return f"{self.title}: ít nhất {self.days} lần/năm ({self.legal_source})"
        if self.kind == "assigned":
            return f"{self.title}: hạn do kế hoạch, văn bản ấn định ({self.legal_source})"
        if self.kind == "permanent":
            return f"{self.title}: thường xuyên, cập nhật khi có thay đổi ({self.legal_source})"
        unit = {Count.CALENDAR: "ngày", Count.WORKING: "ngày làm việc", Count.BEFORE: "ngày trước"}[
            self.count
        ]
        return f"{self.title}: {self.days} {unit} ({self.legal_source})"


_RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.code in _RULES:
        raise ValueError(f"rule {rule.code} registered twice")
    _RULES[rule.code] = rule
    return rule


def get(code: str) -> Rule:
    return _RULES[code]


def rule_for(code: str, commune=None) -> Rule:
    """The rule as it applies in ``commune``'s province: ``settings.PORTAL_PROVINCE_RULES`` may override its number
    of days (and should then name its source), e.g. ``{"31": {"dialogue.review": {"days": 7, "legal_source":
    "Quyết định …/QĐ-UBND tỉnh …"}}}`` keyed by the province's unit code. Without an override, the national rule."""
    rule = get(code)
    overrides = getattr(settings, "PORTAL_PROVINCE_RULES", None) or {}
    if not overrides or commune is None:
        return rule
    province_code = _province_code(commune)
    override = (overrides.get(province_code) or {}).get(code) if province_code else None
    if not override:
        return rule
    return replace(
        rule,
        days=int(override.get("days", rule.days)),
        legal_source=override.get("legal_source") or f"{rule.legal_source} (quy định riêng của tỉnh)",
    )


def _province_code(unit) -> str | None:
    node, hops = unit, 0
    while node is not None and hops < 5:
        if node.level == "province":
            return node.code
        node, hops = node.parent, hops + 1
    return None


def all_rules() -> list[Rule]:
    return sorted(_RULES.values(), key=lambda r: r.code)


# --- Publicizing (công khai) -------------------------------------------------------------------------------------
PUBLICIZE_WITHIN = register(
    Rule(
        "publicize.within",
        "Công khai thông tin sau khi quyết định, văn bản được ban hành",
        "Luật 10/2022/QH15, Điều 12 khoản 3",
        5,
        Count.WORKING,
    )
)
POSTING_MIN_DAYS = register(
    Rule(
        "publicize.posting_min",
        "Niêm yết liên tục tại trụ sở UBND/HĐND xã và nhà văn hóa thôn",
        "Luật 10/2022/QH15, Điều 13 khoản 2",
        30,
        Count.CALENDAR,
        kind="minimum",
    )
)
RADIO_MIN_DAYS = register(
    Rule(
        "publicize.radio_min",
        "Phát trên hệ thống truyền thanh cấp xã ít nhất 3 ngày liên tục",
        "Luật 10/2022/QH15, Điều 13 khoản 3",
        3,
        Count.CALENDAR,
        kind="minimum",
    )
)
POSTING_PERMANENT = register(
    Rule(
        "publicize.permanent",
        "Niêm yết thường xuyên tại trụ sở HĐND, UBND xã, cập nhật khi có thay đổi",
        "Luật 10/2022/QH15, Điều 13 khoản 2",
        0,
        Count.CALENDAR,
        kind="permanent",
    )
)
PUBLICITY_LIST_QUARTERLY = register(
    Rule(
        "publicize.quarterly_list",
        "Lập, cập nhật danh sách các nội dung đã công khai kèm hình thức, thời gian thực hiện theo từng quý",
        "Luật 10/2022/QH15, Điều 13 khoản 2",
        0,
        Count.CALENDAR,
        kind="assigned",
    )
)
PUBLICITY_REPORT_HDND = register(
    Rule(
        "publicize.report_hdnd",
        "Báo cáo HĐND xã việc thực hiện công khai tại kỳ họp thường lệ gần nhất, gửi Ủy ban MTTQ xã",
        "Luật 10/2022/QH15, Điều 14 khoản 3",
        0,
        Count.CALENDAR,
        kind="assigned",
    )
)
# Which Điều 11 contents need which form (Luật 10/2022/QH15, Điều 13). Every content goes on the portal (khoản 1).
PUBLICIZE_POSTED_ITEMS = frozenset(
    {1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12}
)  # Điều 13 khoản 2: ≥ 30 days, office + thôn
PUBLICIZE_PERMANENT_ITEMS = frozenset({4, 13})  # Điều 13 khoản 2: permanently at the office
PUBLICIZE_RADIO_ITEMS = frozenset({7, 8, 9, 10, 11, 12})  # Điều 13 khoản 3: loudspeakers ≥ 3 consecutive days
PUBLICIZE_VILLAGE_HEAD_ITEMS = frozenset({7, 8, 9, 10, 11, 12})  # Điều 13 khoản 4: sent to every village head
AGENCY_PUBLICIZE_WITHIN = register(
    Rule(
        "agency.publicize_within",
        "Công khai nội dung trong cơ quan, đơn vị",
        "Luật 10/2022/QH15, Điều 47 khoản 2",
        5,
        Count.WORKING,
    )
)
AGENCY_POSTING_MIN_DAYS = register(
    Rule(
        "agency.posting_min",
        "Niêm yết tại cơ quan, đơn vị liên tục",
        "Luật 10/2022/QH15, Điều 48",
        20,
        Count.CALENDAR,
        kind="minimum",
    )
)

# --- Consultation (lấy ý kiến) ------------------------------------------------------------------------------------
CONSULTATION_MIN_WINDOW = register(
    Rule(
        "consultation.min_window",
        "Thời gian lấy ý kiến Nhân dân tính từ ngày công khai nội dung",
        "Luật 10/2022/QH15, Điều 28 khoản 2",
        20,
        Count.CALENDAR,
        kind="minimum",
    )
)
CONSULTATION_RESULTS_PUBLICIZE = register(
    Rule(
        "consultation.results_publicize",
        "Công khai kết quả tổng hợp, tiếp thu, giải trình ý kiến",
        "Luật 10/2022/QH15, Điều 28 khoản 3; Điều 12 khoản 3",
        5,
        Count.WORKING,
    )
)

# --- Dialogue and petitions (tiếp xúc, đối thoại; kiến nghị) ------------------------------------------------------
# The national law says a dialogue must be held (L Điều 32.1) and leaves its content and method to the law on local
# government (L Điều 32.2). The 7-day notice and the 10-day result come from the 2025 local-government law as
# reported by two secondary pages (the article text was not read: Điều 43 of Luật 72/2025/QH15 per daibieunhandan.vn,
# Điều 24 per Lao Động); the 5-day review and the 15-working-day answer come from provincial dialogue rules (the
# commune plans of the seed). Every one of them can be overridden per province (``settings.PORTAL_PROVINCE_RULES``,
# see :func:`rule_for`).
LGL_2025 = (
    "Luật Tổ chức chính quyền địa phương 2025 (Luật 72/2025/QH15, Điều 43, theo Hỏi đáp số 20 của báo Đại biểu "
    "Nhân dân; chưa đối chiếu văn bản gốc)"
)
PROVINCIAL_DIALOGUE_RULE = (
    "Quy chế tiếp xúc, đối thoại của UBND tỉnh (mặc định theo kế hoạch mẫu; cấu hình theo tỉnh)"
)
DIALOGUE_YEARLY = register(
    Rule(
        "dialogue.yearly",
        "UBND xã phối hợp với Ủy ban MTTQ xã tổ chức hội nghị trao đổi, đối thoại với Nhân dân ít nhất một lần mỗi năm",
        "Luật 10/2022/QH15, Điều 32 khoản 1",
        1,
        Count.CALENDAR,
        kind="per_year",
    )
)
DIALOGUE_NOTICE_BEFORE = register(
    Rule(
        "dialogue.notice_before",
        "Thông báo thời gian, địa điểm, nội dung và cách thức tham dự hội nghị đối thoại",
        f"{LGL_2025}; cấu hình theo tỉnh",
        7,
        Count.BEFORE,
    )
)
DIALOGUE_RESULT_PUBLICIZE = register(
    Rule(
        "dialogue.result_publicize",
        "Công khai kết quả hội nghị đối thoại tại trụ sở UBND xã, trên phương tiện thông tin đại chúng và gửi "
        "Trưởng thôn",
        f"{LGL_2025}; cấu hình theo tỉnh",
        10,
        Count.CALENDAR,
    )
)
DIALOGUE_REVIEW = register(
    Rule(
        "dialogue.review",
        "Chủ tịch UBND xã rà soát kết quả đối thoại, giao xử lý các nội dung còn lại, chuyển kiến nghị vượt thẩm "
        "quyền",
        PROVINCIAL_DIALOGUE_RULE,
        5,
        Count.CALENDAR,
    )
)
PETITION_ANSWER = register(
    Rule(
        "dialogue.petition_answer",
        "Trả lời kiến nghị chưa giải quyết tại hội nghị đối thoại (trực tiếp hoặc bằng văn bản)",
        PROVINCIAL_DIALOGUE_RULE,
        15,
        Count.WORKING,
    )
)
CITIZEN_REPLY = register(
    Rule(
        "citizen.reply",
        "Thông báo cho người kiến nghị việc thụ lý, cần thêm thời gian, từ chối hoặc chuyển cơ quan có thẩm quyền",
        "Luật Tiếp công dân 2013, Điều 28 khoản 1",
        10,
        Count.WORKING,
    )
)
SUPERVISION_RECOMMENDATION_ANSWER = register(
    Rule(
        "supervision.answer",
        "Trả lời kiến nghị của Ban Thanh tra nhân dân / Ban Giám sát đầu tư của cộng đồng",
        "Luật 10/2022/QH15, Điều 40 khoản 1 điểm c; Điều 45 khoản 2 điểm c",
        15,
        Count.CALENDAR,
    )
)

# --- Reminders used by the deadline engine -------------------------------------------------------------------------
REMINDER_WORKING_DAYS_BEFORE = 3  # engine policy, not law: first reminder 3 working days before the due date

# --- Dates set by a plan or an official (no statutory number; the date comes from the document) -------------------
ASSIGNED = register(
    Rule(
        "assigned",
        "Việc được giao theo kế hoạch, văn bản chỉ đạo",
        "Kế hoạch, văn bản giao việc",
        0,
        Count.CALENDAR,
        kind="assigned",
    )
)

# --- Plans' tasks waiting for an event ("khi có văn bản hướng dẫn …") -------------------------------------------
TASK_ON_TRIGGER = register(
    Rule(
        "task.on_trigger",
        "Thực hiện nhiệm vụ sau khi có sự kiện (văn bản hướng dẫn, quyết định…)",
        "Kế hoạch, văn bản giao việc; khi kế hoạch không ghi số ngày, cổng tính 30 ngày theo Bộ luật Dân sự 2015, "
        "Điều 147–148 (chính sách của cổng, không phải số ngày luật định)",
        30,
        Count.CALENDAR,
    )
)

# --- Consultations app (consultations/) ---------------------------------------------------------------------------
CONSULTATION_ORG_SUMMARY = register(
    Rule(
        "consultation.org_summary",
        "Ủy ban MTTQ / Công đoàn cơ sở gửi kết quả tổng hợp ý kiến cho UBND xã",
        "Kế hoạch lấy ý kiến; Luật 10/2022/QH15, Điều 28 khoản 6",
        0,
        Count.CALENDAR,
        kind="assigned",
    )
)
CONSULTATION_REPORT_HDND = register(
    Rule(
        "consultation.report_hdnd",
        "Báo cáo HĐND xã kết quả lấy ý kiến tại kỳ họp thường lệ gần nhất",
        "Luật 10/2022/QH15, Điều 28 khoản 5",
        0,
        Count.CALENDAR,
        kind="assigned",
    )
)

# --- Receiving citizens (tiếp công dân): numbers the dialogues app shows, not deadlines ------------------------------
RECEPTION_DAYS_PER_WEEK = (
    1  # Luật Tiếp công dân 2013, Điều 15 khoản 2 điểm d: the chairman, at least 1 day a week
)
RECEPTION_SOURCE = "Luật Tiếp công dân 2013, Điều 15 khoản 2 điểm d"
ORAL_PETITION_SOURCE = "Luật Tiếp công dân 2013, Điều 25 khoản 2"  # written down, signed or fingerprinted
MIXED_PETITION_SOURCE = (
    "Luật Tiếp công dân 2013, Điều 25 khoản 3"  # complaint/denunciation/petition split apart
)
DIALOGUE_SUPERVISION_SOURCE = "Luật 10/2022/QH15, Điều 28 khoản 6"  # MTTQ supervises the dialogues

# --- Campaigns app (campaigns/): dates set by the contest plan (Kế hoạch tổ chức cuộc thi) --------------------------
CONTEST_REGISTRATION = register(
    Rule(
        "contest.registration",
        "Hết hạn đăng ký dự thi: chốt danh sách đơn vị, cá nhân dự thi",
        "Kế hoạch tổ chức cuộc thi của cấp ủy",
        0,
        Count.CALENDAR,
        kind="assigned",
    )
)
CONTEST_SELF_ASSESSMENT = register(
    Rule(
        "contest.self_assessment",
        "Tự chấm điểm và nộp minh chứng dự thi",
        "Kế hoạch tổ chức cuộc thi của cấp ủy",
        0,
        Count.CALENDAR,
        kind="assigned",
    )
)
CONTEST_JUDGING = register(
    Rule(
        "contest.judging",
        "Giám khảo chấm điểm đơn vị dự thi",
        "Kế hoạch tổ chức cuộc thi của cấp ủy",
        0,
        Count.CALENDAR,
        kind="assigned",
    )
)
CONTEST_RESULTS = register(
    Rule(
        "contest.results",
        "Tổng kết, công bố và công khai kết quả cuộc thi",
        "Kế hoạch tổ chức cuộc thi của cấp ủy",
        0,
        Count.CALENDAR,
        kind="assigned",
    )
)

# --- Signing official documents (thẩm quyền ký): Nghị định 30/2020/NĐ-CP, Điều 13 and Phụ lục I ----------------------
SIGNING_SOURCE = "Nghị định 30/2020/NĐ-CP, Điều 13 và Phụ lục I"


@dataclass(frozen=True)
class SigningAuthority:
    """One way a document may be signed: the printed prefixes in order, and which names the block needs."""

    code: str
    label: str
    needs_organ: bool  # TM.: the collective ("ỦY BAN NHÂN DÂN")
    needs_head: bool  # KT. / TL. / TUQ.: the head in whose place the signer signs ("CHỦ TỊCH")
    source: str


# Điều 13 khoản 1: the head signs, or a deputy signs in his place (KT.); khoản 2: a collective body's head signs on its
# behalf (TM.), and a deputy may sign for the head on the collective's behalf (TM. + KT.); an acting head (Q.) signs
# as the head, also on behalf of the collective (TM. + Q.); khoản 4: TL. (thừa lệnh); khoản 5: TUQ. (thừa ủy quyền),
# which may not be delegated again (no TUQ. + KT.).
SIGNING_AUTHORITIES: dict[str, SigningAuthority] = {
    a.code: a
    for a in (
        SigningAuthority("", "Ký trực tiếp", False, False, "Nghị định 30/2020/NĐ-CP, Điều 13 khoản 1"),
        SigningAuthority(
            "TM", "TM. (thay mặt tập thể)", True, False, "Nghị định 30/2020/NĐ-CP, Điều 13 khoản 2"
        ),
        SigningAuthority("KT", "KT. (ký thay)", False, True, "Nghị định 30/2020/NĐ-CP, Điều 13 khoản 1"),
        SigningAuthority("Q", "Q. (quyền)", False, False, "Nghị định 30/2020/NĐ-CP, Điều 13 khoản 3"),
        SigningAuthority("TL", "TL. (thừa lệnh)", False, True, "Nghị định 30/2020/NĐ-CP, Điều 13 khoản 4"),
        SigningAuthority(
            "TUQ", "TUQ. (thừa ủy quyền)", False, True, "Nghị định 30/2020/NĐ-CP, Điều 13 khoản 5"
        ),
        SigningAuthority(
            "TM+KT",
            "TM. + KT. (thay mặt tập thể, cấp phó ký thay người đứng đầu)",
            True,
            True,
            "Nghị định 30/2020/NĐ-CP, Điều 13 khoản 2",
        ),
        SigningAuthority(
            "TM+Q",
            "TM. + Q. (thay mặt tập thể, quyền người đứng đầu)",
            True,
            False,
            "Nghị định 30/2020/NĐ-CP, Điều 13 khoản 2, 3",
        ),
    )
}
