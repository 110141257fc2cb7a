import io
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as Docx
from docx.shared import Mm, Pt
from pypdf import PdfReader

from portal.documents.importing import import_document_text
from portal.documents.rendering import render_docx, render_html, render_pdf, url_fetcher
from portal.documents.services import document_create_from_spec, document_issue
from tests.documents.factories import DIACRITICS, FIXTURES, minimal_spec

MM = 72 / 25.4


def _long_spec(extra_text=""):
    paras = [
        f"Đoạn {i}: {DIACRITICS} – Người dân được biết, bàn, làm, kiểm tra, giám sát và thụ hưởng. {extra_text}"
        for i in range(40)
    ]
    return minimal_spec(
        sections=[
            {"heading": "NỘI DUNG", "content": paras},
            {"heading": "TỔ CHỨC THỰC HIỆN", "content": [{"tasks": True}]},
        ]
    )


@pytest.fixture
def issued_pdf(commune, orgs, leader):
    doc = document_create_from_spec(spec=_long_spec(), issuer=orgs["UBND"], by=None, commune=commune)
    doc = document_issue(document=doc, by=leader)
    return render_pdf(doc)


@pytest.mark.django_db
def test_pdf_layout_follows_decree_30(issued_pdf):
    with pdfplumber.open(io.BytesIO(issued_pdf)) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            assert abs(page.width - 595.3) <= 1 and abs(page.height - 841.9) <= 1
        text = "\n".join(p.extract_text() for p in pdf.pages)
        for ch in DIACRITICS:
            assert ch in text, ch
        assert "Số: 01/KH-UBND" in text
        first = pdf.pages[0]
        body_chars = [c for p in pdf.pages for c in p.chars if c["text"].strip()]
        # Margins: left ≥ 30 mm, right ≥ 15 mm (text never closer to the edge), top/bottom ≥ 20 mm except the
        # page number which sits in the top margin.
        assert min(c["x0"] for c in body_chars) >= 30 * MM - 0.5
        assert max(c["x1"] for c in body_chars) <= first.width - 15 * MM + 0.5
        assert min(c["x0"] for c in body_chars) <= 35 * MM  # left margin not wider than 35 mm
        assert max(c["x1"] for c in body_chars) >= first.width - 20 * MM  # right margin not wider than 20 mm
        assert max(c["bottom"] for c in body_chars) <= first.height - 20 * MM + 0.5
        top_first = min(c["top"] for c in first.chars)
        assert 20 * MM - 0.5 <= top_first <= 25 * MM + 14
        # Motto: bold, 13 pt; title type "KẾ HOẠCH": bold 14 pt.
        words = first.extract_words(extra_attrs=["fontname", "size"])
        motto = [w for w in words if w["text"] in ("Độc", "lập", "Hạnh", "phúc")]
        assert motto and all("Bold" in w["fontname"] and abs(w["size"] - 13) < 0.2 for w in motto)
        kh = [w for w in words if w["text"] == "KẾ"]
        assert kh and "Bold" in kh[0]["fontname"] and abs(kh[0]["size"] - 14) < 0.2
        title = [w for w in words if w["text"] == "nghiệm"]
        assert title and "Bold" in title[0]["fontname"] and abs(title[0]["size"] - 14) < 0.2
        place = [w for w in words if w["text"] == "ngày"][0]
        so = [w for w in words if w["text"] == "Số:"][0]
        assert abs(so["bottom"] - place["bottom"]) < 1.5  # number and place-date share a line (ô 3 / ô 4)
        assert "Italic" in place["fontname"] and abs(place["size"] - 14) < 0.2
        # The rule under the motto is drawn (a line/rect), not a text underline.
        assert first.lines or first.rects
        # Page numbers: none on page 1, "2" centred in the top margin on page 2.
        top_first_page = [w for w in words if w["top"] < 20 * MM]
        assert top_first_page == []
        for index, page in enumerate(pdf.pages[1:], start=2):
            numbers = [w for w in page.extract_words() if w["top"] < 20 * MM]
            assert [w["text"] for w in numbers] == [str(index)]
            centre = (numbers[0]["x0"] + numbers[0]["x1"]) / 2
            assert abs(centre - (30 * MM + (page.width - 45 * MM) / 2)) < 5
        # The rule under the motto is a drawn line exactly as long as the motto (a border, not a text underline).
        motto_x0, motto_x1 = min(w["x0"] for w in motto), max(w["x1"] for w in motto)
        motto_bottom = max(w["bottom"] for w in motto)
        rules = [
            r
            for r in first.rects + first.lines
            if 0 <= r["bottom"] - motto_bottom < 4
            and abs(r["x0"] - motto_x0) < 2
            and abs(r["x1"] - motto_x1) < 2
        ]
        assert rules, "no rule under the motto"
        # A short rule (1/3–1/2 of the line) under the title, and one under the issuing organ.
        title_bottom = max(w["bottom"] for w in title)
        under_title = [r for r in first.rects + first.lines if 0 < r["bottom"] - title_bottom < 10]
        title_line = [w for w in words if abs(w["bottom"] - title_bottom) < 1]
        title_width = max(w["x1"] for w in title_line) - min(w["x0"] for w in title_line)
        assert under_title and all(1 / 3 <= (r["x1"] - r["x0"]) / title_width <= 0.5 for r in under_title)
        # Body: 14 pt, line spacing ≤ 1.5, paragraphs ≥ 6 pt apart, first-line indent 1 cm.
        second = pdf.pages[1]
        body_lines = sorted(
            {round(c["top"], 1) for c in second.chars if abs(c["size"] - 14) < 0.1 and c["top"] > 20 * MM}
        )
        gaps = [b - a for a, b in zip(body_lines, body_lines[1:], strict=False)]
        pitch = min(gaps)
        assert pitch <= 14 * 1.5 + 0.1
        assert max(gaps) >= pitch + 6 - 0.1
        starts = [w for w in second.extract_words() if w["text"] == "Đoạn"]
        assert starts and all(abs(w["x0"] - (30 * MM + 10 * MM)) < 1 for w in starts)


