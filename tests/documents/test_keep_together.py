"""Decree 30 references ("số 51-NQ/HĐND", "115-CV/BDVHU", "30/2020/NĐ-CP") and dates ("ngày 10 tháng 11 năm 2022",
"15/3/2024") are never broken at a line end, in the PDF and in the DOCX."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from docx import Document as Docx
from docx.oxml.ns import qn

from portal.documents.rendering import balanced_lines, render_docx, render_pdf
from portal.documents.services import document_create_from_spec
from portal.documents.structure import keep_together_spans
from tests.documents.factories import minimal_spec

SYMBOLS = ["51-NQ/HĐND", "115-CV/BDVHU", "30/2020/NĐ-CP"]
DATE = "ngày 10 tháng 11 năm 2022"
FILLER = "Thực hiện ý kiến chỉ đạo của cấp trên về việc triển khai các nội dung có liên quan đến dân chủ"


def _paragraphs() -> list[str]:
    """The same reference shifted one letter at a time, so that in some paragraph it meets the line end."""
    out = []
    for k in range(1, 40):
        pad = "x" * k
        out.append(f"{FILLER} {pad} theo Nghị quyết số {SYMBOLS[0]} và Công văn số {SYMBOLS[1]}.")
        out.append(f"{FILLER} {pad} theo Nghị định số {SYMBOLS[2]} {DATE} của Chính phủ.")
    return out


def test_spans_found():
    text = f"Căn cứ Nghị quyết số {SYMBOLS[0]} {DATE}, Công văn {SYMBOLS[1]} ngày 15/3/2024."
    found = [text[a:b] for a, b in keep_together_spans(text)]
    assert found == [SYMBOLS[0], DATE, SYMBOLS[1], "ngày 15/3/2024"]
    assert keep_together_spans("Ý kiến - đề xuất / kiến nghị") == []


def test_balanced_title_lines_never_split_a_date():
    title = (
        f"Kế hoạch triển khai Luật Thực hiện dân chủ ở cơ sở {DATE} trên địa bàn xã Tân Trung huyện Tân Yên"
    )
    for width in range(150, 420, 7):
        assert any(DATE in line for line in balanced_lines(title, width, 14, bold=True)), width


@pytest.mark.django_db
def test_pdf_never_breaks_a_symbol_or_a_date(commune, orgs):
    spec = minimal_spec(sections=[{"heading": "NỘI DUNG", "content": _paragraphs()}])
    doc = document_create_from_spec(spec=spec, issuer=orgs["UBND"], by=None, commune=commune)
    with pdfplumber.open(io.BytesIO(render_pdf(doc))) as pdf:
        lines = [ln for p in pdf.pages for ln in p.extract_text().splitlines()]
    for ln in lines:
        # A line ending inside a reference: "51-", "51-NQ/", "115-CV/", "30/2020/", "NĐ-" …
        assert not re.search(r"\d+[-/]([\wĐđ]+[-/])?$", ln), ln
        assert not re.search(r"(ngày|tháng|năm|ngày \d+|tháng \d+)$", ln.strip()), ln
    text = "\n".join(lines)
    for sym in SYMBOLS:
        assert text.count(sym) == 39, sym
    assert text.count(DATE) == 39


@pytest.mark.django_db
def test_docx_joins_symbols_and_dates_with_non_breaking_characters(commune, orgs):
    spec = minimal_spec(sections=[{"heading": "NỘI DUNG", "content": _paragraphs()[:2]}])
    doc = document_create_from_spec(spec=spec, issuer=orgs["UBND"], by=None, commune=commune)
    d = Docx(io.BytesIO(render_docx(doc)))
    paragraph = next(p for p in d.paragraphs if "Nghị định" in p.text)
    xml = paragraph._p.xml
    assert "<w:noBreakHyphen/>" in xml
    # Word's text of the paragraph: the date's spaces are no-break spaces, "/" is followed by a word joiner.
    text = "".join(
        (el.text or "") if el.tag == qn("w:t") else "\u2011"
        for el in paragraph._p.iter(qn("w:t"), qn("w:noBreakHyphen"))
    )
    assert "30/\u20602020/\u2060NĐ\u2011CP" in text
    assert DATE.replace(" ", "\u00a0") in text
    assert "Nghị định số" in text  # ordinary spaces elsewhere


def test_a_tracking_code_is_kept_whole_prefix_included():
    """A citizen reads the code off the paper to look the answer up: never "KN-" at a line's end and the rest on the
    next (a code whose first group is all digits used to be kept from its digits on)."""
    text = "- Kiến nghị KN-7437-Y6UN (Nâng cấp đường): chuyển Sở Xây dựng; ý kiến 4K7M-9QXA đã trả lời."
    assert [text[a:b] for a, b in keep_together_spans(text)] == ["KN-7437-Y6UN", "4K7M-9QXA"]
