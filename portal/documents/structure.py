"""The document's body as a tree with numbers computed from positions, plus the date and due-phrase formats.

Numbering (as in the seed plans): level 1 "I.", level 2 "1.", level 3 "1.1." (or "a)"), level 4 "a)"; items "-",
items nested in an item "+". Nothing stores a number: moving a section renumbers everything.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict

from portal.documents.models import Document, Section, Task
from portal.text import CODE_ALPHABET

_ROMAN_PARTS = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def roman(n: int) -> str:
    out = []
    for value, sym in _ROMAN_PARTS:
        count, n = divmod(n, value)
        out.append(sym * count)
    return "".join(out)


LETTERS = "abcdđeghiklmnopqrstuvxy"
QUARTERS = ["I", "II", "III", "IV"]


# -- dates (Decree 30/2020: leading zero for days < 10 and months 1–2) -------------------------------------------------


def vn_day(d: dt.date) -> str:
    return f"{d.day:02d}"


def vn_month(d: dt.date | int) -> str:
    m = d if isinstance(d, int) else d.month
    return f"{m:02d}" if m < 3 else str(m)


def short_date(d: dt.date) -> str:
    """29/02/2024, 26/3/2024, 05/02/2026."""
    return f"{vn_day(d)}/{vn_month(d)}/{d.year}"


def place_date_line(
    place: str, d: dt.date | None, *, year: int | None = None, day_blank: bool = False
) -> str:
    """ "Tân Trung, ngày 05 tháng 02 năm 2026"; a draft may leave the day (``day_blank``) or the whole date blank,
    as drafts are circulated: "ngày      tháng 3 năm 2024"."""
    if d is not None and day_blank:
        return f"{place}, ngày      tháng {vn_month(d)} năm {d.year}"
    if d is None:
        y = year or dt.date.today().year  # noqa: DTZ011 - blank date of a draft, only the year is shown
        return f"{place}, ngày      tháng      năm {y}"
    return f"{place}, ngày {vn_day(d)} tháng {vn_month(d)} năm {d.year}"


# -- inline markup --------------------------------------------------------------------------------------------------------

_RUN_RE = re.compile(r"(\*\*(.+?)\*\*|\*(.+?)\*)", re.S)


def runs(text: str) -> list[tuple[str, bool, bool]]:
    """Split ``**bold**`` / ``*italic*`` markup into (text, bold, italic) runs. Nothing else is interpreted."""
    out: list[tuple[str, bool, bool]] = []
    pos = 0
    for m in _RUN_RE.finditer(text or ""):
        if m.start() > pos:
            out.append((text[pos : m.start()], False, False))
        if m.group(2) is not None:
            out.append((m.group(2), True, False))
        else:
            out.append((m.group(3), False, True))
        pos = m.end()
    if pos < len(text or ""):
        out.append((text[pos:], False, False))
    return out


def plain(text: str) -> str:
    return "".join(r[0] for r in runs(text))


# -- references and dates kept on one line ------------------------------------------------------------------------------

# A document symbol: a number, then letter/number groups joined by "-" or "/" ("51-NQ/HĐND", "62/KH-UBND",
# "30/2020/NĐ-CP", "115-CV/BDVHU"); a date written out ("ngày 10 tháng 11 năm 2022", "tháng 3 năm 2024") or
# numeric ("ngày 15/3/2024", "15/3/2024"); a tracking code a citizen looks up ("KN-7437-Y6UN", "4K7M-9QXA":
# portal/intake/codes.py), whole, prefix included.
_CODE = f"[{CODE_ALPHABET}]"
_KEEP_RE = re.compile(
    rf"\b(?:{_CODE}{{2}}-)?{_CODE}{{4}}-{_CODE}{{4}}\b"
    r"|(?:ngày\s+)?(?:\d{1,2}|…|\.{2,})\s+tháng\s+(?:\d{1,2}|…|\.{2,})\s+năm\s+\d{4}"
    r"|tháng\s+\d{1,2}\s+năm\s+\d{4}"
    r"|(?:ngày\s+)?\d{1,2}/\d{1,2}/\d{4}"
    r"|\b\d+(?:[-/][^\W_]+)+"
)


def keep_together_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every document symbol and date in ``text``: the renderers print each on one line."""
    return [m.span() for m in _KEEP_RE.finditer(text or "") if re.search(r"[-/]|tháng", m.group())]


