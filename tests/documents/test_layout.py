"""Decree 30/2020 (Appendix I) and HD 36-HD/VPTW layout, measured on the rendered PDF of EVERY fixture.

Each fixture in portal/documents/fixtures/ is imported, issued (so the number and date are real) and rendered once;
each rule below reads the PDF back with pdfplumber: positions in points, sizes, bold/italic from the font names.
Adding a fixture adds it to every check.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

import pdfplumber
import pytest
import yaml

from portal.documents.importing import import_document_text
from portal.documents.models import Document, DocumentType
from portal.documents.rendering import render_pdf, signature_lines
from portal.documents.services import document_create_from_spec, document_issue
from tests.documents.factories import FIXTURES, minimal_spec

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT = (
    30 * MM,
    PAGE_W - 15 * MM,
)  # the text block the template uses (decree: left 30–35, right 15–20 mm)
MID = (LEFT + RIGHT) / 2
HEADER_SPLIT = LEFT + 0.42 * (
    RIGHT - LEFT
)  # header: left column (organ, number) | right column (motto, date)
FOOTER_SPLIT = LEFT + 0.45 * (RIGHT - LEFT)  # footer: Nơi nhận | signature
ISSUED_AT = dt.datetime(2026, 2, 5, 2, 0, tzinfo=dt.UTC)  # day < 10 and month < 3: both get a leading zero

FIXTURE_FILES = sorted(FIXTURES.glob("*.yaml"))


def _bold(w) -> bool:
    return "Bold" in w["fontname"]


def _italic(w) -> bool:
    return "Italic" in w["fontname"] or "Oblique" in w["fontname"]


@dataclass
class Line:
    words: list
    page: int

    @property
    def text(self):
        return " ".join(w["text"] for w in self.words)

    @property
    def x0(self):
        return min(w["x0"] for w in self.words)

    @property
    def x1(self):
        return max(w["x1"] for w in self.words)

    @property
    def top(self):
        return min(w["top"] for w in self.words)

    @property
    def bottom(self):
        return max(w["bottom"] for w in self.words)

    @property
    def centre(self):
        return (self.x0 + self.x1) / 2

    @property
    def size(self):
        return round(max(w["size"] for w in self.words), 1)

    @property
    def bold(self):
        return all(_bold(w) for w in self.words)

    @property
    def upright(self):
        return not any(_bold(w) or _italic(w) for w in self.words)


def group_lines(words, page, split=None) -> list[Line]:
    """Words on one baseline (±2 pt) form a line; with ``split`` the left and right columns are separate lines."""
    columns = (
        [words]
        if split is None
        else [[w for w in words if w["x0"] < split], [w for w in words if w["x0"] >= split]]
    )
    out = []
    for col in columns:
        rows: list[list] = []
        for w in sorted(col, key=lambda w: (round(w["bottom"]), w["x0"])):
            if rows and abs(rows[-1][0]["bottom"] - w["bottom"]) < 2:
                rows[-1].append(w)
            else:
                rows.append([w])
        out.extend(Line(sorted(r, key=lambda w: w["x0"]), page) for r in rows)
    return sorted(out, key=lambda ln: (ln.bottom, ln.x0))


@dataclass
class Rendered:
    name: str
    spec: dict
    document: Document
    pages: list = field(default_factory=list)  # [{"width", "height", "words", "rules", "tables"}]

    def all_words(self):
        return [(i, w) for i, p in enumerate(self.pages) for w in p["words"]]

    def find_line(self, pattern, *, page=None, split=None) -> Line:
        for i, p in enumerate(self.pages):
            if page is not None and i != page:
                continue
            for line in group_lines(p["words"], i, split):
                if re.search(pattern, line.text):
                    return line
        raise AssertionError(f"{self.name}: no line matches {pattern!r}")


_CACHE: dict = {}


@pytest.fixture
def rendered(request, commune, orgs) -> Rendered:
    path = request.param
    if path not in _CACHE:
        text = path.read_text(encoding="utf-8")
        doc = import_document_text(text, commune=commune, now=ISSUED_AT)
        if doc.status == Document.Status.DRAFT:  # a fixture with `registered:` is already issued (on paper)
            doc = document_issue(document=doc, by=None, now=ISSUED_AT)
        with pdfplumber.open(io.BytesIO(render_pdf(doc))) as pdf:
            pages = [
                {
                    "width": page.width,
                    "height": page.height,
                    "words": page.extract_words(extra_attrs=["fontname", "size"]),
                    "chars": [c for c in page.chars if c["text"].strip()],
                    # A rule's visible line is the bottom edge of its box (inline borders come as tall boxes).
                    "rules": [
                        {"x0": r["x0"], "x1": r["x1"], "top": r["bottom"] - 0.6, "bottom": r["bottom"]}
                        for r in page.rects + page.lines
                        if r["x1"] - r["x0"] > 5
                    ],
                    "tables": [t.bbox for t in page.find_tables()],
                }
                for page in pdf.pages
            ]
        _CACHE[path] = Rendered(path.stem, yaml.safe_load(text), doc, pages)
    return _CACHE[path]


each_fixture = pytest.mark.parametrize(
    "rendered", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES], indirect=True
)


def test_there_are_seed_and_extra_fixtures():
    names = {p.stem for p in FIXTURE_FILES}
    assert len(names) >= 8
    types = {yaml.safe_load(p.read_text(encoding="utf-8"))["type"] for p in FIXTURE_FILES}
    assert {"KH", "BC", "TB", "QĐ", "CV"} <= types


# -- paper and margins --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@each_fixture
def test_a4_and_margins(rendered):
    for index, page in enumerate(rendered.pages):
        assert abs(page["width"] - PAGE_W) < 1 and abs(page["height"] - PAGE_H) < 1
        chars = page["chars"] if index == 0 else [c for c in page["chars"] if c["top"] > 20 * MM]
        assert min(c["x0"] for c in chars) >= 30 * MM - 0.5, "left margin < 30 mm"
        # 1.5 pt (0.5 mm) slack: justified lines end where WeasyPrint's shaped advances put them, which can differ
        # by a fraction of a point from the widths pdfplumber reads in the PDF font dictionary.
        assert max(c["x1"] for c in chars) <= PAGE_W - 15 * MM + 1.5, "right margin < 15 mm"
        assert max(c["bottom"] for c in chars) <= PAGE_H - 20 * MM + 0.5, "bottom margin < 20 mm"
        top = min(c["top"] for c in chars)
        assert top >= 20 * MM - 0.5, "top margin < 20 mm"
    first = rendered.pages[0]["chars"]
    # Margins not wider than the decree allows: the text block reaches 35 mm from the left, 20 mm from the right,
    # and the header starts within 25 mm of the top (plus the first line's ascent).
    assert min(c["x0"] for c in first) <= 35 * MM
    assert max(c["x1"] for p in rendered.pages for c in p["chars"]) >= PAGE_W - 20 * MM
    assert min(c["top"] for c in first) <= 25 * MM
    # Every page but the last is filled down to the bottom margin, short of a few lines kept together.
    for page in rendered.pages[:-1]:
        assert max(c["bottom"] for c in page["chars"]) >= PAGE_H - 25 * MM - 4 * 18


@pytest.mark.django_db
@each_fixture
def test_page_numbers_from_page_2(rendered):
    assert [w for w in rendered.pages[0]["words"] if w["bottom"] < 20 * MM] == []
    for index, page in enumerate(rendered.pages[1:], start=2):
        numbers = [w for w in page["words"] if w["bottom"] < 20 * MM]
        assert [w["text"] for w in numbers] == [str(index)]
        n = numbers[0]
        assert abs((n["x0"] + n["x1"]) / 2 - MID) < 3, "page number centred"
        assert 13 <= round(n["size"], 1) <= 14 and not _bold(n)


@pytest.mark.django_db
@each_fixture
def test_one_serif_font_family(rendered):
    names = {w["fontname"].split("+")[-1].split(",")[0] for _, w in rendered.all_words()}
    assert names <= {
        "Times-New-Roman",
        "TimesNewRoman",
        "Liberation-Serif",
        "LiberationSerif",
        "TeXGyreTermes",
    }, names


# -- header -----------------------------------------------------------------------------------------------------------


def _header(rendered):
    lines = group_lines(rendered.pages[0]["words"], 0, HEADER_SPLIT)
    place = next(ln for ln in lines if ln.x0 >= HEADER_SPLIT and re.search(r", ngày \d", ln.text))
    number = next(ln for ln in lines if ln.x0 < HEADER_SPLIT and ln.text.startswith("Số"))
    left = [ln for ln in lines if ln.x0 < HEADER_SPLIT and ln.bottom < number.top]
    right = [ln for ln in lines if ln.x0 >= HEADER_SPLIT and ln.bottom < place.top]
    return left, right, number, place, lines


@pytest.mark.django_db
@each_fixture
def test_national_title_and_motto(rendered):
    _, right, _, _, _ = _header(rendered)
    rules = rendered.pages[0]["rules"]
    if rendered.document.layout == Document.Layout.PARTY:
        assert [ln.text for ln in right] == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
        head = right[0]
        assert head.bold and 14 <= head.size <= 15
        under = [r for r in rules if 0 <= r["top"] - head.bottom < 5]
        assert any(abs(r["x0"] - head.x0) < 2 and abs(r["x1"] - head.x1) < 2 for r in under), (
            "ĐCSVN underlined"
        )
        return
    national, motto = right
    assert (
        national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and national.bold and 12 <= national.size <= 13
    )
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.bold and 13 <= motto.size <= 14
    assert abs(motto.centre - national.centre) < 2, "motto centred under the national title"
    under = [r for r in rules if 0 <= r["top"] - motto.bottom < 5]
    assert any(abs(r["x0"] - motto.x0) < 2 and abs(r["x1"] - motto.x1) < 2 for r in under), (
        "a drawn rule under the motto, as long as the motto"
    )


@pytest.mark.django_db
@each_fixture
def test_issuing_organ_block(rendered):
    left, _, number, _, _ = _header(rendered)
    party = rendered.document.layout == Document.Layout.PARTY
    organ = [ln for ln in left if ln.bold]
    parent = [ln for ln in left if not ln.bold and ln.text != "*"]
    assert organ, "issuing organ printed"
    for ln in organ:
        assert ln.text == ln.text.upper(), f"organ in capitals: {ln.text}"
        assert (14 <= ln.size <= 14.1) if party else (12 <= ln.size <= 13)
        assert ln.x1 <= HEADER_SPLIT + 1, "organ stays in the left column"
    for ln in parent:
        assert ln.upright and ln.text == ln.text.upper() and 12 <= ln.size <= 14
        assert ln.bottom < organ[0].top
    if rendered.spec.get("parent_organ"):
        assert " ".join(ln.text for ln in parent) == rendered.spec["parent_organ"].upper()
    # Long organ names are broken into even lines: no line shorter than half of the longest.
    widths = [ln.x1 - ln.x0 for ln in organ]
    if len(organ) > 2:
        assert min(widths) >= 0.5 * max(widths), [ln.text for ln in organ]
    organ_centre = (min(ln.x0 for ln in organ) + max(ln.x1 for ln in organ)) / 2
    if party:
        star = [ln for ln in left if ln.text == "*"]
        assert star and abs(star[0].centre - organ_centre) < 3
    else:
        rules = [
            r
            for r in rendered.pages[0]["rules"]
            if r["x1"] <= HEADER_SPLIT and organ[-1].bottom <= r["top"] < number.top
        ]
        assert len(rules) == 1, "one solid rule under the issuing organ"
        r = rules[0]
        assert 1 / 3 <= (r["x1"] - r["x0"]) / max(widths) <= 1 / 2, "organ rule 1/3–1/2 of the organ line"
        assert abs((r["x0"] + r["x1"]) / 2 - organ_centre) < 2, "organ rule centred"
    # Number and symbol: "Số: 01/KH-UBND" (Party: "Số 01-KH/ĐU"), 13 pt (Party 14), upright, centred under the organ.
    doc = rendered.document
    assert number.text == doc.number_line() and f"{doc.number:02d}" in number.text
    assert doc.number == 1 or doc.registered_late
    assert number.upright and 13 <= number.size <= 14
    assert abs(number.centre - organ_centre) < 3


@pytest.mark.django_db
@each_fixture
def test_place_and_date(rendered):
    _, right, number, place, _ = _header(rendered)
    d = rendered.document.issued_on
    assert d.day < 10 and d.month < 3, "every fixture checks both leading zeros"
    assert re.fullmatch(rf".+, ngày 0{d.day} tháng 0{d.month} năm {d.year}", place.text), place.text
    assert place.text.startswith(rendered.spec["place"] + ", ")
    assert all(_italic(w) and not _bold(w) for w in place.words) and 13 <= place.size <= 14
    assert abs(place.centre - right[0].centre) < 3, "place-date centred under the motto"
    assert abs(place.bottom - number.bottom) < 2, "number and place-date on one row"


@pytest.mark.django_db
@each_fixture
def test_type_title_and_short_rule(rendered):
    doc = rendered.document
    lines = group_lines(rendered.pages[0]["words"], 0)
    _, _, number, place, _ = _header(rendered)
    if doc.doc_type == DocumentType.LETTER:
        # Công văn: no type name; "V/v …" in 12–13 pt upright under the number, in the left column.
        vv = [
            ln
            for ln in group_lines(rendered.pages[0]["words"], 0, HEADER_SPLIT)
            if ln.x1 <= HEADER_SPLIT and number.bottom < ln.top < number.bottom + 60 and ln.size < 13.5
        ]
        assert vv and vv[0].text.startswith("V/v ")
        assert all(ln.upright and 12 <= ln.size <= 13 for ln in vv)
        assert not any(ln.text == "CÔNG VĂN" for ln in lines)
        assert " ".join(ln.text for ln in vv) == f"V/v {rendered.spec['title']}".strip()
        return
    type_line = next(ln for ln in lines if ln.top > place.bottom)
    assert type_line.text == doc.get_doc_type_display() and type_line.bold
    assert (13 <= type_line.size <= 14) or (doc.layout == "party" and type_line.size <= 15)
    assert abs(type_line.centre - MID) < 2
    rules = rendered.pages[0]["rules"]
    rule = min((r for r in rules if r["top"] > type_line.bottom), key=lambda r: r["top"])
    title = [ln for ln in lines if type_line.bottom < ln.top and ln.bottom < rule["top"]]
    assert " ".join(ln.text for ln in title) == " ".join(rendered.spec["title"].split())
    for ln in title:
        assert ln.bold and 13 <= ln.size <= 14 and abs(ln.centre - MID) < 2
    width = max(ln.x1 - ln.x0 for ln in title)
    assert 1 / 3 <= (rule["x1"] - rule["x0"]) / width <= 1 / 2, "short rule 1/3–1/2 of the title line"
    assert abs((rule["x0"] + rule["x1"]) / 2 - MID) < 2
    assert 0 < rule["top"] - title[-1].bottom < 10
    if len(title) > 1:
        widths = [ln.x1 - ln.x0 for ln in title]
        assert min(widths) >= 0.5 * max(widths), "a long title is broken into even lines"


# -- body ---------------------------------------------------------------------------------------------------------------


def _body_lines(rendered) -> list[Line]:
    """The running text: 13–14 pt lines between the header (page 1: below the title rule or the V/v block) and
    the Nơi nhận row, without tables, centred lines (QUYẾT ĐỊNH:, chapters) and the Kính gửi block."""
    out = []
    footer_page, footer_top = _footer_top(rendered)
    for index, page in enumerate(rendered.pages):
        lines = group_lines(page["words"], index)
        start = 20 * MM
        if index == 0:
            _, _, number, place, _ = _header(rendered)
            start = place.bottom + 2
            below = [r["top"] for r in page["rules"] if r["top"] > place.bottom]
            if below and rendered.document.doc_type != DocumentType.LETTER:
                start = min(below)
            vv = [
                ln
                for ln in group_lines(page["words"], 0, HEADER_SPLIT)
                if number.bottom < ln.top < number.bottom + 60 and ln.x1 <= HEADER_SPLIT and ln.size < 13.5
            ]
            if vv:
                start = max(start, max(ln.bottom for ln in vv) + 1)
            kg = [ln for ln in lines if ln.text.startswith("Kính gửi:")]
            if kg:
                block = [kg[0]]
                for ln in lines[lines.index(kg[0]) + 1 :]:
                    if ln.x0 < LEFT + 13 * MM:
                        break
                    block.append(ln)
                start = max(start, block[-1].bottom + 1)
        end = footer_top if index == footer_page else PAGE_H
        for ln in lines:
            if not (start < ln.top and ln.bottom < end) or not 12.9 <= ln.size <= 14.1:
                continue
            if any(
                t[0] - 1 <= ln.x0 and ln.x1 <= t[2] + 1 and t[1] - 1 <= ln.top and ln.bottom <= t[3] + 1
                for t in page["tables"]
            ):
                continue
            if abs(ln.centre - MID) < 3 and ln.x0 > LEFT + 13 * MM:
                continue
            out.append(ln)
    return out


def _footer_top(rendered):
    for index, page in enumerate(rendered.pages):
        for ln in group_lines(page["words"], index, FOOTER_SPLIT):
            if ln.text == "Nơi nhận:":
                return index, ln.top - 1
    raise AssertionError("no Nơi nhận")


@pytest.mark.django_db
@each_fixture
def test_body_size_indent_spacing_and_justification(rendered):
    lines = _body_lines(rendered)
    assert len(lines) >= 5
    indent = [ln for ln in lines if abs(ln.x0 - LEFT) > 0.5]
    assert indent, "paragraphs have a first-line indent"
    for ln in lines:
        assert 13 <= ln.size <= 14
        assert abs(ln.x0 - LEFT) <= 0.5 or 10 * MM - 0.5 <= ln.x0 - LEFT <= 12.7 * MM + 0.5, (
            f"line starts neither at the margin nor at a 1–1.27 cm indent: {ln.text[:50]}"
        )
    pitches, paragraph_gaps, justified, ragged = [], [], 0, []
    for a, b in zip(lines, lines[1:], strict=False):
        if a.page != b.page:
            continue
        gap = b.bottom - a.bottom
        continuation = abs(b.x0 - LEFT) <= 0.5
        if continuation and gap < 2 * a.size:
            pitches.append(gap)
            # Justified: every line followed by a line of the same paragraph reaches the right margin.
            if abs(a.x1 - RIGHT) <= 1.5:
                justified += 1
            else:
                ragged.append(a.text[:60])
        elif not continuation:
            paragraph_gaps.append(gap)
    assert pitches, "some paragraph spans two lines"
    pitch = min(pitches)
    assert 14 <= pitch <= 14 * 1.5 + 0.1, f"line spacing {pitch:.1f} pt (single to 1.5 lines)"
    assert ragged == [], f"not justified: {ragged}"
    assert justified >= 3
    assert paragraph_gaps and min(paragraph_gaps) >= pitch + 6 - 0.3, "paragraphs ≥ 6 pt apart"


@pytest.mark.django_db
@each_fixture
def test_body_ends_with_end_mark_and_keeps_every_word(rendered):
    lines = _body_lines(rendered)
    assert lines[-1].text.endswith("./."), lines[-1].text
    text = " ".join(w["text"] for _, w in rendered.all_words())
    text = re.sub(r"\s+", " ", text)
    for key in ("closing",):
        if rendered.spec.get(key):
            words = re.sub(r"[*]", "", rendered.spec[key]).split()
            assert " ".join(words[:6]) in text and words[-1].rstrip(".") in text


@pytest.mark.django_db
@each_fixture
def test_legal_bases_and_enacting_line(rendered):
    doc = rendered.document
    lines = group_lines(rendered.pages[0]["words"], 0)
    if doc.preamble_style == "italic":
        starts = [ln for ln in lines if ln.text.startswith(("Căn cứ", "Theo đề nghị"))]
        assert len(starts) == len(doc.preamble)
        for ln in starts:
            assert all(_italic(w) for w in ln.words) and abs(ln.x0 - LEFT - 10 * MM) < 0.6
        # ";" after each basis, "." after the last: read the last line before the next basis starts.
        ends = []
        for a, b in zip(lines, lines[1:], strict=False):
            if (
                all(_italic(w) for w in a.words)
                and a.size >= 12.9
                and a.top > starts[0].top - 1
                and (b in starts or not all(_italic(w) for w in b.words))
            ):
                ends.append(a.text[-1])
        assert ends == [";"] * (len(starts) - 1) + ["."], ends
    enacting = doc.enacting_line()
    if enacting:
        line = next(ln for ln in lines if ln.text == enacting)
        assert line.bold and abs(line.centre - MID) < 2 and 13 <= line.size <= 14
        articles = [
            ln
            for _, p in enumerate(rendered.pages)
            for ln in group_lines(p["words"], 0)
            if re.match(r"Điều \d+\.", ln.text)
        ]
        assert articles and all(_bold(ln.words[0]) and _bold(ln.words[1]) for ln in articles)
        assert [int(re.match(r"Điều (\d+)", ln.text).group(1)) for ln in articles] == list(
            range(1, len(articles) + 1)
        )


# -- footer -----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@each_fixture
def test_recipients_and_signature_side_by_side_on_one_page(rendered):
    doc = rendered.document
    page_index, top = _footer_top(rendered)
    page = rendered.pages[page_index]
    lines = group_lines(page["words"], page_index, FOOTER_SPLIT)
    label = next(ln for ln in lines if ln.text == "Nơi nhận:")
    assert label.size == pytest.approx(12, abs=0.1) and all(_bold(w) and _italic(w) for w in label.words)
    recipients = [ln for ln in lines if ln.x1 <= FOOTER_SPLIT + 1 and ln.top > label.bottom - 1]
    assert all(ln.upright and ln.size == pytest.approx(11, abs=0.1) for ln in recipients)
    items = []  # join wrapped recipient lines
    for ln in recipients:
        if ln.text.startswith("- "):
            items.append(ln.text)
        else:
            items[-1] += " " + ln.text
    expected = [f"- {r['name']}{' ' + r['note'] if r['note'] else ''};" for r in doc.recipients]
    assert items == [*expected, f"- {doc.archive.rstrip('.')}."]
    sign = [ln for ln in lines if ln.x0 >= FOOTER_SPLIT and ln.top > label.top - 6]
    assert [ln.text for ln in sign] == [*signature_lines(doc), doc.sig_signer]
    for ln in sign:
        assert ln.bold and 13 <= ln.size <= 14
    assert abs(sign[0].top - label.top) < 6, "Nơi nhận and the signature start on the same row"
    assert sign[-1].top - sign[-2].bottom >= 20 * MM, "room for the signature and the seal"
    assert abs(sign[0].centre - sign[-1].centre) < 3
    # Kept with the end of the body: at least two body lines above the footer on its page.
    body_above = [
        ln
        for ln in group_lines(page["words"], page_index)
        if ln.top > 20 * MM and ln.bottom < label.top and 12.9 <= ln.size <= 14.1
    ]
    assert len(body_above) >= 2, "the signature block must not start a page alone"


PAD = "Nội dung thử nghiệm có đủ dấu tiếng Việt: ăâđêôơư, Nhân dân được biết, được bàn, được kiểm tra."


@pytest.mark.django_db
@pytest.mark.parametrize("count", range(14, 30))
def test_signature_block_never_separated_from_the_body(commune, orgs, count):
    """Whatever the body length, the footer stays whole on one page with the last lines of the body."""
    spec = minimal_spec(
        sections=[{"heading": "NỘI DUNG", "content": [f"{PAD} ({i})" for i in range(count)]}],
        recipients=[f"Nơi nhận số {i}" for i in range(8)],
        tasks=[],
    )
    doc = document_create_from_spec(spec=spec, issuer=orgs["UBND"], by=None, commune=commune)
    with pdfplumber.open(io.BytesIO(render_pdf(doc))) as pdf:
        texts = [p.extract_text() for p in pdf.pages]
        last = pdf.pages[-1]
        words = last.extract_words(extra_attrs=["size"])
    where = [i for i, t in enumerate(texts) if "Nơi nhận:" in t]
    assert where == [len(texts) - 1]
    assert "Trần Văn Hùng" in texts[-1] and "Lưu: VT." in texts[-1] and "TM. ỦY BAN NHÂN DÂN" in texts[-1]
    label_top = next(w["top"] for w in words if w["text"] == "Nơi")
    body = [w for w in words if w["top"] < label_top and w["top"] > 20 * MM and abs(w["size"] - 14) < 0.1]
    assert body, "the footer carries at least the last body lines to its page"


@pytest.mark.django_db
@each_fixture
def test_no_heading_left_alone_at_the_foot_of_a_page(rendered):
    """A numbered heading ("III. TỔ CHỨC THỰC HIỆN", "1. Mục đích") is kept with the text that follows it."""
    heading = re.compile(r"^([IVXLC]+|\d+(\.\d+)*|[a-zđ])[.)] |^Điều \d+\.|^Chương [IVXLC]+")
    for index, page in enumerate(rendered.pages[:-1]):
        lines = [
            ln for ln in group_lines(page["words"], index) if ln.top > 20 * MM and 12.9 <= ln.size <= 14.1
        ]
        last = lines[-1]
        assert not (last.bold and heading.match(last.text)), (
            f"page {index + 1} ends with the heading {last.text!r}"
        )


@pytest.mark.django_db
@each_fixture
def test_no_overlapping_text(rendered):
    """No two words share ink: columns, wrapped organ names, the rules' text and the footer never collide."""
    for index, page in enumerate(rendered.pages):
        words = sorted(page["words"], key=lambda w: w["top"])
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                if b["top"] >= a["bottom"] - 1:  # the next words are all lower
                    break
                overlap_x = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                assert not (overlap_x > 1 and overlap_y > 2), (
                    f"page {index + 1}: {a['text']!r} overlaps {b['text']!r}"
                )
