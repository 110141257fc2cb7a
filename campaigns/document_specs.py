"""The contest's official documents as document specs (portal/documents/FORMAT.md): pure functions of data.

KẾ HOẠCH tổ chức cuộc thi, QUYẾT ĐỊNH khen thưởng (one article listing the awards with their reasons) and BÁO CÁO
tổng kết (a table of the ranking). The Party layout follows from the issuing organization (a Party committee).
"""

from __future__ import annotations

import datetime as dt

from campaigns import scoring


def _d(d: dt.date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else "…"


def _header(contest, doc_type: str, title: str, on: dt.date) -> dict:
    spec = {
        "format": "portal-document/1",
        "type": doc_type,
        "place": contest.doc_place or contest.organizer_unit.name,
        "date": on.isoformat(),
        "title": title,
        "signature": {
            "authority": "TM" if contest.sig_organ else "none",
            "organ": contest.sig_organ,
            "position": contest.sig_position or "BÍ THƯ",
            "signer": contest.sig_signer,
        },
    }
    if not contest.sig_organ:
        spec["signature"].pop("organ")
    if contest.doc_parent_organ:
        spec["parent_organ"] = contest.doc_parent_organ
    if contest.doc_organ:
        spec["organ"] = contest.doc_organ
    return spec


def plan_spec(contest, *, on: dt.date, participants: list[str], stars: list[tuple[int, str]]) -> dict:
    cset = contest.criteria_set
    spec = _header(contest, "KH", f"Tổ chức {contest.title}", on)
    star_text = "; ".join(f"{n} sao: từ {scoring.fmt(m)} điểm" for n, m in stars)
    bonus = (
        f"; trong đó {scoring.fmt(cset.total_points - cset.bonus_cap - cset.reserved_points)} điểm theo bộ tiêu chí"
        f"{f' và {scoring.fmt(cset.bonus_cap)} điểm thưởng' if cset.bonus_cap else ''}"
        f"{f', {scoring.fmt(cset.reserved_points)} điểm do cấp trên đánh giá' if cset.reserved_points else ''}"
    )
    spec["sections"] = [
        {
            "heading": "MỤC ĐÍCH, YÊU CẦU",
            "content": [
                f'- Cụ thể hóa chủ đề "{contest.theme}"; phát huy vai trò người đứng đầu cấp ủy, chính quyền.',
                "- Việc chấm điểm khách quan, công bằng, có minh chứng cho từng tiêu chí.",
            ],
        },
        {
            "heading": "ĐỐI TƯỢNG, NỘI DUNG, THỜI GIAN",
            "content": [
                {
                    "heading": "Đối tượng",
                    "text": ", ".join(participants) + "." if participants else "Theo đăng ký.",
                },
                {"heading": "Chủ đề", "text": f'"{contest.theme}".'},
                {
                    "heading": "Tiêu chí chấm điểm",
                    "text": f"{cset.name} ({cset.legal_basis or 'bộ tiêu chí của cuộc thi'}); "
                    f"thang điểm {scoring.fmt(cset.total_points)}{bonus}."
                    + (f" Mức xếp loại: {star_text}." if star_text else ""),
                },
                {
                    "heading": "Thời gian",
                    "text": f"Từ ngày {_d(contest.starts_on)} đến ngày {_d(contest.ends_on)}.",
                },
            ],
        },
        {"heading": "TỔ CHỨC THỰC HIỆN", "content": [{"tasks": True}]},
    ]
    tasks = [
        {"lead": "Ban Tổ chức cuộc thi", "do": "Thành lập Ban Giám khảo, Tổ Thư ký; phổ biến bộ tiêu chí."},
    ]
    if contest.self_assessment_due:
        tasks.append(
            {
                "lead": "Các đơn vị dự thi",
                "do": "Tự chấm điểm, nộp minh chứng từng tiêu chí trên Cổng.",
                "due": {"before": contest.self_assessment_due.isoformat()},
            }
        )
    if contest.judging_due:
        tasks.append(
            {
                "lead": "Ban Giám khảo",
                "do": "Kiểm tra thực tế, chấm điểm độc lập, tổng hợp kết quả.",
                "due": {"before": contest.judging_due.isoformat()},
            }
        )
    spec["tasks"] = tasks
    spec["recipients"] = ["Các đơn vị dự thi", "Thành viên Ban Tổ chức, Ban Giám khảo"]
    return spec


def decision_spec(contest, *, on: dt.date, awards: list[dict]) -> dict:
    """QUYẾT ĐỊNH khen thưởng: Điều 1 lists each award with its one-line reason."""
    spec = _header(
        contest, "QĐ", f"Khen thưởng các tập thể, cá nhân đạt thành tích trong {contest.title}", on
    )
    spec["enacting_authority"] = contest.sig_organ or contest.organizer_name.upper()
    spec["preamble"] = [
        f"Căn cứ Kế hoạch tổ chức {contest.title};",
        "Căn cứ kết quả chấm điểm của Ban Giám khảo;",
        "Xét đề nghị của Ban Tổ chức cuộc thi.",
    ]
    spec["numbering"] = "articles"
    collective = [a for a in awards if a["kind"] == "collective"]
    individual = [a for a in awards if a["kind"] == "individual"]
    lines = []
    for label, group in (("Tập thể", collective), ("Cá nhân", individual)):
        if group:
            lines.append(f"{label}:")
            for a in group:
                unit = f" ({a['unit']})" if a["unit"] else ""
                lines.append(f"- {a['recipient']}{unit}: {a['title']} — {a['reason']};")
    spec["sections"] = [
        {
            "text": f"Tặng Giấy khen cho {len(collective)} tập thể và {len(individual)} cá nhân sau:",
            "content": lines,
        },
        {"text": "Quyết định có hiệu lực kể từ ngày ký."},
        {
            "text": "Ban Tổ chức cuộc thi, các tập thể và cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định."
        },
    ]
    spec["recipients"] = ["Như Điều 3", "Các đơn vị dự thi"]
    return spec


def report_spec(contest, *, on: dt.date, rows: list[dict], awards: int) -> dict:
    """BÁO CÁO tổng kết: the ranking as a table, the award count, what comes next."""
    spec = _header(contest, "BC", f"Tổng kết {contest.title}", on)
    three_up = sum(1 for r in rows if r["stars"] >= 3)
    spec["sections"] = [
        {
            "heading": "KẾT QUẢ TỔ CHỨC CUỘC THI",
            "content": [
                f"Cuộc thi diễn ra từ ngày {_d(contest.starts_on)} đến ngày {_d(contest.ends_on)} với chủ đề "
                f'"{contest.theme}"; có {len(rows)} đơn vị dự thi, {three_up} đơn vị đạt từ 3 sao trở lên.',
                {
                    "table": {
                        "columns": ["Xếp hạng", "Đơn vị", "Tự chấm", "Điểm cuối", "Mức sao"],
                        "rows": [
                            [
                                str(r["rank"] or "—"),
                                r["name"],
                                scoring.fmt(r["self_total"]),
                                scoring.fmt(r["total"]),
                                f"{r['stars']} sao" if r["stars"] else "Chưa xếp sao",
                            ]
                            for r in rows
                        ],
                    }
                },
                f"Ban Tổ chức đề nghị khen thưởng {awards} tập thể, cá nhân có thành tích tiêu biểu.",
            ],
        },
        {
            "heading": "PHƯƠNG HƯỚNG",
            "content": ['- Duy trì, nhân rộng các mô hình "Dân vận khéo" được công nhận.'],
        },
    ]
    spec["recipients"] = ["Các đơn vị dự thi", "Thành viên Ban Tổ chức, Ban Giám khảo"]
    return spec
