"""Reading a criteria set from YAML or XLSX (campaigns/FORMAT.md): all or nothing, every error with its line or row.

Both formats become the same plain structure, checked by one validator that reports each problem at the YAML line
or the spreadsheet row it comes from. Nothing is written here; :func:`campaigns.services.criteria_set_import` stores a
set only when the whole file is valid.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from portal import bounds, metrics
from portal.documents.specs import SpecError, load_yaml

FORMAT_ID = "campaigns-criteria/1"
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_CRITERIA = 500
MAX_DEPTH = 3  # group → criterion → sub-criterion
FINAL_RULES = {"mean", "median", "consensus"}
SCORINGS = {"fixed", "scale", "yes_no", "count"}
TOP_KEYS = {
    "format",
    "code",
    "version",
    "name",
    "legal_basis",
    "effective_from",
    "total",
    "bonus_cap",
    "reserved",
    "final_rule",
    "spread_threshold",
    "max_departure",
    "stars",
    "criteria",
    "bonus",
}
NODE_KEYS = {
    "code",
    "title",
    "max",
    "scoring",
    "step",
    "levels",
    "per_item",
    "evidence",
    "metric",
    "criteria",
}


class CriteriaImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class NodeData:
    code: str
    title: str
    max_points: Decimal
    is_bonus: bool
    depth: int
    scoring: str = ""
    step: Decimal | None = None
    levels: list[Decimal] = field(default_factory=list)
    per_item: Decimal | None = None
    evidence: str = ""
    metric: str = ""
    children: list[NodeData] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return bool(self.children)


@dataclass
class SetData:
    code: str
    version: int
    name: str
    legal_basis: str
    effective_from: dt.date
    total: Decimal
    bonus_cap: Decimal
    reserved: Decimal
    final_rule: str
    spread_threshold: Decimal
    max_departure: Decimal
    stars: list[dict]
    nodes: list[NodeData]


class _Checker:
    def __init__(self, where: dict):
        self.where = where
        self.errors: list[str] = []

    def at(self, path: tuple) -> str:
        """Where a path is: its own line or row, else its parent's; a missing top-level key has none."""
        while path and path not in self.where:
            path = path[:-1]
        return self.where.get(path, "") if path else ""

    def error(self, path: tuple, message: str) -> None:
        loc = self.at(path)
        self.errors.append(f"{loc}: {message}" if loc else f"Tệp: {message}")

    def text(self, value, path, label, *, required=True, max_len=300) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(path, f"thiếu {label}.")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(path, f"{label} phải là một dòng chữ.")
            return ""
        text = str(value).strip()
        if len(text) > max_len:
            self.error(path, f"{label} dài quá {max_len} ký tự.")
            return text[:max_len]
        return text

    def number(self, value, path, label, *, required=True, positive=False) -> Decimal | None:
        if value is None or value == "":
            if required:
                self.error(path, f"thiếu {label}.")
            return None
        if isinstance(value, bool):
            self.error(path, f"{label} phải là một số.")
            return None
        try:
            number = Decimal(str(value).replace(",", ".").strip())
        except InvalidOperation:
            self.error(path, f"{label} phải là một số (đang là “{str(value)[:40]}”).")
            return None
        if not number.is_finite() or number < 0 or number > 1000 or (positive and number == 0):
            self.error(path, f"{label} phải là số {'dương' if positive else 'không âm'} và không quá 1000.")
            return None
        if number != number.quantize(Decimal("0.01")):
            self.error(path, f"{label} chỉ được có tối đa 2 chữ số thập phân.")
            return None
        return number

    def unknown(self, mapping: dict, allowed: set, path: tuple) -> None:
        for key in mapping:
            if key not in allowed:
                self.error((*path, key), f"khóa “{key}” không có trong định dạng (xem FORMAT.md).")


def _date(checker: _Checker, value, path) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
        if not bounds.DATE_MIN <= day <= bounds.DATE_MAX:
            checker.error(
                path, f"ngày áp dụng phải trong khoảng {bounds.DATE_MIN.year}–{bounds.DATE_MAX.year}."
            )
            return None
        return day
    checker.error(path, "ngày áp dụng phải có dạng 2024-03-01 hoặc 01/03/2024.")
    return None


