"""Text helpers every app uses for what people type: cleaning, accent-free search text, safe HTML, tracking codes.

- :func:`clean_text` — multi-line text as stored: Unicode NFC, every control/format/unassigned/surrogate character
  removed (NUL included, which PostgreSQL refuses in text) except ``\\n`` and ``\\t``, line breaks of every kind made
  ``\\n``, trailing spaces of each line and blank edges trimmed.
- :func:`clean_line` — a one-line field (name, phone, reason): :func:`clean_text`, then whitespace collapsed to one
  space and, with ``max_length``, cut to that length.
- :func:`strip_control` — only removes control characters (keeps ``\\n``/``\\t``): for values whose layout must stay.
- :func:`normalize_search` — lowercase without diacritics (``đ`` → ``d``), whitespace collapsed: what search compares.
- :func:`to_html` — escaped paragraphs, computed once at write time and rendered as stored.
- :func:`new_tracking_code` / :func:`normalize_tracking_code` — the 8-character code alphabet read aloud and copied
  from paper (``XXXX-XXXX``). Per-kind prefixes and the lookup live in :mod:`portal.intake`.

Pure functions: no database, no settings.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from django.utils.html import linebreaks

__all__ = [
    "CODE_ALPHABET",
    "clean_line",
    "clean_text",
    "new_tracking_code",
    "normalize_search",
    "normalize_tracking_code",
    "strip_control",
    "to_html",
]

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: codes are read aloud and copied from paper receipts.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"

# Every way of breaking a line that arrives from browsers, Word, Excel or old phones becomes "\n".
_NEWLINES = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_KEEP = frozenset("\n\t")


def strip_control(value: str | None) -> str:
    """Remove control (Cc), format (Cf), surrogate (Cs), private-use (Co) and unassigned (Cn) characters.

    ``\\n`` and ``\\t`` stay. NUL, bidi overrides (U+202E…), zero-width spaces, BOM and lone surrogates go.
    """
    value = value or ""
    if value.isprintable():  # fast path: nothing of category C or Z (except space) in it
        return value
    return "".join(ch for ch in value if ch in _KEEP or unicodedata.category(ch)[0] != "C")


def clean_text(value: str | None) -> str:
    """User text as stored: NFC, newlines unified, no control characters, trailing spaces and blank edges trimmed."""
    value = _NEWLINES.sub("\n", value or "")
    value = strip_control(unicodedata.normalize("NFC", value))
    return "\n".join(line.rstrip() for line in value.split("\n")).strip()


def clean_line(value: str | None, max_length: int | None = None) -> str:
    """A one-line value: :func:`clean_text` with all whitespace (tabs, newlines) collapsed, cut to ``max_length``."""
    value = " ".join(clean_text(value).split())
    return value[:max_length].rstrip() if max_length is not None else value


def normalize_search(value: str | None) -> str:
    """Lowercase, without diacritics (đ → d), whitespace collapsed: what search compares against."""
    value = (value or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def to_html(value: str | None) -> str:
    """Escaped paragraphs, computed once when the text is written and rendered as stored."""
    return linebreaks(value or "", autoescape=True)


def new_tracking_code() -> str:
    """Eight random characters of :data:`CODE_ALPHABET` as ``XXXX-XXXX`` (25⁸ ≈ 1.5·10¹¹ codes)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_tracking_code(value: str | None) -> str:
    """What a person typed (spaces, lowercase, missing hyphen) as the stored ``XXXX-XXXX`` form when it has 8 chars."""
    raw = re.sub(r"[^0-9A-Za-z]", "", value or "").upper()
    return f"{raw[:4]}-{raw[4:8]}" if len(raw) == 8 else raw