@pytest.mark.django_db
def test_pdf_embeds_liberation_serif_2_with_every_diacritic(issued_pdf):
    from fontTools.ttLib import TTFont

    reader = PdfReader(io.BytesIO(issued_pdf))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            data = (
                desc["/FontFile2"].get_object().get_data()
                if "/FontFile2" in desc
                else desc["/FontFile3"].get_object().get_data()
            )
            fonts[font["/BaseFont"]] = data
    assert fonts
    for data in fonts.values():
        tt = TTFont(io.BytesIO(data))
        family = tt["name"].getDebugName(1) or ""
        version = tt["name"].getDebugName(5) or ""
        assert ("Liberation Serif" in family and version.startswith("Version 2")) or "Termes" in family, (
            family,
            version,
        )


@pytest.mark.django_db
def test_url_fetcher_refuses_outside_urls(commune, orgs, tmp_path):
    evil = (
        '<img src="file:///etc/passwd"> <link rel=stylesheet href="http://example.com/x.css"> '
        "url(https://example.com/a.png) file:///etc/passwd"
    )
    spec = minimal_spec(
        title=f'Thử <img src="http://example.com/t.png"> {evil}',
        sections=[{"heading": "A", "content": [evil, f"- {evil}"]}],
    )
    doc = document_create_from_spec(spec=spec, issuer=orgs["UBND"], by=None, commune=commune)
    html = render_html(doc, for_pdf=True)
    assert "<img" not in html.split("<body>")[1] and "&lt;img src=" in html
    fetcher = url_fetcher()
    pdf = render_pdf(doc, fetcher=fetcher)
    assert fetcher.refused == []  # nothing outside was even requested: the text is escaped
    assert all(u.startswith("file:///usr/share/") for u in fetcher.served)  # only the fonts
    with pdfplumber.open(io.BytesIO(pdf)) as p:
        text = "".join(pg.extract_text() for pg in p.pages)
    assert '<img src="file:///etc/passwd">' in text.replace("\n", " ")
    # The fetcher itself refuses remote and non-static files when asked directly.
    for url in (
        "http://example.com/x.png",
        "https://example.com/x.css",
        "file:///etc/passwd",
        "file:///usr/share/fonts/../../../etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,abc") is not None


