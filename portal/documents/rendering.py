"""Rendering an official document: HTML preview, PDF (WeasyPrint) and DOCX (python-docx).

Layout: Decree 30/2020/NĐ-CP Appendix I for state organs, Hướng dẫn 36-HD/VPTW for Party committees. The font is
Liberation Serif 2 (Debian ``fonts-liberation2``, metric-compatible with Times New Roman) declared with
``@font-face`` under the names "Times New Roman" and "Liberation Serif" so fontconfig can never pick the old
``fonts-liberation`` 1.07 (it lacks Vietnamese glyphs); fallback TeX Gyre Termes (``fonts-texgyre``).
The WeasyPrint URL fetcher serves only the project's static files, the font files and ``data:`` URLs.
"""

from __future__ import annotations

import functools
import io
import os
import re
import threading
import unicodedata
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from portal.documents.models import Document, DocumentType, Section
from portal.documents.structure import keep_together_spans, numbered_body, place_date_line, plain, runs

FONT_DIRS = getattr(
    settings,
    "DOCUMENTS_FONT_DIRS",
    [
        "/usr/share/fonts/truetype/liberation2",
        "/usr/share/texmf/fonts/opentype/public/tex-gyre",
        "/usr/share/fonts/opentype/tex-gyre",
    ],
)
FONT_FILES = {
    # (weight, style): (Liberation Serif 2, TeX Gyre Termes)
    ("normal", "normal"): ("LiberationSerif-Regular.ttf", "texgyretermes-regular.otf"),
    ("bold", "normal"): ("LiberationSerif-Bold.ttf", "texgyretermes-bold.otf"),
    ("normal", "italic"): ("LiberationSerif-Italic.ttf", "texgyretermes-italic.otf"),
    ("bold", "italic"): ("LiberationSerif-BoldItalic.ttf", "texgyretermes-bolditalic.otf"),
}


def _find_font(name: str) -> Path | None:
    for d in FONT_DIRS:
        p = Path(d) / name
        if p.is_file():
            return p
    return None


def font_faces() -> list[dict]:
    faces = []
    for (weight, style), (lib, termes) in FONT_FILES.items():
        path = _find_font(lib) or _find_font(termes)
        if path is not None:
            faces.append({"weight": weight, "style": style, "url": path.as_uri()})
    return faces


# -- line balancing ------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _metrics(bold: bool):
    from fontTools.ttLib import TTFont

    lib, termes = FONT_FILES[("bold" if bold else "normal", "normal")]
    path = _find_font(lib) or _find_font(termes)
    if path is None:
        return None
    tt = TTFont(str(path), lazy=True)
    return tt.getBestCmap(), tt["hmtx"].metrics, tt["head"].unitsPerEm


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in points of ``text`` set in the document font (Liberation Serif 2 metrics = Times New Roman)."""
    m = _metrics(bold)
    if m is None:
        return len(text) * size * 0.55
    cmap, hmtx, upm = m
    units = 0
    for ch in unicodedata.normalize("NFC", text):
        glyph = cmap.get(ord(ch))
        units += hmtx[glyph][0] if glyph in hmtx else upm // 2
    return units * size / upm


def _words(para: str) -> list[str]:
    """Split on spaces, except inside a document symbol or a date (kept as one word: never broken at a line end)."""
    joined = list(para)
    for a, b in keep_together_spans(para):
        for i in range(a, b):
            if joined[i] == " ":
                joined[i] = "\x00"
    return [w.replace("\x00", " ") for w in "".join(joined).split()]


def balanced_lines(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Break ``text`` into the fewest lines that fit ``width`` points, as even as possible (what a clerk does by
    hand for a long organ name or title, instead of leaving one word alone on the last line). Explicit newlines
    are kept."""
    out: list[str] = []
    for para in (text or "").splitlines() or [""]:
        words = _words(para)
        if not words or text_width(para.strip(), size, bold=bold) <= width:
            out.append(" ".join(words))
            continue
        space = text_width(" ", size, bold=bold)
        widths = [text_width(w, size, bold=bold) for w in words]
        n = len(words)

        prefix = [0.0]
        for w in widths:
            prefix.append(prefix[-1] + w)

        def span(i, j, prefix=prefix, space=space):  # width of words[i:j]
            return prefix[j] - prefix[i] + space * (j - i - 1)

        # best[k][j]: minimal largest line width laying words[:j] on k lines (None: impossible)
        best = {0: {0: (0.0, None)}}
        k = 0
        while n not in best[k] and k < n:
            k += 1
            best[k] = {}
            for j in range(1, n + 1):
                for i, (worst, _) in best[k - 1].items():
                    if i >= j:
                        continue
                    w = span(i, j)
                    if w > width and j - i > 1:
                        continue
                    cand = max(worst, w)
                    if j not in best[k] or cand < best[k][j][0]:
                        best[k][j] = (cand, i)
        lines, j = [], n
        for level in range(k, 0, -1):
            i = best[level][j][1]
            lines.append(" ".join(words[i:j]))
            j = i
        out.extend(reversed(lines))
    return out


