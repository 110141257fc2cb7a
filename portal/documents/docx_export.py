"""DOCX export with python-docx: the same structure as the PDF, so a clerk can finish the document in Word."""

from __future__ import annotations

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from portal.documents.structure import keep_together_spans, runs

FONT = "Times New Roman"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def keep_together(text: str) -> str:
    """Inside document symbols and dates: no-break spaces, no-break hyphens (U+2011, written as Word's
    ``<w:noBreakHyphen/>``) and a word joiner after "/", so Word and LibreOffice keep each on one line."""
    out, pos = [], 0
    for a, b in keep_together_spans(text):
        out.append(text[pos:a])
        out.append(text[a:b].replace(" ", "\u00a0").replace("-", "\u2011").replace("/", "/\u2060"))
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _add_run(paragraph, text: str):
    """A run whose text keeps symbols and dates together (see :func:`keep_together`)."""
    run = paragraph.add_run()
    for n, line in enumerate(keep_together(text).split("\n")):
        if n:
            run._r.append(OxmlElement("w:br"))
        for i, piece in enumerate(line.split("\u2011")):
            if i:
                run._r.append(OxmlElement("w:noBreakHyphen"))
            if piece:
                t = OxmlElement("w:t")
                t.set(qn("xml:space"), "preserve")
                t.text = piece
                run._r.append(t)
    return run


def _set_font(run, size=14, bold=None, italic=None):
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    return run


def _para(
    container,
    text="",
    *,
    size=14,
    bold=False,
    italic=False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    indent=None,
    space_before=0,
    space_after=0,
    rich=False,
    line_spacing=1.15,
):
    p = container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    fmt.line_spacing = line_spacing
    if indent is not None:
        fmt.first_line_indent = indent
    if rich:
        for chunk, b, i in runs(text):
            _set_font(_add_run(p, chunk), size, bold or b, italic or i)
    elif text:
        _set_font(p.add_run(text), size, bold, italic)
    return p


def _bottom_border(paragraph):
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "0")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)


def _rule(container, width_cm: float):
    """A short centred rule: an empty paragraph with a bottom border, narrowed by indents."""
    p = container.add_paragraph()
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    _bottom_border(p)
    return p, width_cm


def _no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _centered_rule(cell_or_doc, total_cm: float, rule_cm: float):
    """A centred rule right under the line above: an empty paragraph one point high (exact line height) whose bottom
    border is the rule, narrowed by indents; Word and LibreOffice both draw it at once under the text."""
    p = cell_or_doc.add_paragraph()
    side = max((total_cm - rule_cm) / 2, 0)
    fmt = p.paragraph_format
    fmt.left_indent = Cm(side)
    fmt.right_indent = Cm(side)
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    _set_font(p.add_run(""), 1)
    _bottom_border(p)
    return p


def _fixed_grid(table, widths_cm: list[float]) -> None:
    """The table's grid, width and layout say the cells' widths (LibreOffice lays a table out from its grid: two
    equal grid columns under 6.9/9.6 cm cells wrapped the national name)."""
    tbl = table._tbl
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for w in widths_cm:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(int(Cm(w).twips)))
        grid.append(col)
    pr = tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout"):
        for old in pr.findall(qn(tag)):
            pr.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(Cm(sum(widths_cm)).twips)))
    width.set(qn("w:type"), "dxa")
    pr.append(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    pr.append(layout)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(w)


HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3")


def _heading_styles(doc) -> None:
    """Section levels use Word's heading styles (navigation pane, outline), dressed as the decree's body text:
    Times New Roman 14, black, justified, no extra spacing (the runs carry bold/italic)."""
    for name in HEADING_STYLES:
        style = doc.styles[name]
        font = style.font
        font.name, font.size, font.bold, font.italic = FONT, Pt(14), False, False
        font.color.rgb = RGBColor(0, 0, 0)
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), FONT)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(6), Pt(0), True
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _as_heading(paragraph, node) -> None:
    if node.get("level"):
        paragraph.style = paragraph.part.document.styles[HEADING_STYLES[min(node["level"], 3) - 1]]


