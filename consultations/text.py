"""Draft structure: parse a draft typed as plain text, print it back, word-level differences.

Generic text helpers (clean_text, normalize_search, to_html, tracking codes) live in :mod:`portal.text`.
"""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape

from portal.text import clean_text

# --- Draft structure ------------------------------------------------------------------------------------------------

_CHAPTER = re.compile(r"^\s*Chương\s+([IVXLCDM\d]+)\s*[.:\-–]?\s*(.*)$", re.IGNORECASE)
_ARTICLE = re.compile(r"^\s*Điều\s+(\d+[a-z]?)\s*[.:\-–]?\s*(.*)$", re.IGNORECASE)
_CLAUSE = re.compile(r"^\s*(\d+)\s*[.)]\s+(.*)$")


def parse_draft(text: str) -> list[dict]:
    """Split a draft typed as plain text into Chương / Điều / Khoản items.

    Lines "Chương I. Tên", "Điều 3. Tên", "1. Nội dung" start a chapter, an article, a clause (inside an article);
    other lines continue the current item. Each item: kind, number, heading, text, key, parent_key.
    """
    items: list[dict] = []
    chapter_key = article_key = None
    current: dict | None = None
    preamble: list[str] = []
    for raw in clean_text(text).split("\n"):
        line = raw.strip()
        if not line:
            continue
        if m := _CHAPTER.match(line):
            chapter_key, article_key = f"ch-{m.group(1).upper()}", None
            current = {
                "kind": "chapter",
                "number": m.group(1).upper(),
                "heading": m.group(2).strip(),
                "text": "",
                "key": chapter_key,
                "parent_key": None,
            }
            items.append(current)
        elif m := _ARTICLE.match(line):
            article_key = f"d-{m.group(1).lower()}"
            current = {
                "kind": "article",
                "number": m.group(1),
                "heading": m.group(2).strip(),
                "text": "",
                "key": article_key,
                "parent_key": chapter_key,
            }
            items.append(current)
        elif article_key and (m := _CLAUSE.match(line)):
            current = {
                "kind": "clause",
                "number": m.group(1),
                "heading": "",
                "text": m.group(2).strip(),
                "key": f"{article_key}.k-{m.group(1)}",
                "parent_key": article_key,
            }
            items.append(current)
        elif current is not None:
            current["text"] = f"{current['text']}\n{line}".strip()
        else:
            preamble.append(line)
    if preamble:
        items.insert(
            0,
            {
                "kind": "article",
                "number": "0",
                "heading": "Nội dung chung",
                "text": "\n".join(preamble),
                "key": "d-0",
                "parent_key": None,
            },
        )
    seen: set[str] = set()
    for item in items:
        if item["key"] in seen:
            raise ValueError(f"Số {item['kind']} {item['number']} bị lặp lại trong dự thảo.")
        seen.add(item["key"])
    return items


def draft_to_text(articles) -> str:
    """The inverse of :func:`parse_draft` for an iterable of Article rows (for editing a new version)."""
    out = []
    for a in articles:
        if a.kind == "chapter":
            out.append(f"Chương {a.number}. {a.heading}".rstrip(". "))
        elif a.kind == "article":
            out.append(f"Điều {a.number}. {a.heading}".rstrip(". "))
            if a.text:
                out.append(a.text)
        else:
            out.append(f"{a.number}. {a.text}")
    return "\n".join(out)


def diff_html(old: str, new: str) -> str:
    """Word-level difference as escaped HTML with <del> and <ins>."""
    a, b = (old or "").split(), (new or "").split()
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return " ".join(p for p in parts if p)