# -- due phrases ------------------------------------------------------------------------------------------------------------


def due_phrase(task: Task) -> str:
    k = task.due_kind
    if k == Task.Due.DATE and task.due_date:
        return f"ngày {short_date(task.due_date)}"
    if k == Task.Due.BEFORE and task.due_date:
        return f"trước ngày {short_date(task.due_date)}"
    if k == Task.Due.PERIOD and task.due_date:
        if task.start_date:
            return f"từ ngày {short_date(task.start_date)} đến ngày {short_date(task.due_date)}"
        return f"đến ngày {short_date(task.due_date)}"
    if k == Task.Due.MONTH:
        return f"trong tháng {task.due_month:02d}/{task.year}"
    if k == Task.Due.YEARLY:
        return f"trước ngày {task.due_day:02d}/{vn_month(task.due_month)} hằng năm"
    if k == Task.Due.QUARTER:
        return f"Quý {QUARTERS[task.quarter - 1]}/{task.year}"
    if k == Task.Due.ONGOING and not (task.year or task.due_note):
        return f"thường xuyên, báo cáo {Task.Rhythm(task.rhythm).label}" if task.rhythm else "thường xuyên"
    if k in (Task.Due.ONGOING, Task.Due.YEAR, Task.Due.BEFORE_EVENT) or (
        k == Task.Due.TRIGGER and task.no_limit
    ):
        return task.due_rule.describe()  # the core's words (portal/duerules.py)
    if k == Task.Due.TRIGGER:
        label = (
            task.trigger_label[:1].lower() + task.trigger_label[1:]
            if task.trigger_label
            else "khi có sự kiện"
        )
        unit = "ngày làm việc" if task.within_working else "ngày"
        return f"{label} (trong {task.due_rule.trigger_days} {unit})"
    return ""


def task_text(task: Task) -> str:
    text = task.description.rstrip()
    parts = [text if text.endswith((".", ";", ":", "!", "?")) else text + "."]
    if task.coordinating:
        parts.append(f"Phối hợp: {', '.join(task.coordinating)}.")
    phrase = due_phrase(task)
    if phrase:
        parts.append(f"Thời gian: {phrase}.")
    return " ".join(parts)


# -- the tree -----------------------------------------------------------------------------------------------------------------


def section_tree(document: Document, sections=None) -> list[dict]:
    """The stored nodes as nested dicts (one query), ordered by position."""
    rows = list(
        sections
        if sections is not None
        else Section.objects.filter(document=document).order_by("position", "id")
    )
    by_parent: dict[int | None, list[Section]] = {}
    for s in rows:
        by_parent.setdefault(s.parent_id, []).append(s)

    def build(parent_id):
        return [
            {
                "id": s.pk,
                "kind": s.kind,
                "heading": s.heading,
                "text": s.text,
                "data": s.data or {},
                "children": build(s.pk),
            }
            for s in sorted(by_parent.get(parent_id, []), key=lambda s: (s.position, s.pk))
        ]

    return build(None)


def _expand_tasks(nodes: list[dict], tasks: list[Task]) -> list[dict]:
    out = []
    for n in nodes:
        if n["kind"] == Section.Kind.TASKS and n["text"] == "table":
            rows = [
                [str(i), t.description, t.lead, ", ".join(t.coordinating), due_phrase(t)]
                for i, t in enumerate(tasks, start=1)
            ]
            out.append(
                {
                    "id": n["id"],
                    "kind": Section.Kind.TABLE,
                    "heading": "",
                    "text": "",
                    "children": [],
                    "generated": True,
                    "data": {"columns": TASK_TABLE_COLUMNS, "rows": rows},
                }
            )
        elif n["kind"] == Section.Kind.TASKS:
            groups: OrderedDict[str, list[Task]] = OrderedDict()
            for t in tasks:
                groups.setdefault(t.lead, []).append(t)
            for lead, items in groups.items():
                out.append(
                    {
                        "id": None,
                        "kind": Section.Kind.SECTION,
                        "heading": lead,
                        "text": "",
                        "generated": True,
                        "children": [
                            {
                                "id": None,
                                "kind": Section.Kind.ITEM,
                                "heading": "",
                                "text": task_text(t),
                                "children": [],
                                "task_id": t.pk,
                            }
                            for t in items
                        ],
                    }
                )
        else:
            out.append({**n, "children": _expand_tasks(n["children"], tasks)})
    return out


