"""The exchange format (FORMAT.md): validate a spec, load YAML with line numbers, export a document to a spec.

``parse_spec(spec)`` returns a normalized :class:`ParsedSpec` or raises :class:`SpecError` whose ``errors`` are
``(path, message)`` pairs; ``load_yaml(text)`` turns paths into line numbers ("dòng 12: …").
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from portal import statutes
from portal.documents.models import Document, DocumentType, Section, Task
from portal.documents.structure import plain
from portal.duerules import RHYTHM_WORDS

Path = tuple


class SpecError(Exception):
    syntax = False  # a YAML syntax error: its line is the root's

    def __init__(self, errors: list[tuple[Path, str]], lines: dict | None = None):
        self.errors = errors
        self.lines = lines or {}
        super().__init__("; ".join(self.messages()))

    def line_of(self, path: Path) -> int | None:
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def messages(self) -> list[str]:
        """ "dòng 14: ngày không hợp lệ … (nhiệm vụ thứ 2, thời hạn)": the line, the message, where in plain words.
        A missing key is reported at the line of the block it belongs in (the file's first line for the top level)."""
        out = []
        for path, msg in self.errors:
            line = self.line_of(path)
            if line is None and self.lines:
                line = min(self.lines.values())
            where = where_phrase(path)
            prefix = f"dòng {line}: " if line else ""
            out.append(f"{prefix}{msg}" + (f" ({where})" if where else ""))
        return out


KEY_LABELS = {
    "type": "loại văn bản",
    "issuer": "cơ quan ban hành",
    "letter_unit": "đơn vị soạn thảo",
    "issuer_symbol": "ký hiệu cơ quan",
    "parent_organ": "cơ quan chủ quản",
    "organ": "tên cơ quan",
    "place": "địa danh",
    "date": "ngày",
    "title": "trích yếu",
    "to": "kính gửi",
    "enacting_authority": "thẩm quyền ban hành",
    "enacting": "dòng quyết định",
    "numbering": "kiểu đánh số",
    "preamble": "căn cứ",
    "preamble_style": "kiểu căn cứ",
    "sections": "nội dung",
    "content": "ý",
    "heading": "tiêu đề",
    "text": "lời văn",
    "p": "đoạn",
    "item": "ý",
    "items": "ý con",
    "table": "bảng",
    "columns": "tiêu đề cột",
    "rows": "hàng",
    "closing": "đoạn kết",
    "level3": "đánh số cấp 3",
    "tasks": "nhiệm vụ",
    "task": "nhiệm vụ",
    "lead": "chủ trì",
    "coordinating": "phối hợp",
    "do": "nội dung công việc",
    "due": "thời hạn",
    "org": "tổ chức chủ trì",
    "kind": "loại nhiệm vụ",
    "print": "cách in",
    "recipients": "nơi nhận",
    "name": "tên",
    "note": "ghi chú",
    "archive": "lưu",
    "signature": "chữ ký",
    "authority": "thẩm quyền ký",
    "head": "người đứng đầu",
    "position": "chức vụ",
    "signer": "người ký",
    "layout": "thể thức",
}


def where_phrase(path: Path) -> str:
    """``("tasks", 1, "due")`` -> "nhiệm vụ thứ 2, thời hạn"; ``("sections", 0, "content", 2)`` -> "nội dung, mục
    thứ 1, ý thứ 3". Keys the clerk misspelt are shown as written."""
    parts: list[str] = []
    for i, p in enumerate(path):
        if isinstance(p, int):
            label = "mục" if i == 1 and path[0] == "sections" else ""
            if parts and not label:
                parts[-1] = f"{parts[-1]} thứ {p + 1}"
            else:
                parts.append(f"{label} thứ {p + 1}".strip())
        else:
            parts.append(KEY_LABELS.get(str(p), repr(p)))
    return ", ".join(parts)


@dataclass
class Node:
    kind: str
    heading: str = ""
    text: str = ""
    children: list[Node] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    task: TaskSpec | None = None  # a section that carries its task (printed as written)


@dataclass
class TaskSpec:
    lead: str
    description: str
    coordinating: list[str] = field(default_factory=list)
    org: str = ""
    due: dict = field(default_factory=lambda: {"due_kind": Task.Due.NONE})
    kind: str = Task.Kind.TASK


@dataclass
class ParsedSpec:
    fields: dict
    nodes: list[Node]
    tasks: list[TaskSpec]
    issuer: str = ""
    registered: dict | None = None  # {"number": 12, "date": date}: already issued on paper (FORMAT.md)


TYPE_ALIASES = {t.value.upper(): t.value for t in DocumentType} | {t.label: t.value for t in DocumentType}
AUTHORITY_WORDS = {"": "", "NONE": "", "TM": "TM", "KT": "KT", "Q": "Q", "TL": "TL", "TUQ": "TUQ"}
AUTHORITY_WORDS |= {"T/M": "TM", "K/T": "KT", "T/L": "TL"}  # the Party layout's spelling


def parse_authority(value) -> str | None:
    """``TM``, ``KT.``, ``T/M``, a combination ``TM+KT`` / ``TM. KT.`` / ``[TM, KT]`` -> the stored code
    (``"TM+KT"``); ``None`` if it is not one Decree 30 allows (``statutes.SIGNING_AUTHORITIES``)."""
    if isinstance(value, list):
        parts = [str(v) for v in value]
    else:
        parts = re.split(r"[+,\s]+", str(value or "").strip())
    codes = []
    for part in parts:
        word = part.strip().rstrip(".").upper()
        if not word:
            continue
        if word not in AUTHORITY_WORDS:
            return None
        if AUTHORITY_WORDS[word]:
            codes.append(AUTHORITY_WORDS[word])
    code = "+".join(codes)
    return code if code in statutes.SIGNING_AUTHORITIES else None


NUMBERINGS = ("roman", "arabic", "articles", "chapters")
ROMAN_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_NOTE_RE = re.compile(r"^(.*?)\s*(\([^()]*\))\s*;?$")


def _date(value, path, errors) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 - a calendar date
            except ValueError:
                pass
    errors.append((path, f"ngày không hợp lệ: {value!r} (dùng YYYY-MM-DD, ví dụ 2024-03-05)"))
    return None


_MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})|(?:(?:…|\.+|_+)\s*/\s*)?(\d{1,2})/(\d{4})")


