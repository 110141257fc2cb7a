"""Combined signing authority (Decree 30/2020, Art. 13 and Appendix I): TM.+KT., TM.+Q., TL., TUQ., both layouts,
printed the same in the PDF and the DOCX, each authority on its own line and never broken inside."""

from __future__ import annotations

import io
import subprocess

import pdfplumber
import pytest
from docx import Document as Docx

from portal.documents.importing import import_document_text
from portal.documents.models import Document
from portal.documents.rendering import render_docx, render_pdf, signature_lines
from portal.documents.services import document_create_from_spec, document_issue
from portal.documents.specs import SpecError, document_to_spec, dump_yaml, parse_spec
from tests.documents.factories import minimal_spec

VICE_CHAIRMAN = {
    "authority": "TM+KT",
    "organ": "Ủy ban nhân dân",
    "head": "Chủ tịch",
    "position": "Phó Chủ tịch",
    "signer": "Lê Minh Tuấn",
}


def _doc(commune, orgs, signature, **over):
    return document_create_from_spec(
        spec=minimal_spec(signature=signature, **over), issuer=orgs["UBND"], by=None, commune=commune
    )


def _sign_column_lines(pdf_bytes) -> list[str]:
    """The text lines of the signature column of the last page (right of the Nơi nhận column)."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[-1]
        label = next(w for w in page.extract_words() if w["text"] == "Nơi")
        words = [
            w for w in page.extract_words() if w["x0"] > page.width * 0.5 and w["top"] >= label["top"] - 2
        ]
    rows: list[list] = []
    for w in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - w["bottom"]) < 2:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [" ".join(x["text"] for x in sorted(r, key=lambda w: w["x0"])) for r in rows]


def _docx_sign_lines(docx_bytes) -> list[str]:
    d = Docx(io.BytesIO(docx_bytes))
    cell = d.tables[-1].rows[0].cells[1]
    return [p.text for p in cell.paragraphs if p.text.strip()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("signature", "layout", "expected"),
    [
        (VICE_CHAIRMAN, "state", ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        (
            {
                "authority": "TM+Q",
                "organ": "Ủy ban nhân dân",
                "position": "Chủ tịch",
                "signer": "Lê Minh Tuấn",
            },
            "state",
            ["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"],
        ),
        (
            {"authority": "TL", "head": "Chủ tịch", "position": "Chánh Văn phòng", "signer": "Lê Minh Tuấn"},
            "state",
            ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"],
        ),
        (
            {"authority": "TUQ", "head": "Chủ tịch", "position": "Trưởng phòng", "signer": "Lê Minh Tuấn"},
            "state",
            ["TUQ. CHỦ TỊCH", "TRƯỞNG PHÒNG"],
        ),
        (
            {
                "authority": "T/M K/T",
                "organ": "Đảng ủy",
                "head": "Bí thư",
                "position": "Phó Bí thư",
                "signer": "A",
            },
            "party",
            ["T/M ĐẢNG ỦY", "K/T BÍ THƯ", "PHÓ BÍ THƯ"],
        ),
    ],
    ids=["TM+KT", "TM+Q", "TL", "TUQ", "party T/M+K/T"],
)
def test_combined_authority_prints_each_line_whole_in_pdf_and_docx(
    commune, orgs, signature, layout, expected
):
    doc = _doc(commune, orgs, signature, layout=layout)
    assert signature_lines(doc) == expected
    pdf_lines = _sign_column_lines(render_pdf(doc))
    assert pdf_lines[: len(expected)] == expected, pdf_lines
    assert pdf_lines[-1] == signature["signer"]
    assert _docx_sign_lines(render_docx(doc)) == [*expected, signature["signer"]]


@pytest.mark.django_db
def test_combined_authority_round_trips_through_the_format(commune, orgs):
    doc = _doc(commune, orgs, VICE_CHAIRMAN)
    assert doc.sig_authority == Document.Authority.TM_KT
    spec = document_to_spec(doc)
    assert spec["signature"]["authority"] == "TM+KT"
    again = import_document_text(dump_yaml(spec), commune=commune)
    assert signature_lines(again) == signature_lines(doc)
    issued = document_issue(document=again, by=None)
    assert signature_lines(issued) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


@pytest.mark.parametrize(
    ("authority", "missing", "fragment"),
    [
        ("TM+KT", "head", "ký TM. + KT. phải ghi chức vụ người đứng đầu (head)"),
        ("TM+KT", "organ", "ký TM. + KT. phải ghi tập thể lãnh đạo (organ)"),
        (
            "TUQ+KT",
            None,
            "phải là TM, KT, Q, TL, TUQ, TM+KT, TM+Q hoặc none",
        ),  # TUQ. is never delegated again
        ("KT+TM", None, "phải là TM, KT, Q, TL, TUQ, TM+KT, TM+Q hoặc none"),
    ],
)
def test_incomplete_or_unlawful_combinations_are_refused(authority, missing, fragment):
    signature = dict(VICE_CHAIRMAN, authority=authority)
    if missing:
        del signature[missing]
    with pytest.raises(SpecError) as exc:
        parse_spec(minimal_spec(signature=signature))
    assert any(fragment in m for m in exc.value.messages()), exc.value.messages()


def test_authority_spellings():
    for written in ("TM+KT", "TM. + KT.", "tm kt", ["TM", "KT"], "T/M, K/T"):
        parsed = parse_spec(minimal_spec(signature=dict(VICE_CHAIRMAN, authority=written)))
        assert parsed.fields["sig_authority"] == "TM+KT", written


@pytest.mark.django_db
def test_pdf_text_has_the_three_signature_lines_in_order(commune, orgs, tmp_path):
    """Read back with pdftotext (poppler), as a clerk's copy-paste would."""
    doc = _doc(commune, orgs, VICE_CHAIRMAN)
    path = tmp_path / "kh.pdf"
    path.write_bytes(render_pdf(doc))
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,  # noqa: S607
    ).stdout
    lines = [ln.strip() for ln in text.splitlines()]
    tail = [ln for ln in lines if ln.endswith(("ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"))]
    assert [t.split("   ")[-1].strip() for t in tail][-3:] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