@pytest.mark.django_db
def test_party_layout(commune, orgs):
    text = (FIXTURES / "dong_tam_dan_van_kheo_2024.yaml").read_text()
    doc = import_document_text(text, commune=commune)
    doc = document_issue(document=doc, by=None)
    with pdfplumber.open(io.BytesIO(render_pdf(doc))) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Số 01-KH/ĐU" in text
    assert "T/M ĐẢNG ỦY" in text and "BÍ THƯ" in text and "CỘNG HÒA" not in text


@pytest.mark.django_db
def test_docx_reads_back(commune, orgs, leader):
    doc = document_create_from_spec(spec=_long_spec(), issuer=orgs["UBND"], by=None, commune=commune)
    doc = document_issue(document=doc, by=leader)
    d = Docx(io.BytesIO(render_docx(doc)))
    sec = d.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(1) and abs(sec.left_margin - Mm(30)) < Mm(1)
    header = d.tables[0]
    assert [p.text for p in header.rows[0].cells[0].paragraphs][:2] == ["ỦY BAN NHÂN DÂN", "XÃ TÂN TRUNG"]
    assert "Độc lập - Tự do - Hạnh phúc" in [p.text for p in header.rows[0].cells[1].paragraphs]
    assert header.rows[1].cells[0].paragraphs[0].text == "Số: 01/KH-UBND"
    place = header.rows[1].cells[1].paragraphs[0]
    assert place.text.startswith("Tân Trung, ngày ") and place.runs[0].italic
    texts = [p.text.replace("\u2060", "").replace("\xa0", " ") for p in d.paragraphs]  # symbols, dates joined
    assert "KẾ HOẠCH" in texts and "I. NỘI DUNG" in texts
    assert any(t.startswith("- Làm việc A.") and "Thời gian: ngày 20/3/2026." in t for t in texts)
    fonts = Counter(r.font.name for p in d.paragraphs for r in p.runs)
    assert set(fonts) == {"Times New Roman"}
    body = next(p for p in d.paragraphs if p.text.startswith("Đoạn 0"))
    assert body.runs[0].font.size == Pt(14) and body.paragraph_format.first_line_indent is not None
    footer = d.tables[1].rows[0].cells
    assert footer[0].paragraphs[0].text == "Nơi nhận:" and footer[0].paragraphs[0].runs[0].italic
    assert "TM. ỦY BAN NHÂN DÂN" in footer[1].paragraphs[0].text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["tan_trung_consultation_plan", "duong_hoa_annual_plan_2023", "dong_tam_dan_van_kheo_2024"]
)
def test_fixtures_render(commune, orgs, name):
    doc = import_document_text((FIXTURES / f"{name}.yaml").read_text(), commune=commune)
    with pdfplumber.open(io.BytesIO(render_pdf(doc))) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
        assert 1 <= len(pdf.pages) <= 4
    assert "KẾ HOẠCH" in text and "Nơi nhận:" in text and "./." in text


@pytest.mark.django_db
def test_render_batch_task(commune, orgs, tmp_path):
    from portal.documents.tasks import render_batch

    docs = [
        document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=None, commune=commune)
        for _ in range(2)
    ]
    paths = render_batch([d.pk for d in docs], "pdf", out_dir=str(tmp_path))
    assert len(paths) == 2 and all(Path(p).read_bytes()[:4] == b"%PDF" for p in paths)


@pytest.mark.django_db
def test_docx_page_number_field_from_page_2(commune, orgs):
    doc = document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=None, commune=commune)
    d = Docx(io.BytesIO(render_docx(doc)))
    section = d.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and "PAGE" not in section.first_page_header._element.xml