def _draft_date(value, errors) -> tuple[dt.date | None, bool]:
    """``date``: a full date, or a month (``2024-03``, ``03/2024``, ``…/03/2024``) for a draft whose day is left
    blank ("ngày … tháng 3 năm 2024")."""
    if value is None or value == "":
        return None, False
    if isinstance(value, str):
        m = _MONTH_RE.fullmatch(value.strip())
        if m:
            year, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            if 1 <= int(month) <= 12 and 1900 <= int(year) <= 2100:
                return dt.date(int(year), int(month), 1), True
            errors.append((("date",), f"tháng không hợp lệ: {value!r} (dùng YYYY-MM, ví dụ 2024-03)"))
            return None, False
    return _date(value, ("date",), errors), False


def _text(value, path, errors, *, required=False, max_len=None) -> str:
    if value is None:
        if required:
            errors.append((path, "thiếu nội dung bắt buộc"))
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        sentence = _colon_sentence(value)
        if sentence:
            errors.append((path, COLON_HINT.format(sentence[:60]).replace('"- ', '"')))
        elif isinstance(value, bool):
            errors.append(
                (
                    path,
                    "phải là một chuỗi văn bản (YAML đọc yes/no/true/false thành giá trị đúng/sai; "
                    "hãy đặt trong ngoặc kép)",
                )
            )
        else:
            errors.append((path, f"phải là một chuỗi văn bản, không phải {_kind(value)}"))
        return ""
    value = value.strip()
    if required and not value:
        errors.append((path, "không được để trống"))
    if max_len and len(value) > max_len:
        errors.append((path, f"dài quá {max_len} ký tự"))
    return value


def _kind(value) -> str:
    if isinstance(value, dict):
        return "một bảng (mapping)"
    if isinstance(value, list):
        return "một danh sách"
    return type(value).__name__


def _unknown_keys(mapping: dict, allowed, path, errors) -> None:
    for key in mapping:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key), [str(k) for k in allowed], n=1, cutoff=0.6)
        hint = (
            f" (có phải {close[0]!r}?)"
            if close
            else f" (các khóa được dùng: {', '.join(sorted(map(str, allowed)))})"
        )
        errors.append(((*path, key), f"khóa không hợp lệ: {key!r}{hint}"))