# -- the safe URL fetcher ----------------------------------------------------------------------------------------------


def _allowed_roots() -> list[str]:
    roots = [*FONT_DIRS, *(str(d) for d in getattr(settings, "STATICFILES_DIRS", []))]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(str(settings.STATIC_ROOT))
    return [os.path.realpath(r) for r in roots]


def _make_fetcher():
    from weasyprint.urls import URLFetcher

    class PortalURLFetcher(URLFetcher):
        """Serves data: URLs and files under the static and font directories; refuses everything else."""

        def __init__(self, **kwargs):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, **kwargs)
            self.refused: list[str] = []
            self.served: list[str] = []

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                from urllib.parse import unquote, urlparse

                parsed = urlparse(url)
                path = os.path.realpath(unquote(parsed.path))
                if parsed.netloc in ("", "localhost") and any(
                    path == root or path.startswith(root + os.sep) for root in _allowed_roots()
                ):
                    self.served.append(url)
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"URL bị từ chối (chỉ tài nguyên tĩnh của cổng): {url}")

    return PortalURLFetcher


_FETCHER_CLASS = None


def url_fetcher():
    global _FETCHER_CLASS
    if _FETCHER_CLASS is None:
        _FETCHER_CLASS = _make_fetcher()
    return _FETCHER_CLASS()


# -- context -----------------------------------------------------------------------------------------------------------


MM_PT = 72 / 25.4


def _escape_keeping_together(text: str) -> str:
    """Escape ``text``; wrap each document symbol and date in a no-wrap span (one line in the PDF)."""
    out, pos = [], 0
    for a, b in keep_together_spans(text):
        out.append(escape(text[pos:a]))
        out.append(f'<span class="nobr">{escape(text[a:b])}</span>')
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out)


def rich(text: str) -> str:
    """Escape user text and turn ``**bold**`` / ``*italic*`` into <strong>/<em> (nothing else)."""
    out = []
    for chunk, bold, italic in runs(text):
        h = _escape_keeping_together(chunk)
        if bold:
            h = f"<strong>{h}</strong>"
        if italic:
            h = f"<em>{h}</em>"
        out.append(h)
    return mark_safe("".join(out))  # noqa: S308 - every chunk is escaped above


def signature_lines(document: Document) -> list[str]:
    """The authority and position lines above the signer's name (Decree 30, Art. 13 and Appendix I; HD 36):
    ``TM. ỦY BAN NHÂN DÂN`` / ``KT. CHỦ TỊCH`` / ``PHÓ CHỦ TỊCH``; ``TM. ỦY BAN NHÂN DÂN`` / ``Q. CHỦ TỊCH``."""
    party = document.layout == Document.Layout.PARTY
    prefix = {
        "TM": "T/M" if party else "TM.",
        "KT": "K/T" if party else "KT.",
        "TL": "T/L" if party else "TL.",
        "TUQ": "TUQ.",
        "Q": "Q.",
    }
    codes = [c for c in (document.sig_authority or "").split("+") if c]
    position = document.sig_position.upper()
    lines = []
    for code in codes:
        if code == "TM":
            lines.append(f"{prefix['TM']} {document.sig_organ.upper()}")
        elif code == "Q":
            position = f"Q. {position}"
        else:  # KT, TL, TUQ: in the place / by order of the head
            lines.append(f"{prefix[code]} {document.sig_head.upper()}")
    if position:
        lines.append(position)
    return lines


