"""A dialogue's official documents as document specs (portal/documents/FORMAT.md): pure functions of data.

KẾ HOẠCH, GIẤY MỜI, THÔNG BÁO (notice), BIÊN BẢN (minutes), THÔNG BÁO KẾT LUẬN, BÁO CÁO kết quả, and the written
answer to a petition (công văn). Numbers and dates are given by the register when a leader issues them.
"""

from __future__ import annotations

import datetime as dt

REPORT_PETITION_LIMIT = 300


def _d(d: dt.date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else "…"


def _when(starts_at: dt.datetime) -> str:
    return f"{starts_at:%H} giờ {starts_at:%M}, ngày {starts_at:%d/%m/%Y}"


def signature(signer: dict | None) -> dict:
    signer = signer or {}
    deputy = signer.get("deputy", False)
    sig = {
        "authority": "KT" if deputy else "TM",
        "organ": "ỦY BAN NHÂN DÂN",
        "position": signer.get("position") or ("PHÓ CHỦ TỊCH" if deputy else "CHỦ TỊCH"),
        "signer": signer.get("name") or "",
    }
    if deputy:
        sig["head"] = "CHỦ TỊCH"
    return sig


def _villages(d: dict) -> str:
    names = d.get("villages") or []
    return ", ".join(f"thôn {n}" for n in names) if names else "các thôn trên địa bàn xã"


def _where(d: dict) -> str:
    parts = [d["place"]] if d.get("place") else []
    if d.get("online_link"):
        parts.append(f"trực tuyến tại {d['online_link']}")
    return "; ".join(parts) or "…"


LEGAL_BASES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;",
    "Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022;",
    "Căn cứ Luật Tiếp công dân ngày 25 tháng 11 năm 2013.",
]


def plan_spec(d: dict, *, on: dt.date, signer: dict | None = None) -> dict:
    """KẾ HOẠCH tổ chức tiếp xúc, đối thoại: purpose, time and place, participants, content, who does what."""
    meeting = d["starts_at"].date()
    return {
        "format": "portal-document/1",
        "type": "KH",
        "place": d["commune_name"],
        "date": on,
        "title": f"Tổ chức {d['title'][0].lower()}{d['title'][1:]}",
        "preamble": LEGAL_BASES,
        "sections": [
            {
                "heading": "MỤC ĐÍCH, YÊU CẦU",
                "content": [
                    "- Lắng nghe tâm tư, nguyện vọng, ý kiến, kiến nghị của Nhân dân; kịp thời giải quyết những "
                    "vướng mắc ngay từ cơ sở.",
                    "- Hội nghị được tổ chức dân chủ, cởi mở, thiết thực; mọi kiến nghị đều được trả lời tại hội "
                    f"nghị hoặc bằng văn bản trong thời hạn {d['answer_days']} ngày làm việc.",
                ],
            },
            {
                "heading": "THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN",
                "content": [
                    {
                        "heading": "Thời gian",
                        "text": f"{_when(d['starts_at'])} (thời lượng khoảng "
                        f"{d['duration_minutes'] // 60 or 1} giờ).",
                    },
                    {"heading": "Địa điểm", "text": f"{_where(d)}."},
                    {
                        "heading": "Thành phần",
                        "content": [
                            f"- Chủ trì: {d.get('host_name') or 'Chủ tịch Ủy ban nhân dân xã'}"
                            + (f"; đồng chủ trì: {d['co_chairs']}" if d.get("co_chairs") else "")
                            + ".",
                            f"- Nhân dân {_villages(d)}"
                            + (f"; {d['participants']}" if d.get("participants") else "")
                            + ".",
                        ],
                    },
                ],
            },
            {
                "heading": "NỘI DUNG ĐỐI THOẠI",
                "content": [d.get("topics") or "Các vấn đề Nhân dân quan tâm."],
            },
            {"heading": "TỔ CHỨC THỰC HIỆN", "content": [{"tasks": True}]},
        ],
        "closing": "Trên đây là Kế hoạch tổ chức hội nghị tiếp xúc, đối thoại; đề nghị các bộ phận, đơn vị liên "
        "quan nghiêm túc triển khai thực hiện.",
        "tasks": [
            {
                "lead": "Văn phòng - Thống kê",
                "coordinating": ["Ủy ban MTTQ xã"],
                "do": "Tổng hợp, phân loại ý kiến, kiến nghị của Nhân dân trước hội nghị; tham mưu phân công công "
                "chức chuẩn bị nội dung trả lời.",
                "due": {"before": meeting},
            },
            {
                "lead": "Ủy ban MTTQ xã, các đoàn thể, Trưởng thôn",
                "do": "Thu thập ý kiến, kiến nghị của Nhân dân gửi Văn phòng - Thống kê; vận động Nhân dân tham dự.",
                "due": {"before": meeting},
            },
            {
                "lead": "Văn phòng - Thống kê",
                "do": "Ghi biên bản hội nghị; tham mưu Thông báo kết luận; theo dõi, đôn đốc việc trả lời kiến nghị.",
                "due": {"on_trigger": "Khi kết thúc hội nghị đối thoại", "within_days": d["review_days"]},
            },
        ],
        "recipients": [
            "TT Đảng ủy, HĐND xã (b/c)",
            "Ủy ban MTTQ xã",
            "Các đoàn thể chính trị - xã hội xã",
            "Trưởng thôn các thôn liên quan",
        ],
        "signature": signature(signer),
    }