@pytest.mark.django_db
def test_signature_variants(commune, orgs):
    from portal.documents.rendering import signature_lines

    doc = document_create_from_spec(
        spec=minimal_spec(
            signature={
                "authority": "KT",
                "head": "Chủ tịch",
                "position": "Phó Chủ tịch",
                "signer": "Lê Minh Tuấn",
            }
        ),
        issuer=orgs["UBND"],
        by=None,
        commune=commune,
    )
    assert signature_lines(doc) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    doc.sig_authority, doc.sig_head, doc.sig_position = "TL", "CHỦ TỊCH", "CHÁNH VĂN PHÒNG"
    assert signature_lines(doc) == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]
    doc.sig_authority, doc.sig_position = "Q", "CHỦ TỊCH"
    assert signature_lines(doc) == ["Q. CHỦ TỊCH"]
    doc.layout, doc.sig_authority, doc.sig_organ, doc.sig_position = "party", "TM", "ĐẢNG ỦY", "BÍ THƯ"
    assert signature_lines(doc) == ["T/M ĐẢNG ỦY", "BÍ THƯ"]
    doc.sig_authority, doc.sig_head, doc.sig_position = "KT", "BÍ THƯ", "PHÓ BÍ THƯ"
    assert signature_lines(doc) == ["K/T BÍ THƯ", "PHÓ BÍ THƯ"]


@pytest.mark.django_db
def test_symbols(commune, orgs):
    doc = document_create_from_spec(spec=minimal_spec(), issuer=orgs["UBND"], by=None, commune=commune)
    assert doc.symbol_for(5) == "05/KH-UBND" and doc.symbol_for(62) == "62/KH-UBND"
    doc.doc_type, doc.letter_unit = "CV", "VX"
    assert doc.symbol_for(12) == "12/UBND-VX"
    doc.doc_type, doc.layout, doc.issuer_symbol = "KH", "party", "ĐU"
    assert doc.symbol_for(163) == "163-KH/ĐU"


@pytest.mark.django_db
def test_tables_and_task_table(commune, orgs, staff):
    from portal.documents.services import section_update
    from portal.documents.specs import document_to_spec

    spec = minimal_spec(
        sections=[
            {
                "heading": "LỊCH HỘI NGHỊ",
                "content": [
                    {
                        "table": {
                            "columns": ["Thôn", "Ngày", "Địa điểm"],
                            "rows": [
                                ["Đồng Tâm", "05/3/2026", "Nhà văn hóa thôn"],
                                ["Trung Đồng", "06/3/2026", "<b>Nhà</b> **văn hóa**"],
                            ],
                        }
                    }
                ],
            },
            {"heading": "TỔ CHỨC THỰC HIỆN", "content": [{"tasks": "table"}]},
        ],
        tasks=[
            {
                "lead": "Văn phòng",
                "coordinating": ["Công an xã"],
                "do": "Chuẩn bị hội trường",
                "due": {"before": "2026-03-04"},
            }
        ],
    )
    doc = document_create_from_spec(spec=spec, issuer=orgs["UBND"], by=staff, commune=commune)
    html = render_html(doc, for_pdf=True)
    assert "&lt;b&gt;Nhà&lt;/b&gt; <strong>văn hóa</strong>" in html
    with pdfplumber.open(io.BytesIO(render_pdf(doc))) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
        tables = pdf.pages[0].extract_tables()
    assert "Nội dung công việc" in text and "trước ngày 04/3/2026" in text
    assert ["Thôn", "Ngày", "Địa điểm"] in [t[0] for t in tables]
    d = Docx(io.BytesIO(render_docx(doc)))
    cells = [
        [c.text.replace("\u2060", "").replace("\xa0", " ") for c in row.cells] for row in d.tables[2].rows
    ]
    assert cells[0] == ["TT", "Nội dung công việc", "Chủ trì", "Phối hợp", "Thời gian"]
    assert cells[1] == ["1", "Chuẩn bị hội trường", "Văn phòng", "Công an xã", "trước ngày 04/3/2026"]
    assert document_to_spec(doc)["sections"][1]["content"] == [{"tasks": "table"}]
    table = doc.sections.get(kind="table")
    section_update(section=table, by=staff, heading="", text="A | B\n1 | 2\n3")
    table.refresh_from_db()
    assert table.data == {"columns": ["A", "B"], "rows": [["1", "2"], ["3", ""]]}