def _nodes(checker: _Checker, items, path, *, depth: int, bonus: bool, seen: set) -> list[NodeData]:
    if not isinstance(items, list):
        checker.error(path, "phải là một danh sách tiêu chí (mỗi mục bắt đầu bằng “- ”).")
        return []
    out = []
    for i, raw in enumerate(items):
        p = (*path, i)
        if not isinstance(raw, dict):
            checker.error(p, "mỗi tiêu chí phải có các khóa code, title, max.")
            continue
        checker.unknown(raw, NODE_KEYS, p)
        code = checker.text(raw.get("code"), (*p, "code"), "mã tiêu chí (code)", max_len=20)
        label = f"tiêu chí {code}" if code else "tiêu chí"
        if code and code in seen:
            checker.error((*p, "code"), f"mã {code} bị trùng.")
        seen.add(code)
        node = NodeData(
            code=code,
            title=checker.text(raw.get("title"), (*p, "title"), f"nội dung của {label}", max_len=500),
            max_points=checker.number(raw.get("max"), (*p, "max"), f"điểm tối đa của {label}", positive=True)
            or Decimal(0),
            is_bonus=bonus,
            depth=depth,
            evidence=checker.text(
                raw.get("evidence"), (*p, "evidence"), "minh chứng", required=False, max_len=500
            ),
        )
        children = raw.get("criteria")
        if children is not None:
            if depth + 1 >= MAX_DEPTH:
                checker.error(
                    (*p, "criteria"), f"{label}: tối đa {MAX_DEPTH} cấp (nhóm → tiêu chí → tiêu chí con)."
                )
            node.children = _nodes(
                checker, children, (*p, "criteria"), depth=depth + 1, bonus=bonus, seen=seen
            )
            if not node.children:
                checker.error((*p, "criteria"), f"{label}: nhóm phải có ít nhất một tiêu chí.")
            else:
                subtotal = sum((c.max_points for c in node.children), Decimal(0))
                if subtotal != node.max_points:
                    checker.error(
                        (*p, "max"),
                        f"{label}: điểm tối đa {node.max_points:f} khác tổng điểm các tiêu chí con {subtotal:f}.",
                    )
            for key in ("scoring", "step", "levels", "per_item", "metric"):
                if raw.get(key) not in (None, ""):
                    checker.error((*p, key), f"{label} là nhóm: “{key}” đặt ở tiêu chí con.")
        else:
            _leaf(checker, raw, p, node, label)
        out.append(node)
    return out


def _leaf(checker: _Checker, raw: dict, p: tuple, node: NodeData, label: str) -> None:
    scoring = str(raw.get("scoring") or "scale").strip()
    if scoring not in SCORINGS:
        checker.error((*p, "scoring"), f"{label}: cách chấm phải là fixed, scale, yes_no hoặc count.")
        return
    node.scoring = scoring
    if scoring == "scale":
        node.step = checker.number(
            raw.get("step", "0.5"), (*p, "step"), f"bước điểm của {label}", positive=True
        )
        if node.step and node.max_points and (node.max_points / node.step) % 1:
            checker.error((*p, "step"), f"{label}: điểm tối đa phải là bội số của bước điểm.")
    if scoring == "fixed":
        levels = raw.get("levels")
        if not isinstance(levels, list) or len(levels) < 2:
            checker.error((*p, "levels"), f"{label}: cách chấm fixed cần danh sách các mức điểm (levels).")
        else:
            values = [
                checker.number(v, (*p, "levels", i), f"mức điểm của {label}") for i, v in enumerate(levels)
            ]
            node.levels = sorted(v for v in values if v is not None)
            if node.levels and node.levels[-1] != node.max_points:
                checker.error((*p, "levels"), f"{label}: mức cao nhất phải bằng điểm tối đa.")
    if scoring == "count":
        node.per_item = checker.number(
            raw.get("per_item"), (*p, "per_item"), f"điểm mỗi đơn vị (per_item) của {label}", positive=True
        )
    metric = checker.text(raw.get("metric"), (*p, "metric"), "chỉ số", required=False, max_len=80)
    if metric and metrics.get_metric(metric) is None:
        known = ", ".join(m.code for m in metrics.all_metrics()) or "chưa có"
        checker.error((*p, "metric"), f"{label}: chỉ số “{metric}” không có trên Cổng (có: {known}).")
    node.metric = metric


