"""KẾ HOẠCH and BÁO CÁO of a consultation as document specs (portal/documents/FORMAT.md): pure functions of data."""

from __future__ import annotations

import datetime as dt

from consultations.models import Channel, Consultation

REPORT_COMMENT_LIMIT = 300  # the printed report lists at most this many answers; the portal lists them all


def _d(d: dt.date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else "…"


def _signature(signer: dict | None) -> dict:
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


def _subject(c: Consultation) -> str:
    who = "Nhân dân" if c.is_people else "cán bộ, công chức, người lao động"
    return f"Lấy ý kiến {who} đối với {c.title[0].lower()}{c.title[1:]}" if c.title else f"Lấy ý kiến {who}"


def plan_spec(
    c: Consultation,
    *,
    commune_name: str,
    villages: list[str],
    recipients: list[str],
    on: dt.date,
    signer: dict | None = None,
) -> dict:
    """The consultation plan (Điều 28 khoản 1): content, forms, timeline, who does what; sent to HĐND and MTTQ.

    ``recipients`` are the organizations' "Nơi nhận" lines (``plan_recipients``); "Các thôn" is added here.
    """
    people = c.is_people
    channel_labels = dict(Channel.choices)
    channels = [channel_labels.get(ch, ch) for ch in c.channels] or ["Trên Cổng thông tin điện tử của xã"]
    reviewer = "Ủy ban MTTQ xã" if people else "Công đoàn cơ sở xã"
    window = f"từ ngày {_d(c.opens_on)} đến hết ngày {_d(c.closes_on)}"
    sections = [
        {
            "heading": "MỤC ĐÍCH, YÊU CẦU",
            "content": [
                {
                    "heading": "Mục đích",
                    "content": [
                        "- Phát huy quyền làm chủ, huy động trí tuệ, tâm huyết của "
                        + ("Nhân dân" if people else "cán bộ, công chức, người lao động")
                        + f" để hoàn thiện {c.title[0].lower()}{c.title[1:]}.",
                        '- Thực hiện phương châm *"Dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng"*.',
                    ],
                },
                {
                    "heading": "Yêu cầu",
                    "content": [
                        "- Việc lấy ý kiến phải dân chủ, công khai, minh bạch, thực chất; mọi ý kiến đều được ghi nhận, "
                        "tổng hợp đầy đủ và được tiếp thu hoặc giải trình công khai.",
                    ],
                },
            ],
        },
        {
            "heading": "NỘI DUNG, HÌNH THỨC VÀ THỜI GIAN LẤY Ý KIẾN",
            "content": [
                {
                    "heading": "Nội dung lấy ý kiến",
                    "content": [
                        f"Toàn văn {c.title[0].lower()}{c.title[1:]}."
                        + (f" {c.summary}" if c.summary else "")
                    ],
                },
                {"heading": "Hình thức", "content": [f"- {label}." for label in channels]},
                {
                    "heading": "Thời gian",
                    "content": [
                        f"Thời gian lấy ý kiến {window}"
                        + (
                            " (không dưới 20 ngày kể từ ngày công khai nội dung lấy ý kiến theo Điều 28 khoản 2 Luật Thực "
                            "hiện dân chủ ở cơ sở)."
                            if people
                            else "."
                        ),
                    ],
                },
            ],
        },
        {
            "heading": "CÔNG KHAI KẾ HOẠCH VÀ DỰ THẢO",
            "content": [
                "- Niêm yết ít nhất 30 ngày liên tục tại trụ sở HĐND, UBND xã và nhà văn hóa các thôn"
                + (f" ({', '.join(villages)})" if villages else "")
                + ";"
                if people
                else "- Niêm yết tại bảng tin của cơ quan ít nhất 20 ngày liên tục;",
                *(
                    [
                        "- Thông báo trên hệ thống truyền thanh của xã ít nhất 03 ngày liên tục;",
                        "- Gửi văn bản đến Trưởng thôn để thông báo đến Nhân dân;",
                    ]
                    if people
                    else []
                ),
                "- Đăng tải trên Cổng thông tin điện tử của xã.",
            ],
        },
        {"heading": "TỔ CHỨC THỰC HIỆN", "content": [{"tasks": True}]},
    ]
    tasks = [
        {
            "lead": "Văn phòng - Thống kê",
            "do": "Tham mưu triển khai Kế hoạch; tiếp nhận, tổng hợp ý kiến; nghiên "
            "cứu tiếp thu, giải trình; công khai kết quả tổng hợp.",
            "due": {"from": c.opens_on, "to": c.closes_on},
        },
        {
            "lead": reviewer,
            "do": "Phổ biến dự thảo, tổ chức hội nghị lấy ý kiến; tổng hợp kết quả gửi Ủy ban nhân dân xã.",
            "due": c.summary_due_on or c.closes_on,
        },
    ]
    if people:
        tasks.insert(
            1,
            {
                "lead": "Công chức Văn hóa - Xã hội, Đài truyền thanh xã",
                "do": "Tuyên truyền, thông báo "
                "nội dung và hình thức lấy ý kiến trên hệ thống truyền thanh và Cổng thông tin điện tử.",
                "due": {"from": c.opens_on, "to": c.closes_on},
            },
        )
        tasks.insert(
            2,
            {
                "lead": "Các thôn",
                "do": "Niêm yết công khai tại nhà văn hóa thôn; thông báo đến Nhân dân "
                "qua hội nghị, nhóm Zalo của thôn.",
                "due": {"from": c.opens_on, "to": c.closes_on},
            },
        )
    recipients = list(recipients)  # from lookups.recipients: each organization once, by its declared name
    if people:
        recipients.append("Các thôn")
    return {
        "format": "portal-document/1",
        "type": "KH",
        "place": commune_name,
        "date": on,
        "title": _subject(c),
        "preamble": ["Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022;"],
        "sections": sections,
        "closing": f"Trên đây là Kế hoạch {_subject(c)[0].lower()}{_subject(c)[1:]}; đề nghị các cơ quan, tổ chức, "
        "cá nhân có liên quan nghiêm túc triển khai thực hiện.",
        "tasks": tasks,
        "recipients": recipients,
        "signature": _signature(signer),
    }


def report_spec(
    c: Consultation,
    *,
    commune_name: str,
    stats: dict,
    comments: list[dict],
    meetings: int,
    on: dt.date,
    recipients: list[str],
    signer: dict | None = None,
    comment_total: int | None = None,
) -> dict:
    """BÁO CÁO tổng hợp, tiếp thu, giải trình ý kiến (Điều 28 khoản 3): statistics and every answer (up to a limit)."""
    totals = stats["totals"]
    situation = [
        f"Ủy ban nhân dân xã công khai kế hoạch và dự thảo ngày {_d(c.publicized_on)}; thời gian lấy ý kiến từ ngày "
        f"{_d(c.opens_on)} đến hết ngày {_d(c.closes_on)}.",
        f"Tổng số ý kiến nhận được: **{totals['total']}** ý kiến"
        + (
            f" (trong đó {totals['duplicates']} ý kiến trùng nội dung đã được gộp)"
            if totals.get("duplicates")
            else ""
        )
        + f"; số hội nghị đã tổ chức: {meetings}.",
    ]

    def figure(first: str, rows: list[list], *more: str) -> list:
        """A table of figures with its bar chart (printed above it in the PDF), or a line when there is none."""
        if not rows:
            return ["Không có."]
        return [{"table": {"columns": [first, "Số ý kiến", *more], "rows": rows, "chart": "bar"}}]

    by_channel = figure("Hình thức", [[r["label"], str(r["count"])] for r in stats["by_channel"]])
    by_village = figure(
        "Thôn",
        [[r["village"], str(r["count"]), str(r["households"] or "…")] for r in stats["by_village"]],
        "Số hộ",
    )
    by_article = figure("Điều khoản", [[r["label"], str(r["count"])] for r in stats["by_article"]])
    by_answer = figure("Trả lời", [[r["label"], str(r["count"])] for r in stats["by_answer"]])
    answers = []
    for row in comments[:REPORT_COMMENT_LIMIT]:
        where = row.get("article") or "Toàn bộ dự thảo"
        answers.append(
            {
                "item": f"{where} — ý kiến {row['code']}: {row['text']}",
                "items": [f"{row['answer_label']}: {row['answer'] or '(không ghi)'}"],
            }
        )
    total = comment_total if comment_total is not None else len(comments)
    if total > REPORT_COMMENT_LIMIT:
        answers.append(
            f"(Còn {total - REPORT_COMMENT_LIMIT} ý kiến khác; danh sách đầy đủ được công khai "
            "trên Cổng thông tin điện tử của xã.)"
        )
    sections = [
        {"heading": "TÌNH HÌNH TỔ CHỨC LẤY Ý KIẾN", "content": situation},
        {
            "heading": "KẾT QUẢ TỔNG HỢP Ý KIẾN",
            "content": [
                {"heading": "Theo hình thức", "content": by_channel},
                {"heading": "Theo thôn", "content": by_village},
                {"heading": "Theo điều khoản", "content": by_article},
            ],
        },
        {
            "heading": "TIẾP THU, GIẢI TRÌNH",
            "content": [
                {"heading": "Tổng hợp", "content": by_answer},
                {"heading": "Chi tiết", "content": answers or ["Không có ý kiến."]},
            ],
        },
    ]
    if c.results_summary:
        sections.append({"heading": "NHẬN XÉT, KIẾN NGHỊ", "content": [c.results_summary]})
    return {
        "format": "portal-document/1",
        "type": "BC",
        "place": commune_name,
        "date": on,
        "title": f"Kết quả tổng hợp, tiếp thu, giải trình ý kiến: {_subject(c)[0].lower()}{_subject(c)[1:]}",
        "sections": sections,
        "recipients": list(recipients),
        "signature": _signature(signer),
    }


def _regulation_name(c: Consultation) -> str:
    """ "Dự thảo Quy chế thực hiện dân chủ ở xã Tân Trung" -> "Quy chế thực hiện dân chủ ở xã Tân Trung"."""
    name = (c.title or "").strip()
    for prefix in ("Dự thảo ", "dự thảo "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name[:1].upper() + name[1:]


def _annex_title(name: str) -> dict:
    """ "Quy chế thực hiện dân chủ ở xã X" -> QUY CHẾ / "Thực hiện dân chủ ở xã X" (Decree 30: the type, then the title)."""
    for kind in ("Quy chế", "Quy định", "Hương ước", "Quy ước"):
        if name.lower().startswith(kind.lower() + " "):
            rest = name[len(kind) + 1 :].strip()
            return {"title": kind.upper(), "subtitle": rest[:1].upper() + rest[1:]}
    return {"title": name.upper(), "subtitle": ""}


def regulation_sections(articles) -> tuple[list, str]:
    """The draft version's Chương / Điều / Khoản rows as document nodes, and the numbering they need."""
    rows = list(articles)
    children: dict[int | None, list] = {}
    for a in rows:
        children.setdefault(a.parent_id, []).append(a)

    def node(a) -> dict:
        if a.kind == "clause":
            return {"text": a.text or "…"}
        out: dict = {"heading": a.heading or ""}
        kids = [node(k) for k in children.get(a.pk, [])]
        if a.text and out["heading"]:  # Decree 30: the article's name on its line, its text below
            kids.insert(0, a.text)
        elif a.text:
            out["text"] = a.text
        if kids:
            out["content"] = kids
        if not out["heading"] and not a.text and not kids:
            out["text"] = "…"
        return out

    top = children.get(None, [])
    numbering = "chapters" if any(a.kind == "chapter" for a in top) else "articles"
    return [node(a) for a in top], numbering


def decision_spec(
    c: Consultation,
    *,
    commune_name: str,
    articles,
    report_number: str = "",
    report_date: dt.date | None = None,
    on: dt.date,
    signer: dict | None = None,
    recipients: list | None = None,
) -> dict:
    """QUYẾT ĐỊNH ban hành Quy chế (Điều 28: the adopted text), the regulation as its annex, from the last draft
    version (the one with the accepted changes). Number and date come from the register when the leader signs."""
    name = _regulation_name(c)
    sections, numbering = regulation_sections(articles)
    bases = [
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        "Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022;",
        "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14 tháng 8 năm 2023 của Chính phủ quy định chi tiết một số điều "
        "của Luật Thực hiện dân chủ ở cơ sở;",
    ]
    who = "Nhân dân" if c.is_people else "cán bộ, công chức, người lao động"
    if report_number:
        bases.append(
            f"Căn cứ Báo cáo số {report_number} ngày {_d(report_date)} của Ủy ban nhân dân xã về kết quả tổng hợp, "
            f"tiếp thu, giải trình ý kiến {who};"
        )
    bases.append("Theo đề nghị của công chức Văn phòng - Thống kê.")
    executors = "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã, các công chức chuyên môn"
    executors += ", Trưởng các thôn" if c.is_people else ""
    return {
        "format": "portal-document/1",
        "type": "QĐ",
        "place": commune_name,
        "date": on,
        "title": f"Ban hành {name}",
        "enacting_authority": f"ỦY BAN NHÂN DÂN XÃ {commune_name.upper()}",
        "preamble": bases,
        "preamble_style": "italic",
        "numbering": "articles",
        "sections": [
            {"text": f"Ban hành kèm theo Quyết định này {name}."},
            {"text": "Quyết định này có hiệu lực thi hành kể từ ngày ký."},
            {
                "text": f"{executors} và các cơ quan, tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành "
                "Quyết định này."
            },
        ],
        "annex": {
            **_annex_title(name),
            "numbering": numbering,
            "sections": sections or ["(Chưa có nội dung dự thảo.)"],
        },
        "recipients": recipients or ["Như Điều 3", "Thường trực HĐND xã (b/c)"],
        "signature": _signature(signer),
    }