def invitation_spec(d: dict, *, on: dt.date, signer: dict | None = None) -> dict:
    return {
        "format": "portal-document/1",
        "type": "GM",
        "place": d["commune_name"],
        "date": on,
        "title": f"Dự {d['title'][0].lower()}{d['title'][1:]}",
        "numbering": "arabic",
        "sections": [
            f"Ủy ban nhân dân xã {d['commune_name']} trân trọng kính mời đại diện Nhân dân {_villages(d)} tới dự "
            f"{d['title'][0].lower()}{d['title'][1:]}.",
            {"heading": "Thời gian", "text": f"{_when(d['starts_at'])}."},
            {"heading": "Địa điểm", "text": f"{_where(d)}."},
            {
                "heading": "Nội dung",
                "text": d.get("topics") or "Trao đổi, đối thoại về các vấn đề Nhân dân quan tâm.",
            },
        ],
        "closing": "Rất mong đại biểu và Nhân dân tham dự đầy đủ, đúng giờ",
        "recipients": ["Như thành phần mời", "Ủy ban MTTQ xã (phối hợp)"],
        "signature": signature(signer),
    }


def notice_spec(d: dict, *, on: dt.date, signer: dict | None = None) -> dict:
    """THÔNG BÁO thời gian, địa điểm, nội dung và cách thức tham dự (≥ N days before)."""
    return {
        "format": "portal-document/1",
        "type": "TB",
        "place": d["commune_name"],
        "date": on,
        "title": f"Về việc tổ chức {d['title'][0].lower()}{d['title'][1:]}",
        "numbering": "arabic",
        "sections": [
            f"Thực hiện Luật Thực hiện dân chủ ở cơ sở và Luật Tổ chức chính quyền địa phương, Ủy ban nhân dân xã "
            f"{d['commune_name']} thông báo tổ chức {d['title'][0].lower()}{d['title'][1:]} như sau:",
            {"heading": "Thời gian", "text": f"{_when(d['starts_at'])}."},
            {"heading": "Địa điểm", "text": f"{_where(d)}."},
            {
                "heading": "Thành phần",
                "text": f"Nhân dân {_villages(d)}"
                + (f"; {d['participants']}" if d.get("participants") else "")
                + ".",
            },
            {"heading": "Nội dung", "text": d.get("topics") or "Các vấn đề Nhân dân quan tâm."},
            {
                "heading": "Cách thức tham dự, gửi kiến nghị",
                "text": "Nhân dân dự trực tiếp tại hội nghị; có thể gửi ý kiến, kiến nghị trước hội nghị qua Trưởng "
                "thôn, Ban công tác Mặt trận thôn, các đoàn thể hoặc trên Cổng thông tin của xã (nhận mã tra cứu để "
                "theo dõi câu trả lời).",
            },
        ],
        "closing": "Ủy ban nhân dân xã thông báo để Nhân dân biết, tham dự",
        "recipients": [
            "TT Đảng ủy, HĐND xã (b/c)",
            "Ủy ban MTTQ xã",
            "Đài truyền thanh xã",
            "Trưởng thôn các thôn liên quan (niêm yết)",
            "Cổng thông tin điện tử xã",
        ],
        "signature": signature(signer),
    }


def _petition_line(p: dict) -> str:
    who = (
        f" ({p['petitioner']}{', thôn ' + p['village'] if p.get('village') else ''})"
        if p.get("petitioner")
        else ""
    )
    return f"Kiến nghị {p['code']}{who}: {p['text']}"


