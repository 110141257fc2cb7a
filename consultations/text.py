"""Pure text helpers: search normalization, safe HTML made once at write time, tracking codes, draft parsing."""

from __future__ import annotations

import difflib
import re
import secrets
import unicodedata

from django.utils.html import escape, linebreaks

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: codes are read aloud and copied from paper receipts.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"


def normalize_search(value: str) -> str:
    """Lowercase, without diacritics (đ → d), whitespace collapsed: what search compares against."""
    value = (value or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def clean_text(value: str) -> str:
    """User text as stored: NFC, no control characters, trimmed lines."""
    value = unicodedata.normalize("NFC", value or "")
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def to_html(value: str) -> str:
    """Escaped paragraphs, computed once when the text is written and rendered as stored."""
    return linebreaks(value or "", autoescape=True)


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_tracking_code(value: str) -> str:
    raw = re.sub(r"[^0-9A-Za-z]", "", value or "").upper()
    return f"{raw[:4]}-{raw[4:8]}" if len(raw) == 8 else raw


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