def _add_nodes(doc, nodes):
    indent = Cm(1)
    for n in nodes:
        if n["kind"] == "section" and n.get("role") == "chapter":
            p = _para(doc, n["label"], bold=True, space_before=12)
            _as_heading(p, n)
            if n["heading"]:
                _para(doc, n["heading"], bold=True, rich=True)
            if n["text"]:
                _para(
                    doc, n["text"], align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=indent, space_before=6, rich=True
                )
        elif n["kind"] == "section" and n.get("role") == "article":
            p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=indent, space_before=6)
            _as_heading(p, n)
            _set_font(_add_run(p, n["label"]), 14, True)
            if n["heading"]:
                heading = n["heading"].rstrip()
                if n["text"] and not heading.endswith((".", ":", ";")):
                    heading += "."
                for chunk, _bold, i in runs(" " + heading):
                    _set_font(_add_run(p, chunk), 14, True, i)
            for chunk, b, i in runs(" " + n["text"] if n["text"] else ""):
                _set_font(_add_run(p, chunk), 14, b, i)
        elif n["kind"] == "section":
            p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=indent, space_before=6)
            _as_heading(p, n)
            if n["heading"]:
                _set_font(_add_run(p, f"{n['label']} "), 14, True)
                for chunk, _bold, i in runs(n["heading"]):
                    _set_font(_add_run(p, chunk), 14, True, i)
                if n["text"]:
                    _set_font(p.add_run("" if n["heading"].endswith(":") else ":"), 14, True)
                    for chunk, b, i in runs(" " + n["text"]):
                        _set_font(_add_run(p, chunk), 14, b, i)
            else:
                _set_font(_add_run(p, n["label"]), 14, True)
                for chunk, b, i in runs(f" {n['text']}"):
                    _set_font(_add_run(p, chunk), 14, b, i)
        elif n["kind"] == "item":
            _para(
                doc,
                f"{n['label']} {n['text']}",
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                indent=indent,
                space_before=6,
                rich=True,
            )
        elif n["kind"] == "paragraph":
            _para(doc, n["text"], align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=indent, space_before=6, rich=True)
        elif n["kind"] == "table":
            _add_table(doc, n.get("data", {}))
        _add_nodes(doc, n["children"])


def _add_table(doc, data: dict):
    columns, rows = data.get("columns", []), data.get("rows", [])
    if not columns:
        return
    table = doc.add_table(rows=1 + len(rows), cols=len(columns))
    table.style = "Table Grid"
    for j, c in enumerate(columns):
        cell = table.rows[0].cells[j]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(cell.paragraphs[0].add_run(c), 13, True)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row[: len(columns)]):
            p = table.rows[i].cells[j].paragraphs[0]
            for chunk, b, it in runs(value):
                _set_font(_add_run(p, chunk), 13, b, it)