SIGNATURE_COLUMN_PT = (210 - 30 - 15) * 0.55 * MM_PT * 0.96  # the footer's signature column (td.sign 55%)


def signature_display_lines(document: Document) -> list[str]:
    """Each signature line kept whole; one too long for the column is broken into even lines (never a lone word)."""
    return [
        x
        for line in signature_lines(document)
        for x in balanced_lines(line, SIGNATURE_COLUMN_PT, 14, bold=True)
    ]


def _legal_bases(document: Document) -> list[str]:
    """Decree 30: each legal basis ("Căn cứ …") on its own line ending ";", the last ending "."."""
    lines = list(document.preamble)
    if document.preamble_style != "italic":
        return lines
    out = []
    for i, line in enumerate(lines):
        core = line.rstrip().rstrip(";.,")
        out.append(core + ("." if i == len(lines) - 1 else ";"))
    return out


def _addressees(document: Document) -> list[str]:
    """ "Kính gửi:" lines: one addressee as is, several as "- X;" lines; the last ends with "."."""
    names = [a.rstrip(" ;.") for a in document.addressees if a.strip()]
    if len(names) == 1:
        return [names[0] + "."]
    return [f"- {a}" + ("." if i == len(names) - 1 else ";") for i, a in enumerate(names)]


def closing_text(document: Document) -> str:
    text = (document.closing or "").rstrip()
    if text and not text.endswith("./."):
        text = text.rstrip(".") + "./."
    return text


def _ensure_end_mark(body: list[dict], has_closing: bool) -> None:
    """Decree 30: the body ends with "./."; without a closing paragraph, append it to the last text node."""
    if has_closing:
        return
    last = None
    for n in _walk(body):
        if n["kind"] in (Section.Kind.PARAGRAPH, Section.Kind.ITEM) or n.get("text"):
            last = n
    if last is not None:
        t = last["text"].rstrip()
        if not t.endswith("./."):
            last["text"] = t.rstrip(".;:") + "./."


def _walk(nodes):
    for n in nodes:
        yield n
        yield from _walk(n["children"])


MM = 72 / 25.4
_NUMBER_RE = re.compile(
    r"[0-9][0-9.,/%]*"
)  # counts, amounts, dates and percentages are centred in a table cell
TEXT_WIDTH_PT = (210 - 30 - 15) * MM * 0.96  # between the margins, with a little slack for justification
LEFT_COLUMN_PT = (210 - 30 - 15) * 0.42 * MM * 0.96  # the header's left column (templates: td.left 42%)


