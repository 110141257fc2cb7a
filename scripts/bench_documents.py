# ruff: noqa: T201
"""Benchmark document rendering (not a test).

    DJANGO_SETTINGS_MODULE=portal.settings .venv/bin/python scripts/bench_documents.py

Prints the cost of the first render in a fresh process (font loading, template compilation), then the median of
warm renders of a seed-sized plan (the Tân Trung fixture, ~3 pages) and of a ~50-page report, PDF and DOCX.
Works on an in-memory copy of nothing: it builds the documents as unsaved objects, so no database writes happen.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from portal.documents.models import Document, Section, Task  # noqa: E402
from portal.documents.rendering import render_docx, render_pdf  # noqa: E402
from portal.documents.specs import parse_spec, parse_yaml  # noqa: E402
from portal.models import AdministrativeUnit, Organization  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "portal" / "documents" / "fixtures" / "tan_trung_consultation_plan.yaml"


def build(parsed):
    """Unsaved Document + Section/Task lists from a parsed spec (no database)."""
    unit = AdministrativeUnit(pk=1, name="Tân Trung", level="commune", kind="xa", code="BENCH")
    issuer = Organization(pk=1, unit=unit, kind="ubnd", name="Ủy ban nhân dân xã Tân Trung", short_name="UBND")
    now = timezone.now()
    doc = Document(pk=1, issuer=issuer, unit=unit, commune=unit, created_at=now, updated_at=now)
    for k, v in parsed.fields.items():
        if k != "layout":
            setattr(doc, k, v)
    doc.layout = "state"
    sections, counter = [], [0]

    def walk(nodes, parent):
        for i, n in enumerate(nodes, 1):
            counter[0] += 1
            s = Section(pk=counter[0], document=doc, parent_id=parent, position=i, kind=n.kind, heading=n.heading,
                        text=n.text)
            sections.append(s)
            walk(n.children, s.pk)

    walk(parsed.nodes, None)
    tasks = [Task(pk=i, document=doc, position=i, lead=t.lead, description=t.description,
                  coordinating=t.coordinating, **t.due) for i, t in enumerate(parsed.tasks, 1)]
    return doc, sections, tasks


def report_spec(pages: int = 50) -> dict:
    para = ("Ủy ban nhân dân xã đã tổ chức niêm yết công khai tại trụ sở và nhà văn hóa các thôn, phát trên hệ thống "
            "truyền thanh, đăng trên Cổng thông tin điện tử; tiếp nhận, tổng hợp đầy đủ ý kiến của Nhân dân và "
            "giải trình từng ý kiến theo đúng quy định của Luật Thực hiện dân chủ ở cơ sở.")
    sections = [{"heading": f"KẾT QUẢ THỰC HIỆN PHẦN {i + 1}", "content": [
        {"heading": f"Nội dung {j + 1}", "content": [para, f"- {para}", f"+ {para}"]} for j in range(2)]}
        for i in range(pages)]
    return {"type": "BC", "place": "Tân Trung", "title": "Kết quả thực hiện dân chủ ở cơ sở năm 2025",
            "sections": sections, "recipients": ["UBND tỉnh (b/c)"],
            "signature": {"authority": "TM", "organ": "ỦY BAN NHÂN DÂN", "position": "CHỦ TỊCH", "signer": "A"}}


def timed(fn, n):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main():
    plan = build(parse_yaml(FIXTURE.read_text(encoding="utf-8")))
    report = build(parse_spec(report_spec(66)))
    kw = lambda b: {"sections": b[1], "tasks": b[2]}  # noqa: E731

    load0 = os.getloadavg()
    t = time.perf_counter()
    pdf = render_pdf(plan[0], **kw(plan))
    first = time.perf_counter() - t
    import io

    from pypdf import PdfReader

    plan_pages = len(PdfReader(io.BytesIO(pdf)).pages)
    report_pages = len(PdfReader(io.BytesIO(render_pdf(report[0], **kw(report)))).pages)
    for _ in range(2):  # warm-up
        render_pdf(plan[0], **kw(plan))
    plan_pdf = timed(lambda: render_pdf(plan[0], **kw(plan)), 15)
    plan_docx = timed(lambda: render_docx(plan[0], **kw(plan)), 15)
    rep_pdf = timed(lambda: render_pdf(report[0], **kw(report)), 5)
    rep_docx = timed(lambda: render_docx(report[0], **kw(report)), 5)
    print(f"load average before/after: {load0[0]:.1f} / {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    print(f"first render (cold: fonts, templates), plan PDF: {first * 1000:.0f} ms")
    print(f"plan ({plan_pages} pages) PDF  median of 15: {statistics.median(plan_pdf) * 1000:.0f} ms")
    print(f"plan ({plan_pages} pages) DOCX median of 15: {statistics.median(plan_docx) * 1000:.0f} ms")
    print(f"report ({report_pages} pages) PDF  median of 5: {statistics.median(rep_pdf) * 1000:.0f} ms")
    print(f"report ({report_pages} pages) DOCX median of 5: {statistics.median(rep_docx) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