TASK_TABLE_COLUMNS = ["TT", "Nội dung công việc", "Chủ trì", "Phối hợp", "Thời gian"]


def _label(depth: int, index: int, parent_label: str, level3: str, scheme: str = "roman", state=None) -> str:
    """The number of a section at ``depth`` (1-based) and ``index`` among its sibling sections.

    Schemes: ``roman`` I. / 1. / 1.1. (or a)) / a); ``arabic`` 1. / 1.1. (or a)) / a); ``articles`` Điều 1. / 1. / a);
    ``chapters`` Chương I / Điều 1. / 1. / a). Articles are numbered continuously through the whole document.
    """
    if scheme == "chapters":
        if depth == 1:
            return f"Chương {roman(index)}"
        depth -= 1
        scheme = "articles"
    if scheme == "articles":
        if depth == 1:
            state["article"] = state.get("article", 0) + 1
            return f"Điều {state['article']}."
        if depth == 2:
            return f"{index}."
        return f"{LETTERS[(index - 1) % len(LETTERS)]})"
    if scheme == "arabic":
        depth += 1  # level 1 takes the shape of roman's level 2
    if depth == 1:
        return roman(index) + "."
    if depth == 2:
        return f"{index}."
    if depth == 3 and level3 == "1.1.":
        return f"{parent_label}{index}."
    return f"{LETTERS[(index - 1) % len(LETTERS)]})"


def number_tree(
    nodes: list[dict],
    level3: str = "1.1.",
    depth: int = 0,
    parent_label: str = "",
    in_item: bool = False,
    scheme: str = "roman",
    state: dict | None = None,
):
    """Add ``label``, ``level`` (and ``role``: chapter / article / heading) to every node (in place)."""
    state = {} if state is None else state
    index = 0
    label_depth = 1 if scheme == "arabic" else 2  # the depth whose label prefixes "1.1."
    for n in nodes:
        if n["kind"] == Section.Kind.SECTION:
            index += 1
            n["level"] = depth + 1
            n["label"] = _label(depth + 1, index, parent_label, level3, scheme, state)
            n["role"] = (
                "chapter"
                if scheme == "chapters" and depth == 0
                else "article"
                if n["label"].startswith("Điều ")
                else "heading"
            )
            number_tree(
                n["children"],
                level3,
                depth + 1,
                n["label"] if depth + 1 == label_depth else "",
                False,
                scheme,
                state,
            )
        elif n["kind"] == Section.Kind.ITEM:
            n["level"] = depth
            n["label"] = "+" if in_item else "-"
            number_tree(n["children"], level3, depth, parent_label, True, scheme, state)
        else:
            n["level"] = depth
            n["label"] = ""
    return nodes


def numbered_body(
    document: Document, *, sections=None, tasks=None, annexes: list | None = None
) -> list[dict]:
    """The body, numbered. An annex (a top-level section marked ``data.annex``: the quy chế a decision issues) is
    left out of the body and numbered on its own; pass ``annexes=[]`` to receive them."""
    tree = section_tree(document, sections)
    body = [n for n in tree if not n["data"].get("annex")]
    for n in tree:
        if n["data"].get("annex") and annexes is not None:
            scheme = n["data"]["annex"].get("numbering") or "chapters"
            annexes.append(
                {
                    "title": n["heading"],
                    "subtitle": n["text"],
                    "body": number_tree(n["children"], "a)", scheme=scheme),
                }
            )
    task_list = list(tasks if tasks is not None else document.tasks.all())
    return number_tree(_expand_tasks(body, task_list), document.level3, scheme=document.numbering or "roman")


def flatten(nodes: list[dict]):
    for n in nodes:
        yield n
        yield from flatten(n["children"])