def minutes_spec(d: dict, *, on: dt.date, petitions: list[dict], attendance: list[dict], signer=None) -> dict:
    """BIÊN BẢN hội nghị: who attended, who spoke, what was raised and answered, the chair's conclusion."""
    total = sum(r["count"] for r in attendance)
    rows = [[r["village"] or "—", r["group"], str(r["count"])] for r in attendance]
    raised = []
    for p in petitions:
        item = {"item": _petition_line(p), "items": [p["outcome"]]}
        raised.append(item)
    return {
        "format": "portal-document/1",
        "type": "BB",
        "place": d["commune_name"],
        "date": on,
        "title": f"{d['title'][0].upper()}{d['title'][1:]}",
        "sections": [
            {
                "heading": "THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN",
                "content": [
                    f"Thời gian: {_when(d['starts_at'])}. Địa điểm: {_where(d)}.",
                    f"Chủ trì: {d.get('host_name') or 'Chủ tịch Ủy ban nhân dân xã'}"
                    + (f"; đồng chủ trì: {d['co_chairs']}" if d.get("co_chairs") else "")
                    + ".",
                    f"Đại biểu, cán bộ dự: {d.get('officials_present') or '…'}.",
                    f"Tổng số người dự: **{total}** người.",
                    *(
                        [{"table": {"columns": ["Thôn", "Thành phần", "Số người"], "rows": rows}}]
                        if rows
                        else []
                    ),
                ],
            },
            {
                "heading": "DIỄN BIẾN HỘI NGHỊ",
                "content": [
                    d.get("minutes_notes")
                    or "Công chức Văn phòng - Thống kê tuyên bố lý do, giới thiệu đại biểu; đồng chí chủ trì quán "
                    "triệt mục đích, yêu cầu; Nhân dân phát biểu theo thứ tự đăng ký; đồng chí chủ trì và các công "
                    "chức chuyên môn trả lời.",
                ],
            },
            {"heading": "Ý KIẾN, KIẾN NGHỊ VÀ TRẢ LỜI", "content": raised or ["Không có kiến nghị."]},
            {"heading": "KẾT LUẬN CỦA CHỦ TRÌ", "content": [d.get("conclusion") or "…"]},
        ],
        "closing": "Biên bản được thông qua trước hội nghị và kết thúc vào hồi … giờ … cùng ngày",
        "recipients": ["Ủy ban MTTQ xã", "Lưu hồ sơ hội nghị"],
        "signature": signature(signer),
    }


def conclusion_spec(d: dict, *, on: dt.date, groups: dict, stats: dict, signer: dict | None = None) -> dict:
    """THÔNG BÁO KẾT LUẬN: what was discussed, resolved, not resolved; who answers and by when; what goes up."""
    answered = [f"- {_petition_line(p)} — {p['answer']}" for p in groups["answered"]]
    assigned = [
        {
            "heading": f"Giao {p['assignee']}",
            "text": f"trả lời kiến nghị {p['code']} ({p['text']}) trước ngày {p['due']}.",
        }
        for p in groups["assigned"]
    ]
    forwarded = [
        f"- Kiến nghị {p['code']} ({p['text']}): chuyển {p['to']}; hẹn đôn đốc ngày {p['follow_up']}."
        for p in groups["forwarded"]
    ]
    return {
        "format": "portal-document/1",
        "type": "TB",
        "place": d["commune_name"],
        "date": on,
        "title": f"Kết luận của Chủ tịch Ủy ban nhân dân xã tại {d['title'][0].lower()}{d['title'][1:]}",
        "numbering": "arabic",
        "level3": "a)",
        "preamble": [
            f"Ngày {_d(d.get('held_on') or d['starts_at'].date())}, tại {_where(d)}, Ủy ban nhân dân xã "
            f"{d['commune_name']} phối hợp với Ủy ban MTTQ xã tổ chức {d['title'][0].lower()}{d['title'][1:]}. "
            f"Có {stats['total']} ý kiến, kiến nghị của Nhân dân; đồng chí chủ trì kết luận như sau:"
        ],
        "sections": [
            {
                "heading": "Đánh giá chung",
                "content": [d.get("conclusion") or "Hội nghị diễn ra dân chủ, cởi mở."],
            },
            {"heading": "Các kiến nghị đã được trả lời tại hội nghị", "content": answered or ["Không có."]},
            {"heading": "Các kiến nghị giao xử lý sau hội nghị", "content": assigned or ["Không có."]},
            {"heading": "Kiến nghị chuyển cấp trên", "content": forwarded or ["Không có."]},
            {
                "heading": "Đề nghị Ủy ban MTTQ xã",
                "text": "giám sát việc giải quyết các kiến nghị nêu trên và khảo sát mức độ hài lòng của Nhân dân.",
            },
        ],
        "closing": f"Ủy ban nhân dân xã thông báo để các bộ phận, đơn vị và Nhân dân {_villages(d)} biết, thực hiện",
        "recipients": [
            "Khối Dân vận Đảng ủy xã (b/c)",
            "TT Đảng ủy, HĐND xã (b/c)",
            "Ủy ban MTTQ xã",
            "Công chức chuyên môn liên quan",
            "Trưởng thôn các thôn liên quan (niêm yết)",
            "Cổng thông tin điện tử xã",
        ],
        "signature": signature(signer),
    }


