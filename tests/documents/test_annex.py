"""A decision's annex (the quy chế it issues): stored with the document, numbered on its own, printed after the
signature under its own title and "(Ban hành kèm theo Quyết định số … ngày …)"."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from portal.documents.rendering import render_html, render_pdf
from portal.documents.services import document_create_from_spec, document_issue
from portal.documents.specs import SpecError, document_to_spec, parse_spec
from portal.documents.structure import numbered_body
from tests.documents.factories import minimal_spec, orgs_for

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _decision_spec():
    spec = minimal_spec(type="QĐ")
    spec.update(
        numbering="articles",
        sections=[
            {"text": "Ban hành kèm theo Quyết định này Quy chế làm việc."},
            {"text": "Hiệu lực từ ngày ký."},
        ],
        annex={
            "title": "QUY CHẾ",
            "subtitle": "Làm việc của Ủy ban nhân dân xã",
            "numbering": "chapters",
            "sections": [
                {
                    "heading": "QUY ĐỊNH CHUNG",
                    "content": [
                        {
                            "heading": "Phạm vi",
                            "content": ["Quy chế này quy định việc làm việc.", {"text": "Khoản một."}],
                        },
                        {"heading": "Đối tượng", "content": ["Cán bộ, công chức xã."]},
                    ],
                }
            ],
        },
    )
    return spec


def test_annex_is_numbered_on_its_own_and_printed_with_the_decision_number(commune, leader):
    orgs = orgs_for(commune)
    doc = document_create_from_spec(
        spec=_decision_spec(), issuer=orgs["UBND"], by=None, commune=commune, now=NOW
    )
    annexes = []
    body = numbered_body(doc, annexes=annexes)
    assert [n["label"] for n in body] == ["Điều 1.", "Điều 2."]  # the decision's own articles only
    (annex,) = annexes
    assert annex["title"] == "QUY CHẾ" and annex["body"][0]["label"] == "Chương I"
    assert [n["label"] for n in annex["body"][0]["children"]] == ["Điều 1.", "Điều 2."]
    assert "Ban hành kèm theo Quyết định số" in render_html(doc)
    doc = document_issue(document=doc, by=leader, now=NOW)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(doc))).pages).split())
    assert f"(Ban hành kèm theo Quyết định số {doc.number_line_value()} ngày 02/03/2026 của" in text
    assert "Làm việc của Ủy ban nhân dân xã" in text and "Chương I" in text and "Khoản một" in text
    # Exported and read back, the annex stays an annex.
    spec = document_to_spec(doc)
    assert spec["annex"]["title"] == "QUY CHẾ" and spec["annex"]["numbering"] == "chapters"
    assert len(spec["sections"]) == 2
    assert parse_spec(spec).nodes[-1].data == {"annex": {"numbering": "chapters"}}


def test_annex_without_content_is_refused():
    spec = _decision_spec()
    spec["annex"] = {"title": "QUY CHẾ", "sections": []}
    with pytest.raises(SpecError, match="phụ lục phải có nội dung"):
        parse_spec(spec)
