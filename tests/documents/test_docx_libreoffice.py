"""The DOCX export opened by LibreOffice (Debian's libreoffice-writer-nogui) and converted to PDF, read back like
the WeasyPrint PDF: the national name and the motto each on one line, the type and title, the signature block,
document symbols not broken. Skipped with a reason where LibreOffice is not installed; CI installs it
(scripts/bootstrap.sh), and there a missing soffice is a failure, not a skip."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pdfplumber
import pytest

from portal.documents.importing import import_document_text
from portal.documents.models import Document
from portal.documents.rendering import render_docx, signature_lines
from portal.documents.services import document_issue
from tests.documents.factories import FIXTURES

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NEW_FIXTURES = ["sa_pa_town_implementation_plan_2024", "tan_trung_ke_hoach_doi_thoai_2024_registered"]


@pytest.fixture
def soffice():
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail(
                "LibreOffice (soffice) is missing on CI: scripts/bootstrap.sh installs libreoffice-writer-nogui"
            )
        pytest.skip("LibreOffice is not installed here (apt-get install libreoffice-writer-nogui)")
    return SOFFICE


def convert(soffice: str, docx: bytes, tmp_path) -> bytes:
    src = tmp_path / "document.docx"
    src.write_bytes(docx)
    profile = tmp_path / "lo-profile"  # a private profile: parallel runs never share LibreOffice's lock
    subprocess.run(  # noqa: S603 - a fixed command on files of our own
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / "document.pdf").read_bytes()


def _lines(page) -> list[str]:
    rows: list[list] = []
    for w in sorted(page.extract_words(), key=lambda w: (round(w["bottom"]), w["x0"])):
        if rows and abs(rows[-1][0]["bottom"] - w["bottom"]) < 2:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [" ".join(x["text"] for x in sorted(r, key=lambda w: w["x0"])) for r in rows]


@pytest.mark.django_db
@pytest.mark.parametrize("name", NEW_FIXTURES)
def test_libreoffice_reads_the_docx_as_the_decree_lays_it_out(soffice, name, commune, orgs, tmp_path):
    doc = import_document_text((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"), commune=commune)
    if doc.status == Document.Status.DRAFT:
        doc = document_issue(document=doc, by=None)
    pdf = convert(soffice, render_docx(doc), tmp_path)
    with pdfplumber.open(io.BytesIO(pdf)) as reader:
        pages = [_lines(p) for p in reader.pages]
        first_words = reader.pages[0].extract_words()
    first = pages[0]
    text = "\n".join(ln for p in pages for ln in p)
    # The national name and the motto, each whole on one line (LibreOffice wrapped "…VIỆT / NAM" before).
    assert any(ln.endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for ln in first), first[:6]
    assert any(ln.endswith("Độc lập - Tự do - Hạnh phúc") for ln in first), first[:6]
    motto = [w for w in first_words if w["text"] in ("Độc", "phúc")]
    assert abs(motto[0]["top"] - motto[1]["top"]) < 2
    assert "KẾ HOẠCH" in first
    assert doc.number_line().replace("\u00a0", " ") in text.replace("\u2060", "")
    for line in signature_lines(doc):
        assert any(ln.endswith(line) for ln in pages[-1]), (line, pages[-1][-12:])
    assert doc.sig_signer in pages[-1][-1] or any(ln.endswith(doc.sig_signer) for ln in pages[-1])
    # The rule under the motto sits right under it (not a line lower).
    with pdfplumber.open(io.BytesIO(pdf)) as reader:
        page = reader.pages[0]
        motto_bottom = max(w["bottom"] for w in first_words if w["text"] in ("Độc", "phúc"))
        rules = [
            r for r in page.lines + page.rects if r["x0"] > page.width * 0.45 and r["top"] > motto_bottom - 2
        ]
        nearest = min(r["top"] for r in rules)
    assert nearest - motto_bottom < 6, (nearest, motto_bottom)


@pytest.mark.django_db
def test_docx_grid_matches_the_cells_and_sections_use_heading_styles(commune, orgs):
    from docx import Document as Docx
    from docx.oxml.ns import qn

    name = NEW_FIXTURES[0]
    doc = import_document_text((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"), commune=commune)
    d = Docx(io.BytesIO(render_docx(doc)))
    for table in (d.tables[0], d.tables[-1]):
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        cells = [c.width.twips for c in table.rows[0].cells]
        assert grid == cells and len(set(grid)) == 2, (grid, cells)
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    styles = {
        p.text.split(" ", 1)[0]: p.style.name for p in d.paragraphs if p.style.name.startswith("Heading")
    }
    assert styles["I."] == "Heading 1" and styles["1."] == "Heading 2"
    heading = d.styles["Heading 1"]
    assert heading.font.name == "Times New Roman" and str(heading.font.color.rgb) == "000000"
    # The rules under the organ and the motto are one point high: drawn right under the text.
    rules = [
        p
        for p in d.tables[0].rows[0].cells[1].paragraphs
        if p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None
    ]
    assert rules and all(p.paragraph_format.line_spacing == 12700 for p in rules)  # 1 pt in EMU