def build_docx(ctx: dict):
    from portal.documents.rendering import text_width

    d = ctx["document"]
    doc = DocxDocument()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.different_first_page_header_footer = True
    # Page numbers centred in the header from page 2.
    hp = section.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _set_font(hp.add_run(), 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)

    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    # The template's default space after every paragraph spread the header's lines apart.
    style.paragraph_format.space_after = Pt(0)
    _heading_styles(doc)

    party = ctx["party"]
    usable = 16.5  # cm between the margins
    left_w, right_w = 6.9, usable - 6.9
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    _fixed_grid(table, [left_w, right_w])
    left, right = table.rows[0].cells
    left.width, right.width = Cm(left_w), Cm(right_w)
    left.paragraphs[0].text = ""
    first = left.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    size = 14 if party else 13
    if ctx["parent_organ"]:
        _set_font(first.add_run(ctx["parent_organ"]), size)
        for line in ctx.get("display_organ_lines") or ctx["organ_lines"]:
            _para(left, line, size=size, bold=True, line_spacing=1.0)
    else:
        for i, line in enumerate(ctx.get("display_organ_lines") or ctx["organ_lines"]):
            if i == 0:
                _set_font(first.add_run(line), size, True)
            else:
                _para(left, line, size=size, bold=True, line_spacing=1.0)
    if party:
        _para(left, "*", size=14)
    else:
        _centered_rule(left, left_w, left_w * 0.4)
    meta_left, meta_right = table.rows[1].cells
    meta_left.width, meta_right.width = Cm(left_w), Cm(right_w)
    number = meta_left.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.space_before = Pt(6)
    _set_font(number.add_run(ctx["number_line"]), size)
    if ctx["is_letter"] and ctx["title"]:
        _para(meta_left, f"V/v {ctx['title']}", size=12, space_before=6)

    rp = right.paragraphs[0]
    rp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if party:
        _set_font(rp.add_run("ĐẢNG CỘNG SẢN VIỆT NAM"), 15, True)
        _centered_rule(right, right_w, right_w * 0.7)
    else:
        _set_font(rp.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 12, True)
        _para(right, MOTTO, size=13, bold=True, line_spacing=1.0)
        _centered_rule(right, right_w, text_width(MOTTO, 13, bold=True) / 72 * 2.54)  # as long as the motto
    place = meta_right.paragraphs[0]
    place.alignment = WD_ALIGN_PARAGRAPH.CENTER
    place.paragraph_format.space_before = Pt(6)
    _set_font(place.add_run(ctx["place_date"]), 14, False, True)

    if not ctx["is_letter"]:
        _para(doc, ctx["type_name"], size=15 if party else 14, bold=True, space_before=18)
        _para(
            doc, "\n".join(ctx.get("title_lines") or [ctx["title"]]), size=14, bold=True
        )  # the PDF's line breaks
        _centered_rule(doc, usable, usable * 0.3)
        if ctx["enacting_authority"]:
            _para(doc, ctx["enacting_authority"], bold=True, space_before=6)
    if ctx["addressees"]:
        lines = ctx["addressees"]
        _para(doc, f"Kính gửi: {lines[0]}", space_before=12)
        for line in lines[1:]:
            _para(doc, f"{' ' * 18}{line}")
    for p in ctx["preamble_text"]:
        _para(
            doc,
            p,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            indent=Cm(1),
            space_before=6,
            italic=ctx["preamble_italic"],
            rich=True,
        )
    if ctx["enacting"]:
        _para(doc, ctx["enacting"], bold=True, space_before=6)
    _add_nodes(doc, ctx["body"])
    closing = str(ctx["closing"])
    if closing:
        from portal.documents.rendering import closing_text

        _para(doc, closing_text(d), align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=Cm(1), space_before=6, rich=True)

    foot = doc.add_table(rows=1, cols=2)
    foot.autofit = False
    _no_borders(foot)
    _fixed_grid(foot, [7.5, usable - 7.5])
    fl, fr = foot.rows[0].cells
    fl.width, fr.width = Cm(7.5), Cm(usable - 7.5)
    p0 = fl.paragraphs[0]
    p0.paragraph_format.space_before = Pt(12)
    _set_font(p0.add_run("Nơi nhận:"), 12, True, True)
    for r in ctx["recipients"]:
        note = f" {r['note']}" if r["note"] else ""
        _para(fl, f"- {r['name']}{note};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(fl, f"- {ctx['archive']}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    s0 = fr.paragraphs[0]
    s0.alignment = WD_ALIGN_PARAGRAPH.CENTER
    s0.paragraph_format.space_before = Pt(12)
    for i, line in enumerate(ctx["signature"]):
        if i == 0:
            _set_font(s0.add_run(line), 14, True)
        else:
            _para(fr, line, size=14, bold=True)
    for _ in range(4):
        _para(fr, "", size=14)
    _para(fr, ctx["signer"], size=14, bold=True)
    return doc
