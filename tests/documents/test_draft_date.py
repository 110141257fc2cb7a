"""A draft circulated with the day left blank: "ngày      tháng 3 năm 2024" (the day is written when it is signed)."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from docx import Document as Docx

from portal.documents.importing import import_document_text
from portal.documents.rendering import render_docx, render_pdf
from portal.documents.services import document_create_from_spec, document_issue
from portal.documents.specs import SpecError, document_to_spec, dump_yaml, parse_spec
from tests.documents.factories import minimal_spec


@pytest.mark.parametrize("written", ["2024-03", "03/2024", "3/2024", "…/03/2024", "../3/2024"])
def test_month_only_dates_leave_the_day_blank(written):
    parsed = parse_spec(minimal_spec(date=written))
    assert (parsed.fields["draft_date"], parsed.fields["draft_day_blank"]) == (dt.date(2024, 3, 1), True)


def test_full_dates_keep_their_day_and_bad_months_are_refused():
    parsed = parse_spec(minimal_spec(date="2024-03-05"))
    assert (parsed.fields["draft_date"], parsed.fields["draft_day_blank"]) == (dt.date(2024, 3, 5), False)
    with pytest.raises(SpecError, match="tháng không hợp lệ: '2024-13' \\(dùng YYYY-MM"):
        parse_spec(minimal_spec(date="2024-13"))


@pytest.mark.django_db
def test_pdf_and_docx_print_the_month_with_a_blank_day_until_issued(commune, orgs):
    doc = document_create_from_spec(
        spec=minimal_spec(date="2024-03"), issuer=orgs["UBND"], by=None, commune=commune
    )
    with pdfplumber.open(io.BytesIO(render_pdf(doc))) as pdf:
        first = pdf.pages[0]
        words = first.extract_words()
        text = first.extract_text()
    assert "Tân Trung, ngày tháng 3 năm 2024" in text
    ngay = next(w for w in words if w["text"] == "ngày")
    thang = next(w for w in words if w["text"] == "tháng" and abs(w["top"] - ngay["top"]) < 2)
    assert thang["x0"] - ngay["x1"] > 15, "room to write the day by hand"
    d = Docx(io.BytesIO(render_docx(doc)))
    assert d.tables[0].rows[1].cells[1].paragraphs[0].text == "Tân Trung, ngày      tháng 3 năm 2024"
    # The format keeps the blank day; issuing gives the real date.
    assert document_to_spec(doc)["date"] == "2024-03"
    again = import_document_text(dump_yaml(document_to_spec(doc)), commune=commune)
    assert again.draft_day_blank and again.draft_date == dt.date(2024, 3, 1)
    issued = document_issue(document=doc, by=None, now=dt.datetime(2024, 3, 7, 3, tzinfo=dt.UTC))
    with pdfplumber.open(io.BytesIO(render_pdf(issued))) as pdf:
        assert "Tân Trung, ngày 07 tháng 3 năm 2024" in pdf.pages[0].extract_text()