def report_spec(
    *,
    commune_name: str,
    title: str,
    on: dt.date,
    stats: dict,
    petitions: list[dict],
    total: int,
    signer=None,
    dialogues: list[str] | None = None,
) -> dict:
    """BÁO CÁO kết quả tiếp xúc, đối thoại: figures by field, channel and village, answers, satisfaction."""

    def rows(key):
        return [[r["label"], str(r["count"])] for r in stats[key]]

    lines = [
        f"Tổng số ý kiến, kiến nghị: **{stats['total']}**; trả lời tại hội nghị: {stats['at_meeting']} "
        f"({stats['at_meeting_pct']}%); đã trả lời: {stats['answered']}; trả lời đúng hạn: {stats['on_time']} "
        f"({stats['on_time_pct']}% số đã trả lời); chuyển cấp trên: {stats['forwarded']}; còn đang giải quyết: "
        f"{stats['open']}.",
    ]
    if stats.get("satisfaction_total"):
        lines.append(
            f"Khảo sát mức độ hài lòng: {stats['satisfaction_total']} phiếu, hài lòng trở lên "
            f"{stats['satisfied_pct']}%."
        )
    details = [f"- {_petition_line(p)} — {p['status']}" for p in petitions[:REPORT_PETITION_LIMIT]]
    if total > REPORT_PETITION_LIMIT:
        details.append(
            f"(Còn {total - REPORT_PETITION_LIMIT} kiến nghị khác; danh sách đầy đủ trong tệp Excel.)"
        )
    sections = [
        {"heading": "TÌNH HÌNH TỔ CHỨC", "content": [*(f"- {x}" for x in (dialogues or [])), *lines]},
        {
            "heading": "KẾT QUẢ TỔNG HỢP KIẾN NGHỊ",
            "content": [
                {
                    "heading": "Theo lĩnh vực",
                    "content": [
                        {"table": {"columns": ["Lĩnh vực", "Số kiến nghị"], "rows": rows("by_field")}}
                    ]
                    if stats["by_field"]
                    else ["Không có."],
                },
                {
                    "heading": "Theo kênh tiếp nhận",
                    "content": [{"table": {"columns": ["Kênh", "Số kiến nghị"], "rows": rows("by_channel")}}]
                    if stats["by_channel"]
                    else ["Không có."],
                },
                {
                    "heading": "Theo thôn",
                    "content": [{"table": {"columns": ["Thôn", "Số kiến nghị"], "rows": rows("by_village")}}]
                    if stats["by_village"]
                    else ["Không có."],
                },
            ],
        },
        {
            "heading": "CHI TIẾT KIẾN NGHỊ VÀ KẾT QUẢ GIẢI QUYẾT",
            "content": details or ["Không có kiến nghị."],
        },
    ]
    return {
        "format": "portal-document/1",
        "type": "BC",
        "place": commune_name,
        "date": on,
        "title": title,
        "sections": sections,
        "recipients": ["TT Đảng ủy, HĐND xã (b/c)", "Ủy ban MTTQ xã"],
        "signature": signature(signer),
    }


def answer_letter_spec(p: dict, *, commune_name: str, on: dt.date, text: str, signer=None) -> dict:
    """Công văn trả lời kiến nghị (written answer)."""
    return {
        "format": "portal-document/1",
        "type": "CV",
        "letter_unit": "VP",
        "place": commune_name,
        "date": on,
        "title": f"Trả lời kiến nghị {p['code']}",
        "to": p.get("petitioner") or "Ông/bà có kiến nghị",
        "sections": [
            f"Ủy ban nhân dân xã {commune_name} nhận được kiến nghị của ông/bà ngày {p['received']}: {p['text']}",
            text,
        ],
        "closing": "Ủy ban nhân dân xã trả lời để ông/bà biết",
        "recipients": ["Như trên", "Ủy ban MTTQ xã (giám sát)"],
        "signature": signature(signer),
    }