def _flatten(nodes):
    for n in nodes:
        yield n
        yield from _flatten(n.children)


def validate(data: Any, where: dict) -> SetData:
    """Check the plain structure; raise :class:`CriteriaImportError` with every problem found."""
    c = _Checker(where)
    if not isinstance(data, dict):
        raise CriteriaImportError(
            [f"{c.at(())}: tệp phải là một bộ tiêu chí (các khóa format, code, name…)."]
        )
    if data.get("format") != FORMAT_ID:
        c.error(("format",), f"dòng đầu phải là “format: {FORMAT_ID}”.")
    c.unknown(data, TOP_KEYS, ())
    code = c.text(data.get("code"), ("code",), "mã bộ tiêu chí (code)", max_len=60)
    if code and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", code):
        c.error(("code",), "mã bộ tiêu chí chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang.")
    version = data.get("version", 1)
    if isinstance(version, str) and version.strip().isdigit():
        version = int(version.strip())
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 999:
        c.error(("version",), "phiên bản (version) phải là số nguyên từ 1 đến 999.")
        version = 1
    name = c.text(data.get("name"), ("name",), "tên bộ tiêu chí (name)")
    legal = c.text(
        data.get("legal_basis"), ("legal_basis",), "căn cứ (legal_basis)", required=False, max_len=500
    )
    effective = _date(c, data.get("effective_from"), ("effective_from",))
    total_points = c.number(data.get("total"), ("total",), "tổng điểm (total)", positive=True)
    bonus_cap = c.number(
        data.get("bonus_cap", 0), ("bonus_cap",), "điểm thưởng tối đa (bonus_cap)"
    ) or Decimal(0)
    reserved = c.number(
        data.get("reserved", 0), ("reserved",), "điểm dành cho cấp trên (reserved)"
    ) or Decimal(0)
    final_rule = str(data.get("final_rule") or "")
    if final_rule not in FINAL_RULES:
        c.error(("final_rule",), "cách tính điểm cuối (final_rule) phải là mean, median hoặc consensus.")
    spread_threshold = c.number(
        data.get("spread_threshold"), ("spread_threshold",), "ngưỡng chênh lệch giám khảo"
    )
    max_departure = c.number(data.get("max_departure"), ("max_departure",), "chênh lệch với điểm tự chấm")
    seen: set = set()
    nodes = _nodes(c, data.get("criteria"), ("criteria",), depth=0, bonus=False, seen=seen)
    if data.get("criteria") is not None and not nodes:
        c.error(("criteria",), "bộ tiêu chí phải có ít nhất một tiêu chí.")
    bonus_nodes = []
    if data.get("bonus") is not None:
        bonus_nodes = _nodes(c, data.get("bonus"), ("bonus",), depth=0, bonus=True, seen=seen)
    if bonus_cap and not bonus_nodes:
        c.error(("bonus_cap",), "có điểm thưởng tối đa nhưng không có tiêu chí thưởng (bonus).")
    if bonus_nodes and not bonus_cap:
        c.error(("bonus",), "có tiêu chí thưởng nhưng điểm thưởng tối đa (bonus_cap) bằng 0.")
    main_sum = sum((n.max_points for n in nodes), Decimal(0))
    if total_points is not None and nodes and main_sum + bonus_cap + reserved != total_points:
        c.error(
            ("total",),
            f"tổng điểm {total_points:f} khác điểm các tiêu chí {main_sum:f} + điểm thưởng {bonus_cap:f}"
            f" + điểm cấp trên {reserved:f}.",
        )
    if len(list(_flatten(nodes + bonus_nodes))) > MAX_CRITERIA:
        c.error(("criteria",), f"bộ tiêu chí có quá {MAX_CRITERIA} tiêu chí.")
    stars = []
    raw_stars = data.get("stars")
    if not isinstance(raw_stars, list) or not raw_stars:
        c.error(("stars",), "cần ít nhất một mức sao (stars), ví dụ “- {stars: 3, min: 80}”.")
    else:
        for i, s in enumerate(raw_stars):
            p = ("stars", i)
            if not isinstance(s, dict) or not isinstance(s.get("stars"), int) or not 1 <= s["stars"] <= 5:
                c.error(p, "mỗi mức sao có “stars” (số nguyên 1–5) và “min” (điểm tối thiểu).")
                continue
            minimum = c.number(
                s.get("min"), (*p, "min"), f"điểm tối thiểu của mức {s['stars']} sao", positive=True
            )
            if minimum is not None and total_points is not None and minimum > total_points:
                c.error((*p, "min"), f"mức {s['stars']} sao: điểm tối thiểu vượt tổng điểm.")
            if minimum is not None:
                stars.append({"stars": s["stars"], "min": minimum})
        ordered = sorted(stars, key=lambda s: s["stars"])
        if len({s["stars"] for s in stars}) != len(stars):
            c.error(("stars",), "mỗi mức sao chỉ khai báo một lần.")
        elif any(a["min"] >= b["min"] for a, b in zip(ordered, ordered[1:], strict=False)):
            c.error(("stars",), "mức sao cao hơn phải có điểm tối thiểu cao hơn.")
    if c.errors:
        raise CriteriaImportError(c.errors)
    return SetData(
        code=code,
        version=version,
        name=name,
        legal_basis=legal,
        effective_from=effective,
        total=total_points,
        bonus_cap=bonus_cap,
        reserved=reserved,
        final_rule=final_rule,
        spread_threshold=spread_threshold,
        max_departure=max_departure,
        stars=[{"stars": s["stars"], "min": str(s["min"])} for s in sorted(stars, key=lambda s: s["stars"])],
        nodes=nodes + bonus_nodes,
    )