def test_table_spec_errors():
    from portal.documents.specs import SpecError, parse_yaml

    with pytest.raises(SpecError) as exc:
        parse_yaml(
            "type: KH\nplace: X\ntitle: T\nsections:\n  - table:\n      columns: [A, B]\n      rows:\n"
            "        - [1, 2, 3]\nsignature: {position: CHỦ TỊCH}\n"
        )
    assert any(m.startswith("dòng 8:") and "3 ô" in m for m in exc.value.messages())


def test_font_check(monkeypatch):
    from portal.documents import checks, rendering

    assert checks.fonts_installed(None) == []
    monkeypatch.setattr(rendering, "FONT_DIRS", ["/nonexistent"])
    assert [w.id for w in checks.fonts_installed(None)] == ["documents.W001"]


@pytest.mark.django_db
def test_legal_bases_punctuation(commune, orgs):
    spec = minimal_spec(
        preamble=["Căn cứ Luật Tổ chức chính quyền địa phương", "Căn cứ Luật Thực hiện dân chủ ở cơ sở;"]
    )
    doc = document_create_from_spec(spec=spec, issuer=orgs["UBND"], by=None, commune=commune)
    assert doc.preamble_style == "italic"
    html = render_html(doc)
    assert "Căn cứ Luật Tổ chức chính quyền địa phương;</p>" in html
    assert "Căn cứ Luật Thực hiện dân chủ ở cơ sở.</p>" in html


@pytest.mark.django_db
def test_render_bundle_and_personal_download(client, commune, orgs, staff, other_staff, settings, tmp_path):
    import zipfile

    from portal.documents.tasks import render_bundle
    from portal.models import Notification
    from tests.factories import PASSWORD

    settings.MEDIA_ROOT = str(tmp_path)
    docs = [
        document_issue(
            document=document_create_from_spec(
                spec=minimal_spec(), issuer=orgs["UBND"], by=None, commune=commune
            ),
            by=None,
        )
        for _ in range(2)
    ]
    render_bundle([d.pk for d in docs], staff.pk)
    note = Notification.objects.get(recipient=staff, title="Gói văn bản PDF đã sẵn sàng")
    assert client.login(username=staff.username, password=PASSWORD)
    r = client.get(note.url)
    assert r.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content))).namelist()
    assert sorted(names) == ["van-ban-01-KH-UBND.pdf", "van-ban-02-KH-UBND.pdf"]
    client.logout()
    assert client.login(username=other_staff.username, password=PASSWORD)
    assert client.get(note.url).status_code == 404  # the link is personal
    assert client.get(note.url[:-3] + "xyz/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_fixture_exports_to_docx_with_its_structure(commune, orgs, path):
    import yaml

    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc = import_document_text(path.read_text(encoding="utf-8"), commune=commune)
    d = Docx(io.BytesIO(render_docx(doc)))
    texts = [" ".join(p.text.split()) for p in d.paragraphs]  # titles carry the PDF's line breaks
    cells = [p.text for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert spec["signature"]["signer"] in cells
    if spec["type"] == "CV":
        assert any(t.startswith("V/v ") for t in cells)
        assert any(t.startswith("Kính gửi: ") for t in texts)
    else:
        assert doc.get_doc_type_display() in texts and " ".join(spec["title"].split()) in texts
    if spec["type"] == "QĐ":
        assert "QUYẾT ĐỊNH:" in texts and any(t.startswith("Điều 3. ") for t in texts)
    assert any(t.rstrip().endswith("./.") for t in texts)