def document_context(document: Document, *, sections=None, tasks=None) -> dict:
    annexes: list[dict] = []
    body = numbered_body(document, sections=sections, tasks=tasks, annexes=annexes)
    closing = closing_text(document)
    _ensure_end_mark(body, bool(closing))
    for annex in annexes:
        _ensure_end_mark(annex["body"], False)
    for n in _walk([*body, *(n for a in annexes for n in a["body"])]):
        heading = n["heading"]
        if (
            n.get("role") == "article"
            and heading
            and n["text"]
            and not heading.rstrip().endswith((".", ":", ";"))
        ):
            heading = heading.rstrip() + "."
        n["html_heading"] = rich(heading)
        n["html_text"] = rich(n["text"])
        if n["kind"] == Section.Kind.TABLE:
            n["html_columns"] = [rich(c) for c in n.get("data", {}).get("columns", [])]
            n["html_rows"] = [
                [(rich(c), bool(_NUMBER_RE.fullmatch(plain(c).strip()))) for c in row]
                for row in n.get("data", {}).get("rows", [])
            ]
            if n.get("data", {}).get("chart") == "bar":
                from portal import charts
                from portal.documents.specs import chart_rows

                columns = [plain(c) for c in n["data"].get("columns", [])]
                n["chart_svg"] = charts.bar_chart(
                    chart_rows(n["data"]), title=f"Biểu đồ: {columns[1]} theo {columns[0].lower()}"
                )
    is_letter = document.doc_type == DocumentType.LETTER
    d = document.display_date
    party = document.layout == Document.Layout.PARTY
    organ_size = 14 if party else 13
    organ_lines = [
        x
        for line in document.organ_lines()
        for x in balanced_lines(line.upper(), LEFT_COLUMN_PT, organ_size, bold=True)
    ]
    return {
        "parent_lines": balanced_lines(document.parent_organ.upper(), LEFT_COLUMN_PT, organ_size),
        "display_organ_lines": organ_lines,
        "title_lines": balanced_lines(document.title, TEXT_WIDTH_PT, 14, bold=True),
        "letter_title_lines": balanced_lines(f"V/v {document.title}", LEFT_COLUMN_PT, 12)
        if is_letter
        else [],
        "document": document,
        "party": document.layout == Document.Layout.PARTY,
        "parent_organ": document.parent_organ.upper(),
        "organ_lines": [line.upper() for line in document.organ_lines()],
        "number_line": document.number_line(),
        "place_date": place_date_line(
            document.place,
            d,
            year=(document.created_at.year if document.created_at else None),
            day_blank=document.draft_day_blank and not document.issued_on,
        ),
        "type_name": "" if is_letter else document.get_doc_type_display(),
        "is_letter": is_letter,
        "title": document.title,
        "addressees": _addressees(document),
        "enacting_authority": document.enacting_authority.upper(),
        "enacting": document.enacting_line(),
        "preamble": [rich(p) for p in _legal_bases(document)],
        "preamble_text": _legal_bases(document),
        "preamble_italic": document.preamble_style == "italic",
        "body": body,
        "annexes": annexes,
        "annex_note": _annex_note(document),
        "closing": rich(closing),
        "recipients": [{"name": r.get("name", ""), "note": r.get("note", "")} for r in document.recipients],
        "archive": document.archive.rstrip(".") + ".",
        "signature": signature_display_lines(document),
        "signer": document.sig_signer,
        "draft": document.status == Document.Status.DRAFT,
        "fonts": font_faces(),
    }


def _annex_note(document: Document) -> str:
    """ "(Ban hành kèm theo Quyết định số 05/QĐ-UBND ngày 30/11/2026 của Ủy ban nhân dân xã Tân Trung)"."""
    kind = document.get_doc_type_display().lower().capitalize()
    number = document.symbol_for()
    d = document.issued_on
    date = f"ngày {d:%d/%m/%Y}" if d else "ngày     /     /"
    return f"(Ban hành kèm theo {kind} số {number} {date} của {document.issuer.name})"


def render_html(document: Document, *, for_pdf: bool = False, **kw) -> str:
    ctx = document_context(document, **kw)
    ctx["for_pdf"] = for_pdf
    return render_to_string("documents/pdf/document.html", ctx)


_local = threading.local()


def font_config():
    """One WeasyPrint FontConfiguration per thread: the @font-face files are loaded once (WeasyPrint caches them
    by descriptor in the configuration), which halves the time of every render after the first."""
    fc = getattr(_local, "font_config", None)
    if fc is None:
        from weasyprint.text.fonts import FontConfiguration

        fc = _local.font_config = FontConfiguration()
    return fc


def render_pdf(document: Document, *, fetcher=None, **kw) -> bytes:
    from weasyprint import HTML

    html = render_html(document, for_pdf=True, **kw)
    base = str(Path(settings.BASE_DIR) / "static") + "/"
    return HTML(string=html, base_url=base, url_fetcher=fetcher or url_fetcher()).write_pdf(
        font_config=font_config()
    )


def render_template_pdf(template_name: str, context: dict) -> bytes:
    """A working paper that is not an official document (a briefing pack, a printable sheet) as PDF: the template
    gets ``fonts`` (the portal's own @font-face files) and renders through the same fetcher and fonts."""
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "fonts": font_faces()})
    base = str(Path(settings.BASE_DIR) / "static") + "/"
    return HTML(string=html, base_url=base, url_fetcher=url_fetcher()).write_pdf(font_config=font_config())


def render_docx(document: Document, **kw) -> bytes:
    from portal.documents.docx_export import build_docx

    buf = io.BytesIO()
    build_docx(document_context(document, **kw)).save(buf)
    return buf.getvalue()
