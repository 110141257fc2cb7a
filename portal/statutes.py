"""Every statutory period the portal enforces, in one registry, each with its legal source.

Services and the deadline engine ask this module for numbers and due dates; nothing else in the code base may
hard-code a number of days from the law. Day arithmetic is delegated to :mod:`portal.workdays`.

Abbreviations: L = Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15; NĐ59 = Nghị định 59/2023/NĐ-CP;
BLDS = Bộ luật Dân sự 2015; TCD = Luật Tiếp công dân 2013.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from portal import workdays


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

    def due(self, trigger: dt.date) -> dt.date:
        if self.count is Count.WORKING:
            return workdays.add_working_days(trigger, self.days)
        if self.count is Count.BEFORE:
            # The latest day the office can act: N days before the event, or the working day before that when
            # it falls on a weekend or a holiday (acting on the next working day would leave fewer than N days).
            return workdays.previous_working_day(trigger - dt.timedelta(days=self.days))
        return workdays.period_end(trigger, self.days)

    def describe(self) -> str:
        if self.kind == "assigned":
            return f"{self.title}: hạn do kế hoạch, văn bản ấn định ({self.legal_source})"
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
DIALOGUE_NOTICE_BEFORE = register(
    Rule(
        "dialogue.notice_before",
        "Thông báo thời gian, địa điểm, thành phần, nội dung đối thoại",
        "Quy định của UBND tỉnh về tiếp xúc, đối thoại (mặc định 7 ngày; cấu hình theo tỉnh)",
        7,
        Count.BEFORE,
    )
)
DIALOGUE_REVIEW = register(
    Rule(
        "dialogue.review",
        "Chủ trì rà soát kết quả đối thoại và giao xử lý các nội dung còn lại",
        "Quy định của UBND tỉnh về tiếp xúc, đối thoại",
        5,
        Count.CALENDAR,
    )
)
PETITION_ANSWER = register(
    Rule(
        "dialogue.petition_answer",
        "Trả lời kiến nghị chưa giải quyết tại buổi đối thoại",
        "Quy định của UBND tỉnh về tiếp xúc, đối thoại",
        15,
        Count.WORKING,
    )
)
CITIZEN_REPLY = register(
    Rule(
        "citizen.reply",
        "Trả lời người đến tiếp công dân",
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