def parse_yaml(text: str) -> SetData:
    try:
        data, lines = load_yaml(text)
    except SpecError as exc:
        raise CriteriaImportError([m[0].upper() + m[1:] for m in exc.messages()]) from exc
    return validate(data, {path: f"Dòng {line}" for path, line in lines.items()})


# -- XLSX --------------------------------------------------------------------------------------------------------------

INFO_SHEET = "Bộ tiêu chí"
CRITERIA_SHEET = "Tiêu chí"
INFO_LABELS = {
    "định dạng": "format",
    "mã bộ tiêu chí": "code",
    "phiên bản": "version",
    "tên bộ tiêu chí": "name",
    "căn cứ": "legal_basis",
    "ngày áp dụng": "effective_from",
    "tổng điểm": "total",
    "điểm thưởng tối đa": "bonus_cap",
    "điểm dành cho cấp trên": "reserved",
    "cách tính điểm cuối": "final_rule",
    "ngưỡng chênh lệch giữa giám khảo": "spread_threshold",
    "chênh lệch với điểm tự chấm không cần giải thích": "max_departure",
}
RULE_WORDS = {"trung bình": "mean", "trung vị": "median", "thống nhất": "consensus"}
SCORING_WORDS = {
    "thang điểm": "scale",
    "mức cố định": "fixed",
    "đạt/không đạt": "yes_no",
    "theo số lượng": "count",
}
COLUMNS = {
    "mã": "code",
    "nội dung": "title",
    "điểm tối đa": "max",
    "cách chấm": "scoring",
    "bước điểm": "step",
    "các mức": "levels",
    "điểm mỗi đơn vị": "per_item",
    "minh chứng": "evidence",
    "chỉ số": "metric",
    "thưởng": "bonus",
}