def _colon_sentence(value, *, need_space: bool = True) -> str | None:
    """A line like ``- Thời gian: từ ngày …`` written without quotes is read by YAML as a one-key mapping; give the
    sentence back so the error can say what happened."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, val),) = value.items()
        if (
            isinstance(key, str)
            and (isinstance(val, (str, int, float)) or val is None)
            and (" " in key.strip() or not need_space)
        ):
            return f"{key}: {val if val is not None else ''}".strip()
    return None


COLON_HINT = 'câu có dấu hai chấm ": " bị hiểu thành khóa YAML; hãy đặt cả câu trong ngoặc kép, ví dụ "- {}"'


def _nodes(items, path, errors, depth=0) -> list[Node]:
    if items is None:
        return []
    if not isinstance(items, list):
        errors.append((path, "phải là một danh sách"))
        return []
    out: list[Node] = []
    for i, item in enumerate(items):
        p = (*path, i)
        if isinstance(item, str):
            s = item.strip()
            if s.startswith("- "):
                out.append(Node(Section.Kind.ITEM, text=s[2:].strip()))
            elif s.startswith("+ "):
                parent = out[-1] if out and out[-1].kind == Section.Kind.ITEM else None
                if parent is None:
                    errors.append((p, 'ý "+" phải đứng sau một ý "-"'))
                else:
                    parent.children.append(Node(Section.Kind.ITEM, text=s[2:].strip()))
            elif s:
                out.append(Node(Section.Kind.PARAGRAPH, text=s))
            continue
        if isinstance(item, list):
            errors.append(
                (
                    p,
                    'ý gạch đầu dòng phải đặt trong ngoặc kép, ví dụ "- Nội dung ý" (YAML hiểu "- - …" '
                    "là danh sách lồng nhau)",
                )
            )
            continue
        if not isinstance(item, dict):
            errors.append((p, "mỗi phần tử phải là chuỗi hoặc bảng (heading/p/item/tasks)"))
            continue
        sentence = _colon_sentence(item)
        if sentence and not set(item) & {
            "heading",
            "text",
            "content",
            "p",
            "item",
            "items",
            "tasks",
            "table",
            "task",
        }:
            errors.append((p, COLON_HINT.format(sentence[:60])))
            continue
        _unknown_keys(
            item, {"heading", "text", "content", "p", "item", "items", "tasks", "table", "task"}, p, errors
        )
        if "tasks" in item:
            style = item["tasks"]
            if style not in (True, "table", "list"):
                errors.append(
                    ((*p, "tasks"), 'phải là true (danh sách theo đơn vị chủ trì) hoặc "table" (bảng)')
                )
            out.append(Node(Section.Kind.TASKS, text="table" if style == "table" else ""))
        elif "table" in item:
            out.append(Node(Section.Kind.TABLE, data=_table(item["table"], (*p, "table"), errors)))
        elif "p" in item:
            out.append(Node(Section.Kind.PARAGRAPH, text=_text(item["p"], (*p, "p"), errors, required=True)))
        elif "item" in item:
            node = Node(Section.Kind.ITEM, text=_text(item["item"], (*p, "item"), errors, required=True))
            sub = item.get("items") or []
            if not isinstance(sub, list):
                errors.append(((*p, "items"), "phải là một danh sách"))
                sub = []
            for j, s in enumerate(sub):
                node.children.append(
                    Node(Section.Kind.ITEM, text=_text(s, (*p, "items", j), errors, required=True))
                )
            out.append(node)
        else:
            heading = _text(item.get("heading"), (*p, "heading"), errors, max_len=500)
            text = _text(item.get("text"), (*p, "text"), errors)
            if not heading and not text:
                errors.append((p, "mục phải có heading hoặc text"))
            task = None
            if "task" in item:
                default_do = plain(" ".join(x for x in (heading, text) if x))
                task = _task(item["task"], (*p, "task"), errors, default_do=default_do)
            out.append(
                Node(
                    Section.Kind.SECTION,
                    heading=heading,
                    text=text,
                    children=_nodes(item.get("content"), (*p, "content"), errors, depth + 1),
                    task=task,
                )
            )
    return out


def _table(value, path, errors) -> dict:
    if not isinstance(value, dict):
        errors.append((path, "bảng phải có columns và rows"))
        return {"columns": [], "rows": []}
    columns = value.get("columns")
    if not isinstance(columns, list) or not columns:
        errors.append(((*path, "columns"), "bảng phải có danh sách tiêu đề cột (columns)"))
        columns = []
    columns = [_text(c, (*path, "columns", i), errors) for i, c in enumerate(columns)]
    rows = value.get("rows") or []
    if not isinstance(rows, list):
        errors.append(((*path, "rows"), "rows phải là danh sách các hàng"))
        rows = []
    out_rows = []
    for i, row in enumerate(rows):
        if not isinstance(row, list):
            errors.append(((*path, "rows", i), "mỗi hàng phải là một danh sách ô"))
            continue
        if columns and len(row) != len(columns):
            errors.append(((*path, "rows", i), f"hàng có {len(row)} ô, bảng có {len(columns)} cột"))
        out_rows.append(
            [_text(c, (*path, "rows", i, j), errors) if c is not None else "" for j, c in enumerate(row)]
        )
    _unknown_keys(value, {"columns", "rows", "chart"}, path, errors)
    out = {"columns": columns, "rows": out_rows}
    chart = value.get("chart")
    if chart is not None:
        if chart != "bar":
            errors.append(((*path, "chart"), 'chart chỉ nhận giá trị "bar" (biểu đồ cột)'))
        elif len(columns) < 2:
            errors.append(((*path, "chart"), "biểu đồ cần ít nhất hai cột: tên và số liệu"))
        else:
            for i, row in enumerate(out_rows):
                if len(row) > 1 and not _CHART_NUMBER.fullmatch(row[1].strip()):
                    errors.append(((*path, "rows", i), f"ô thứ hai “{row[1][:40]}” phải là số để vẽ biểu đồ"))
            out["chart"] = "bar"
    return out


_CHART_NUMBER = re.compile(r"\d{1,9}")


def chart_rows(data: dict) -> list[dict]:
    """A table with ``chart: bar`` as bar chart rows: the first column names a bar, the second gives its value."""
    return [
        {"label": row[0], "count": int(row[1].strip())}
        for row in data.get("rows", [])
        if len(row) > 1 and _CHART_NUMBER.fullmatch(row[1].strip())
    ]


DUE_KEYS = frozenset(
    {
        "on",
        "before",
        "from",
        "to",
        "month",
        "quarter",
        "year",
        "every_year_before",
        "ongoing",
        "since",
        "note",
        "on_trigger",
        "within_days",
        "within_working_days",
        "each_time",
        "before_event",
        "days",
    }
)

# A due rule typed as free text -> the form that says it (shown in the error message).
_DUE_HINTS = (
    (r"qu[ýy]\s+(I{1,3}|IV|[1-4])\D+(\d{4})", lambda m: f'due: {{quarter: "{m[1]}/{m[2]}"}}'),
    (r"(\d{4})\s+và\s+các\s+năm\s+tiếp\s+theo", lambda m: f"due: {{ongoing: hằng năm, since: {m[1]}}}"),
    (r"tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})", lambda m: f"due: {{month: {m[2]}-{int(m[1]):02d}}}"),
    (r"^(?:trong\s+)?năm\s+(\d{4})$", lambda m: f"due: {{year: {m[1]}}}"),
    (
        r"trước\s+ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})",
        lambda m: f"due: {{before: {m[3]}-{int(m[2]):02d}-{int(m[1]):02d}}}",
    ),
    (
        r"trước\s+ngày\s+(\d{1,2})/(\d{1,2})\s+hằng\s+năm",
        lambda m: f'due: {{every_year_before: "{m[1]}/{m[2]}"}}',
    ),
    (r"trước\s+(\d+)\s+ngày", lambda m: f'due: {{before_event: "kỳ họp …", days: {int(m[1])}}}'),
    (
        r"(định\s+kỳ|thường\s+xuyên).*(khi\s+có\s+yêu\s+cầu|đột\s+xuất)",
        lambda m: 'due: {ongoing: hằng quý, note: "và khi có yêu cầu"}',
    ),
    (r"thường\s+xuyên|định\s+kỳ", lambda m: "due: {ongoing: hằng quý} (hoặc hằng tháng, 6 tháng, hằng năm)"),
    (r"(\d+)\s+ngày\s+làm\s+việc", lambda m: f'due: {{on_trigger: "Khi có …", within_working_days: {m[1]}}}'),
    (r"^(mỗi\s+)?khi\s+có", lambda m: 'due: {on_trigger: "' + m.string + '", within_days: 15}'),
)


def due_hint(text: str) -> str:
    """The FORMAT.md form for a due rule a clerk typed as words ("Quý I năm 2024" -> due: {quarter: "I/2024"})."""
    s = " ".join(str(text).split())
    for pattern, form in _DUE_HINTS:
        m = re.search(pattern, s, re.I)
        if m:
            return form(m)
    return ""


def _due(value, path, errors) -> dict:
    d = {"due_kind": Task.Due.NONE}
    if value is None:
        return d
    if not isinstance(value, dict):
        if isinstance(value, str) and (hint := due_hint(value)):
            errors.append(
                (path, f"thời hạn viết bằng lời chưa đọc được: {value!r}; hãy viết {hint} (xem FORMAT.md)")
            )
            return d
        date = _date(value, path, errors)
        return {"due_kind": Task.Due.DATE, "due_date": date}
    _unknown_keys(value, DUE_KEYS, path, errors)
    keys = set(value)
    if "before" in keys:
        return {"due_kind": Task.Due.BEFORE, "due_date": _date(value["before"], (*path, "before"), errors)}
    if "on" in keys:
        return {"due_kind": Task.Due.DATE, "due_date": _date(value["on"], (*path, "on"), errors)}
    if "to" in keys:
        start = _date(value["from"], (*path, "from"), errors) if "from" in keys else None
        end = _date(value["to"], (*path, "to"), errors)
        if start and end and start > end:
            errors.append((path, "ngày bắt đầu sau ngày kết thúc"))
        return {"due_kind": Task.Due.PERIOD, "start_date": start, "due_date": end}
    if "month" in keys:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value["month"]).strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            errors.append(((*path, "month"), "tháng phải có dạng YYYY-MM"))
            return d
        return {"due_kind": Task.Due.MONTH, "year": int(m.group(1)), "due_month": int(m.group(2))}
    if "every_year_before" in keys:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})", str(value["every_year_before"]).strip())
        try:
            if not m:
                raise ValueError
            dt.date(2024, int(m.group(2)), int(m.group(1)))
        except ValueError:
            errors.append(((*path, "every_year_before"), "phải có dạng DD/MM"))
            return d
        return {"due_kind": Task.Due.YEARLY, "due_day": int(m.group(1)), "due_month": int(m.group(2))}
    if "year" in keys:
        year = value["year"]
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
            errors.append(((*path, "year"), "năm phải là số có 4 chữ số, ví dụ 2024"))
            return d
        return {"due_kind": Task.Due.YEAR, "year": year}
    if "quarter" in keys:
        m = re.fullmatch(r"(I{1,3}|IV|[1-4])\s*/\s*(\d{4})", str(value["quarter"]).strip())
        if not m:
            errors.append(((*path, "quarter"), 'quý phải có dạng "I/2024"'))
            return d
        return {"due_kind": Task.Due.QUARTER, "quarter": ROMAN_QUARTERS[m.group(1)], "year": int(m.group(2))}
    if "ongoing" in keys:
        rhythm = str(value["ongoing"]).strip()
        rhythm = RHYTHM_WORDS.get(rhythm.lower(), rhythm)
        if rhythm not in Task.Rhythm.values:
            errors.append(
                ((*path, "ongoing"), "chế độ báo cáo phải là hằng tháng, hằng quý, 6 tháng hoặc hằng năm")
            )
            return d
        out = {"due_kind": Task.Due.ONGOING, "rhythm": rhythm}
        if value.get("since") is not None:
            since = value["since"]
            if not isinstance(since, int) or isinstance(since, bool) or not 1900 <= since <= 2100:
                errors.append(((*path, "since"), "năm bắt đầu phải là số có 4 chữ số, ví dụ 2024"))
            else:
                out["year"] = since
        out["due_note"] = _text(value.get("note"), (*path, "note"), errors, max_len=200)
        return out
    if "before_event" in keys:
        days = value.get("days")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
            errors.append(((*path, "days"), "ghi số ngày trước sự kiện, ví dụ days: 7"))
            days = 1
        return {
            "due_kind": Task.Due.BEFORE_EVENT,
            "trigger_label": _text(
                value["before_event"], (*path, "before_event"), errors, required=True, max_len=300
            ),
            "within_days": days,
            "repeats": _flag(value, "each_time", path, errors),
        }
    if "on_trigger" in keys:
        working = "within_working_days" in keys
        key = "within_working_days" if working else "within_days"
        within = value.get(key, statutes.TASK_ON_TRIGGER.days)
        no_limit = isinstance(within, str) and within.strip().lower() in ("none", "không")
        if no_limit:
            within = None
        elif not isinstance(within, int) or isinstance(within, bool) or not 1 <= within <= 3650:
            errors.append(
                (
                    (*path, key),
                    "phải là số ngày nguyên dương (tối đa 3650), hoặc none nếu kế hoạch không ấn định",
                )
            )
            within = statutes.TASK_ON_TRIGGER.days
        return {
            "due_kind": Task.Due.TRIGGER,
            "trigger_label": _text(
                value["on_trigger"], (*path, "on_trigger"), errors, required=True, max_len=300
            ),
            "within_days": within,
            "within_working": working,
            "no_limit": no_limit,
            "repeats": _flag(value, "each_time", path, errors),
        }
    errors.append(
        (
            path,
            "thời hạn không hợp lệ (xem FORMAT.md: before, from/to, month, quarter, year, every_year_before, "
            "ongoing, on_trigger, before_event)",
        )
    )
    return d


def _flag(value: dict, key: str, path, errors) -> bool:
    flag = value.get(key, False)
    if not isinstance(flag, bool):
        errors.append(((*path, key), "phải là true hoặc false"))
        return False
    return flag


def parse_recipient(value, path, errors) -> dict | None:
    if isinstance(value, dict):
        sentence = _colon_sentence(value, need_space=False)
        if sentence and not set(value) & {"name", "note"}:
            if sentence.startswith("Lưu"):
                errors.append((path, f'dòng "{sentence}" ghi ở khóa archive, ví dụ archive: "{sentence}"'))
            else:
                errors.append((path, COLON_HINT.format(sentence[:60]).replace('"- ', '"')))
            return None
        _unknown_keys(value, {"name", "note"}, path, errors)
        name = _text(value.get("name"), (*path, "name"), errors, required=True)
        note = _text(value.get("note"), (*path, "note"), errors)
        return {"name": name, "note": note}
    name = _text(value, path, errors, required=True)
    if not name:
        return None
    name = name.rstrip(";").strip()
    m = _NOTE_RE.match(name)
    if m and m.group(1):
        return {"name": m.group(1).strip(), "note": m.group(2)}
    return {"name": name, "note": ""}


TOP_LEVEL_KEYS = frozenset(
    {
        "format",
        "type",
        "issuer",
        "letter_unit",
        "issuer_symbol",
        "parent_organ",
        "organ",
        "place",
        "date",
        "title",
        "to",
        "enacting_authority",
        "enacting",
        "numbering",
        "preamble",
        "preamble_style",
        "sections",
        "annex",
        "closing",
        "level3",
        "tasks",
        "recipients",
        "archive",
        "signature",
        "layout",
        "registered",
        "purpose",
    }
)
PURPOSES = {
    "model": Document.Purpose.MODEL,
    "mẫu": Document.Purpose.MODEL,
    "own": Document.Purpose.OWN,
    "của đơn vị": Document.Purpose.OWN,
}
TASK_KEYS = frozenset({"lead", "coordinating", "do", "due", "org", "kind"})
TASK_KINDS = {"task": Task.Kind.TASK, "request": Task.Kind.REQUEST, "đề nghị": Task.Kind.REQUEST}
SIGNATURE_KEYS = frozenset({"authority", "organ", "head", "position", "signer"})


def parse_spec(spec: Any, *, lines: dict | None = None) -> ParsedSpec:
    errors: list[tuple[Path, str]] = []
    if not isinstance(spec, dict):
        raise SpecError([((), "tệp phải là một bảng (mapping) ở cấp ngoài cùng")], lines)
    _unknown_keys(spec, TOP_LEVEL_KEYS, (), errors)
    fmt = spec.get("format")
    if fmt not in (None, "portal-document/1"):
        errors.append((("format",), "định dạng không được hỗ trợ (portal-document/1)"))
    for key, label in (
        ("type", "loại văn bản, ví dụ KH"),
        ("place", "địa danh"),
        ("signature", "khối chữ ký"),
    ):
        if key not in spec:
            errors.append(((), f"thiếu khóa {key!r} ({label})"))
    if "title" not in spec and str(spec.get("type", "")).upper() != "CV":
        errors.append(((), "thiếu khóa 'title' (trích yếu)"))
    raw_type = _text(spec.get("type"), ("type",), errors, required="type" in spec)
    doc_type = TYPE_ALIASES.get(raw_type.upper()) if raw_type else None
    if raw_type and not doc_type:
        errors.append((("type",), f"loại văn bản không hợp lệ: {raw_type!r}"))
    fields: dict[str, Any] = {"doc_type": doc_type or ""}
    fields["letter_unit"] = _text(spec.get("letter_unit"), ("letter_unit",), errors, max_len=16)
    fields["issuer_symbol"] = _text(spec.get("issuer_symbol"), ("issuer_symbol",), errors, max_len=24)
    fields["parent_organ"] = _text(spec.get("parent_organ"), ("parent_organ",), errors, max_len=200)
    fields["organ"] = _text(spec.get("organ"), ("organ",), errors, max_len=200)
    fields["place"] = _text(spec.get("place"), ("place",), errors, required="place" in spec, max_len=80)
    fields["draft_date"], fields["draft_day_blank"] = _draft_date(spec.get("date"), errors)
    fields["title"] = _text(
        spec.get("title"),
        ("title",),
        errors,
        required=doc_type != DocumentType.LETTER and "title" in spec,
        max_len=500,
    )
    preamble = spec.get("preamble") or []
    if isinstance(preamble, str):
        preamble = [preamble]
    if not isinstance(preamble, list):
        errors.append((("preamble",), "phải là một danh sách"))
        preamble = []
    fields["preamble"] = [t for i, p in enumerate(preamble) if (t := _text(p, ("preamble", i), errors))]
    style = spec.get("preamble_style")
    if style is None:
        # Legal bases: "Căn cứ …;" lines, possibly closed by "Theo đề nghị …" / "Xét đề nghị …" (Decree 30, decisions).
        bases = fields["preamble"]
        style = (
            "italic"
            if bases
            and bases[0].startswith("Căn cứ")
            and all(
                p.startswith(("Căn cứ", "Theo đề nghị", "Xét đề nghị", "Xét Tờ trình", "Theo Tờ trình"))
                for p in bases
            )
            else "plain"
        )
    if style not in ("italic", "plain"):
        errors.append((("preamble_style",), "phải là italic hoặc plain"))
        style = "plain"
    fields["preamble_style"] = style
    fields["closing"] = _text(spec.get("closing"), ("closing",), errors)
    to = spec.get("to") or []
    if isinstance(to, str):
        to = [to]
    if not isinstance(to, list):
        errors.append((("to",), "phải là một chuỗi hoặc danh sách nơi được kính gửi"))
        to = []
    fields["addressees"] = [
        t.rstrip(";.").strip() for i, v in enumerate(to) if (t := _text(v, ("to", i), errors))
    ]
    fields["enacting_authority"] = _text(
        spec.get("enacting_authority"), ("enacting_authority",), errors, max_len=300
    )
    fields["enacting"] = (
        _text(spec["enacting"], ("enacting",), errors, max_len=40)
        if "enacting" in spec and spec["enacting"] is not None
        else None
    )
    numbering = str(spec.get("numbering") or "roman").strip()
    if numbering not in NUMBERINGS:
        errors.append((("numbering",), f"kiểu đánh số phải là một trong: {', '.join(NUMBERINGS)}"))
        numbering = "roman"
    fields["numbering"] = numbering
    level3 = str(spec.get("level3") or "1.1.")
    if level3 not in ("1.1.", "a)"):
        errors.append((("level3",), 'phải là "1.1." hoặc "a)"'))
        level3 = "1.1."
    fields["level3"] = level3
    layout = spec.get("layout")
    if layout not in (None, "state", "party"):
        errors.append((("layout",), "phải là state hoặc party"))
        layout = None
    fields["layout"] = layout
    if "sections" not in spec:
        errors.append(((), "thiếu khóa sections (nội dung văn bản)"))
    nodes = _nodes(spec.get("sections"), ("sections",), errors)
    if spec.get("annex") is not None:
        annex = _annex(spec["annex"], errors)
        if annex is not None:
            nodes.append(annex)
    if sum(1 for n in _walk(nodes) if n.kind == Section.Kind.TASKS) > 1:
        errors.append((("sections",), "chỉ được đặt {tasks: true} một lần"))

    tasks: list[TaskSpec] = []
    raw_tasks = spec.get("tasks") or []
    if not isinstance(raw_tasks, list):
        errors.append((("tasks",), "phải là một danh sách"))
        raw_tasks = []
    for i, t in enumerate(raw_tasks):
        task = _task(t, ("tasks", i), errors)
        if task is not None:
            tasks.append(task)

    recipients = spec.get("recipients") or []
    if not isinstance(recipients, list):
        errors.append((("recipients",), "phải là một danh sách"))
        recipients = []
    fields["recipients"] = [
        r for i, v in enumerate(recipients) if (r := parse_recipient(v, ("recipients", i), errors))
    ]
    fields["archive"] = _text(spec.get("archive"), ("archive",), errors, max_len=120) or "Lưu: VT"

    sig = spec.get("signature")
    if not isinstance(sig, dict):
        if "signature" in spec:
            errors.append(
                (("signature",), "khối chữ ký phải là một bảng: authority, organ, head, position, signer")
            )
        sig = {}
    _unknown_keys(sig, SIGNATURE_KEYS, ("signature",), errors)
    authority = parse_authority(sig.get("authority"))
    if authority is None:
        errors.append(
            (
                ("signature", "authority"),
                "phải là TM, KT, Q, TL, TUQ, TM+KT, TM+Q hoặc none "
                f"(các cách ký theo {statutes.SIGNING_SOURCE})",
            )
        )
        authority = ""
    fields["sig_authority"] = authority
    fields["sig_organ"] = _text(sig.get("organ"), ("signature", "organ"), errors, max_len=120)
    fields["sig_head"] = _text(sig.get("head"), ("signature", "head"), errors, max_len=120)
    fields["sig_position"] = _text(sig.get("position"), ("signature", "position"), errors, max_len=120)
    fields["sig_signer"] = _text(sig.get("signer"), ("signature", "signer"), errors, max_len=120)
    rule = statutes.SIGNING_AUTHORITIES[authority]
    printed = rule.code.replace("+", ". + ") + "." if rule.code else ""
    if rule.needs_organ and not fields["sig_organ"]:
        errors.append(
            (("signature", "organ"), f"ký {printed} phải ghi tập thể lãnh đạo (organ), ví dụ ỦY BAN NHÂN DÂN")
        )
    if rule.needs_head and not fields["sig_head"]:
        errors.append(
            (("signature", "head"), f"ký {printed} phải ghi chức vụ người đứng đầu (head), ví dụ CHỦ TỊCH")
        )
    if sig and not fields["sig_position"]:
        errors.append((("signature", "position"), "thiếu chức vụ người ký"))

    if spec.get("purpose") is not None:
        purpose = PURPOSES.get(str(spec["purpose"]).strip().casefold())
        if purpose is None:
            errors.append(
                (
                    ("purpose",),
                    "mục đích không hợp lệ: ghi purpose: model (kế hoạch mẫu cho các xã) "
                    "hoặc purpose: own (kế hoạch của chính đơn vị, được theo dõi hạn)",
                )
            )
        else:
            fields["purpose"] = purpose
    issuer = _text(spec.get("issuer"), ("issuer",), errors)
    registered = _registered(spec.get("registered"), errors) if spec.get("registered") is not None else None
    if errors:
        raise SpecError(errors, lines)
    return ParsedSpec(fields=fields, nodes=nodes, tasks=tasks, issuer=issuer, registered=registered)


def _registered(value, errors) -> dict | None:
    path = ("registered",)
    if not isinstance(value, dict):
        errors.append((path, "ghi số và ngày đã ban hành, ví dụ registered: {number: 12, date: 2024-01-15}"))
        return None
    _unknown_keys(value, {"number", "date"}, path, errors)
    number = value.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 99999:
        errors.append(((*path, "number"), "số văn bản phải là số nguyên dương, ví dụ 12"))
    if value.get("date") is None:
        errors.append((path, "thiếu ngày ban hành (date)"))
        return None
    date = _date(value["date"], (*path, "date"), errors)
    return {"number": number, "date": date}


ANNEX_KEYS = frozenset({"title", "subtitle", "numbering", "sections"})


def _annex(value, errors) -> Node | None:
    """``annex``: the text issued with a decision (a quy chế, quy định), printed after the signature on a new page
    under its own title and "(Ban hành kèm theo …)"; its articles are numbered on their own. Stored as a last
    top-level section whose ``data`` is ``{"annex": {"numbering": …}}``."""
    path = ("annex",)
    if not isinstance(value, dict):
        errors.append((path, "phải là một bảng (title, subtitle, numbering, sections)"))
        return None
    _unknown_keys(value, ANNEX_KEYS, path, errors)
    title = _text(value.get("title"), (*path, "title"), errors, required=True, max_len=500)
    subtitle = _text(value.get("subtitle"), (*path, "subtitle"), errors, max_len=500)
    numbering = value.get("numbering") or "chapters"
    if numbering not in ("chapters", "articles"):
        errors.append(((*path, "numbering"), "phải là chapters hoặc articles"))
        numbering = "chapters"
    if not value.get("sections"):
        errors.append(((*path, "sections"), "phụ lục phải có nội dung"))
    children = _nodes(value.get("sections"), (*path, "sections"), errors)
    return Node(
        kind=Section.Kind.SECTION,
        heading=title,
        text=subtitle,
        children=children,
        data={"annex": {"numbering": numbering}},
    )


def _task(t, p, errors, *, default_do: str = "") -> TaskSpec | None:
    """One task: of the ``tasks`` list, or carried by a section (``do`` then defaults to the section's words)."""
    if not isinstance(t, dict):
        errors.append((p, "mỗi nhiệm vụ phải là một bảng (lead, do, due…)"))
        return None
    _unknown_keys(t, TASK_KEYS, p, errors)
    coord = t.get("coordinating") or []
    if isinstance(coord, str):
        coord = [coord]
    if not isinstance(coord, list):
        errors.append(((*p, "coordinating"), "phải là một danh sách"))
        coord = []
    kind = TASK_KINDS.get(str(t.get("kind") or "task").strip().lower())
    if kind is None:
        errors.append(((*p, "kind"), "phải là task (nhiệm vụ) hoặc request (đề nghị)"))
        kind = Task.Kind.TASK
    description = (
        _text(t.get("do"), (*p, "do"), errors, required=True) if "do" in t or not default_do else default_do
    )
    return TaskSpec(
        lead=_text(t.get("lead"), (*p, "lead"), errors, required=True, max_len=200),
        description=description,
        coordinating=[x for j, c in enumerate(coord) if (x := _text(c, (*p, "coordinating", j), errors))],
        org=_text(t.get("org"), (*p, "org"), errors),
        due=_due(t.get("due"), (*p, "due"), errors),
        kind=kind,
    )


def _walk(nodes):
    for n in nodes:
        yield n
        yield from _walk(n.children)


# -- YAML with line numbers -------------------------------------------------------------------------------------------


def _collect_lines(node, path, lines):
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*path, key)] = key_node.start_mark.line + 1
            _collect_child(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _collect_child(child, (*path, i), lines)


def _collect_child(node, path, lines):
    if isinstance(node, yaml.ScalarNode):
        lines[path] = node.start_mark.line + 1
    else:
        lines[path] = node.start_mark.line + 1
        _collect_lines(node, path, lines)


SYNTAX_HINT = (
    "(kiểm tra: thụt lề bằng dấu cách, không dùng phím Tab; sau tên khóa có dấu hai chấm và một dấu "
    'cách; câu có dấu ": " hoặc bắt đầu bằng -, *, [, { phải đặt trong ngoặc kép)'
)

# PyYAML's English problems -> what the clerk did, in Vietnamese.
SYNTAX_PROBLEMS = (
    ("found character '\\t'", "có ký tự Tab; hãy thụt lề bằng dấu cách, không dùng phím Tab"),
    ("mapping values are not allowed", 'có dấu hai chấm ": " giữa câu; hãy đặt cả câu trong ngoặc kép'),
    (
        "could not find expected ':'",
        "thiếu dấu hai chấm sau tên khóa, hoặc một câu nhiều dòng chưa đặt trong ngoặc kép",
    ),
    ("expected <block end>", "thụt lề không thẳng hàng với các dòng cùng cấp ở trên"),
    ("expected <block mapping start>", "thụt lề không thẳng hàng với các dòng cùng cấp ở trên"),
    ("found unexpected end of stream", 'thiếu dấu ngoặc kép đóng (")'),
    ("found unknown escape character", 'dấu "\\" trong ngoặc kép; hãy dùng ngoặc đơn \' \' hoặc bỏ dấu "\\"'),
    ("found undefined alias", 'dấu "*" ở đầu dòng bị hiểu là tham chiếu YAML; hãy đặt câu trong ngoặc kép'),
    ("found character '@'", 'câu bắt đầu bằng "@" hoặc "`" phải đặt trong ngoặc kép'),
    ("found character '`'", 'câu bắt đầu bằng "@" hoặc "`" phải đặt trong ngoặc kép'),
    ("found duplicate anchor", 'dấu "&" ở đầu câu bị hiểu là YAML; hãy đặt câu trong ngoặc kép'),
    ("did not find expected key", "một dòng lệch thụt lề hoặc thiếu dấu ngoặc đóng"),
    (
        "did not find expected '-' indicator",
        'một ý của danh sách phải bắt đầu bằng "- " thẳng hàng với các ý khác',
    ),
    ("did not find expected node content", "thiếu nội dung sau dấu gạch đầu dòng hoặc dấu hai chấm"),
    ("did not find expected ',' or ']'", 'danh sách trong ngoặc vuông [ ] thiếu dấu "," hoặc "]"'),
    ("did not find expected ',' or '}'", 'bảng trong ngoặc nhọn { } thiếu dấu "," hoặc "}"'),
)


def syntax_message(exc: yaml.YAMLError) -> str:
    problem = str(getattr(exc, "problem", "") or exc)
    for english, vietnamese in SYNTAX_PROBLEMS:
        if english in problem:
            return f"lỗi cú pháp YAML: {vietnamese}"
    return f"lỗi cú pháp YAML {SYNTAX_HINT}"


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: dates stay strings so a bad date is reported with its line."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str) -> tuple[Any, dict]:
    """Parse YAML; return (data, {path: line}). Syntax errors raise SpecError with the line."""
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        err = SpecError([((), syntax_message(exc))], {(): line} if line else {})
        err.syntax = True
        raise err from exc
    except yaml.YAMLError as exc:
        raise SpecError([((), syntax_message(exc))]) from exc
    lines: dict = {}
    if root is not None:
        _collect_lines(root, (), lines)
    return data, lines


def parse_yaml(text: str) -> ParsedSpec:
    data, lines = load_yaml(text)
    return parse_spec(data, lines=lines)


# -- export -------------------------------------------------------------------------------------------------------------


def _node_to_spec(node) -> Any:
    if node["kind"] == Section.Kind.PARAGRAPH:
        return node["text"]
    if node["kind"] == Section.Kind.TASKS:
        return {"tasks": "table" if node["text"] == "table" else True}
    if node["kind"] == Section.Kind.TABLE:
        table = {
            "columns": list(node["data"].get("columns", [])),
            "rows": [list(r) for r in node["data"].get("rows", [])],
        }
        if node["data"].get("chart"):
            table["chart"] = node["data"]["chart"]
        return {"table": table}
    if node["kind"] == Section.Kind.ITEM:
        if node["children"]:
            return {"item": node["text"], "items": [c["text"] for c in node["children"]]}
        return f"- {node['text']}"
    out: dict[str, Any] = {}
    if node["heading"]:
        out["heading"] = node["heading"]
    if node["text"]:
        out["text"] = node["text"]
    if node.get("task") is not None:
        out["task"] = _task_to_spec(node["task"])
    if node["children"]:
        out["content"] = [_node_to_spec(c) for c in node["children"]]
    return out


def _task_to_spec(t: Task) -> dict:
    item: dict[str, Any] = {"lead": t.lead, "do": t.description}
    if t.coordinating:
        item["coordinating"] = list(t.coordinating)
    due = task_due_to_spec(t)
    if due is not None:
        item["due"] = due
    if t.kind == Task.Kind.REQUEST:
        item["kind"] = "request"
    return item


def task_due_to_spec(task: Task) -> Any:
    return task.due_rule.to_spec()


def document_to_spec(document: Document) -> dict:
    from portal.documents.structure import section_tree

    d = document
    spec: dict[str, Any] = {
        "format": "portal-document/1",
        "type": d.doc_type,
        "issuer": d.issuer.short_name,
        "layout": d.layout,
    }
    for key, attr in (
        ("letter_unit", "letter_unit"),
        ("issuer_symbol", "issuer_symbol"),
        ("parent_organ", "parent_organ"),
        ("organ", "organ"),
    ):
        if getattr(d, attr):
            spec[key] = getattr(d, attr)
    spec["place"] = d.place
    if d.display_date:
        spec["date"] = f"{d.draft_date:%Y-%m}" if d.draft_day_blank and not d.issued_on else d.display_date
    spec["title"] = d.title
    if d.addressees:
        spec["to"] = list(d.addressees)
    if d.enacting_authority:
        spec["enacting_authority"] = d.enacting_authority
    if d.enacting is not None:
        spec["enacting"] = d.enacting
    if d.numbering != "roman":
        spec["numbering"] = d.numbering
    if d.preamble:
        spec["preamble"] = list(d.preamble)
        spec["preamble_style"] = d.preamble_style
    spec["level3"] = d.level3
    all_tasks = list(d.tasks.all())
    by_section = {t.section_id: t for t in all_tasks if t.section_id}
    tree = section_tree(d)

    def attach(nodes):
        for n in nodes:
            n["task"] = by_section.get(n.get("id"))
            attach(n["children"])

    attach(tree)
    spec["sections"] = [_node_to_spec(n) for n in tree if not n["data"].get("annex")]
    for n in tree:
        if n["data"].get("annex"):
            spec["annex"] = {
                "title": n["heading"],
                **({"subtitle": n["text"]} if n["text"] else {}),
                "numbering": n["data"]["annex"].get("numbering", "chapters"),
                "sections": [_node_to_spec(c) for c in n["children"]],
            }
    if d.closing:
        spec["closing"] = d.closing
    tasks = [_task_to_spec(t) for t in all_tasks if not t.section_id]
    if tasks:
        spec["tasks"] = tasks
    spec["recipients"] = [dict(r) if r.get("note") else r["name"] for r in d.recipients]
    spec["archive"] = d.archive
    if d.registered_late and d.number:
        spec["registered"] = {"number": d.number, "date": d.issued_on}
    if d.commune_id is None:  # an upper level's document says whether it is a model or its own plan
        spec["purpose"] = d.purpose
    spec["signature"] = {
        "authority": d.sig_authority or "none",
        "organ": d.sig_organ,
        "head": d.sig_head,
        "position": d.sig_position,
        "signer": d.sig_signer,
    }
    return spec


def dump_yaml(spec: dict) -> str:
    def _plain(v):
        if isinstance(v, dict):
            return {k: _plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [_plain(x) for x in v]
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, str):
            return str(v)
        return v

    return yaml.safe_dump(_plain(spec), allow_unicode=True, sort_keys=False, width=110)