def _cell(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def parse_xlsx(content: bytes) -> SetData:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file, not our bug
        raise CriteriaImportError(["Tệp không phải là bảng tính Excel (.xlsx) đọc được."]) from exc
    missing = [name for name in (INFO_SHEET, CRITERIA_SHEET) if name not in wb.sheetnames]
    if missing:
        raise CriteriaImportError([f"Bảng tính thiếu trang “{name}”." for name in missing])
    data: dict = {}
    where: dict = {}
    errors = []
    for row_no, row in enumerate(wb[INFO_SHEET].iter_rows(max_col=2, values_only=True), start=1):
        label = str(row[0] or "").strip().rstrip(":").lower() if row else ""
        if not label:
            continue
        value = _cell(row[1]) if len(row) > 1 else None
        loc = f"Trang “{INFO_SHEET}”, dòng {row_no}"
        star = re.fullmatch(r"mức (\d) sao", label)
        if star:
            data.setdefault("stars", []).append({"stars": int(star.group(1)), "min": value})
            where[("stars", len(data["stars"]) - 1)] = loc
            where[("stars", len(data["stars"]) - 1, "min")] = loc
            where.setdefault(("stars",), loc)
            continue
        key = INFO_LABELS.get(label)
        if key is None:
            errors.append(f"{loc}: không hiểu “{row[0]}” (xem FORMAT.md).")
            continue
        if key == "final_rule" and isinstance(value, str):
            value = RULE_WORDS.get(value.lower(), value)
        data[key] = value
        where[(key,)] = loc
    header, groups, bonus = None, {}, []
    top: list = []
    for row_no, row in enumerate(wb[CRITERIA_SHEET].iter_rows(values_only=True), start=1):
        if row is None or all(v in (None, "") for v in row):
            continue
        loc = f"Trang “{CRITERIA_SHEET}”, dòng {row_no}"
        if header is None:
            header = [COLUMNS.get(str(v or "").strip().lower()) for v in row]
            unknown = [str(v) for v, k in zip(row, header, strict=True) if v not in (None, "") and k is None]
            if unknown or "code" not in header:
                errors.append(f"{loc}: tiêu đề cột không đúng ({', '.join(unknown) or 'thiếu cột Mã'}).")
                break
            continue
        raw = {k: _cell(v) for k, v in zip(header, row, strict=False) if k and v not in (None, "")}
        is_bonus = str(raw.pop("bonus", "")).strip().lower() in {"x", "có", "1"}
        if "scoring" in raw and isinstance(raw["scoring"], str):
            raw["scoring"] = SCORING_WORDS.get(raw["scoring"].lower(), raw["scoring"])
        if "levels" in raw:
            raw["levels"] = [v.strip() for v in str(raw["levels"]).split(";") if v.strip()]
        code = str(raw.get("code", ""))
        raw["code"] = code
        parent_code = code.rsplit(".", 1)[0] if "." in code else None
        siblings = top if not is_bonus else bonus
        if parent_code is not None:
            parent = groups.get(parent_code)
            if parent is None:
                errors.append(
                    f"{loc}: tiêu chí {code} nằm dưới mã {parent_code} nhưng chưa có dòng mã {parent_code}."
                )
                continue
            siblings = parent[0].setdefault("criteria", [])
            path = (*parent[1], "criteria", len(siblings))
        else:
            path = ("bonus" if is_bonus else "criteria", len(siblings))
        siblings.append(raw)
        groups[code] = (raw, path)
        for key in raw:
            where[(*path, key)] = loc
        where[path] = loc
    if header is None and not errors:
        errors.append(f"Trang “{CRITERIA_SHEET}” trống.")
    if errors:
        raise CriteriaImportError(errors)
    data["criteria"] = top
    if bonus:
        data["bonus"] = bonus
    return validate(data, where)


def parse_upload(name: str, content: bytes) -> SetData:
    if len(content) > MAX_FILE_BYTES:
        raise CriteriaImportError([f"Tệp lớn hơn {MAX_FILE_BYTES // (1024 * 1024)} MB."])
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from portal import uploads

    if not name.lower().endswith((".xlsx", ".yaml", ".yml")):
        raise CriteriaImportError(["Chỉ nhận tệp .yaml, .yml hoặc .xlsx."])
    try:  # by its bytes: no markup, program or other kind of document under a data file's name
        uploads.data_file_check(
            ContentFile(content, name=name), exts=("yaml", "yml", "xlsx"), what="Tệp bộ tiêu chí"
        )
    except ValidationError as exc:
        raise CriteriaImportError(exc.messages) from exc
    lower = name.lower()
    if lower.endswith(".xlsx"):
        if not content.startswith(b"PK"):
            raise CriteriaImportError(["Tệp .xlsx không đúng định dạng bảng tính Excel."])
        return parse_xlsx(content)
    if lower.endswith((".yaml", ".yml")):
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CriteriaImportError(["Tệp YAML phải được lưu với mã UTF-8."]) from exc
        return parse_yaml(text)
    raise CriteriaImportError(["Chỉ nhận tệp .yaml, .yml hoặc .xlsx."])
