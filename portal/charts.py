"""Server-side SVG charts, one home for every app (no JavaScript; each figure sits beside a table that says the same).

    charts.bar_chart(rows, title="Ý kiến theo thôn")      # rows: [{"label", "count"}] -> horizontal bars
    charts.group_bars(groups, rows)                         # campaigns: points per criteria group and participant
    {% load portal_charts %}{{ rows|bar_chart:"Ý kiến theo thôn" }}   # in a template

The SVG carries role="img" and a <title> (its text alternative); WeasyPrint prints it in PDFs as drawn here.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 170  # narrow enough that a phone (≈ 350 px of content) shows the text near its size
BAR_WIDTH = 150


def _short(label: str, limit: int = 22) -> str:
    """A bar's label cut to fit beside it (the table beside the chart gives it whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _number(value) -> str:
    """A figure as Vietnamese writes it: a decimal comma (0,7), as in the table beside the chart."""
    return str(value).replace(".", ",")


def bar_chart(rows: list[dict], *, title: str, unit: str = "") -> SafeString:
    """Horizontal bars of ``rows`` ({"label", "count"}); labelled for screen readers by ``title``."""
    if not rows:
        return mark_safe("")  # noqa: S308 - empty string
    top = max(r["count"] for r in rows) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 40
    uid = f"chart-{next(_ids)}"
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{uid}" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}">{escape(title)}</title>',
    ]
    for i, r in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        w = round(BAR_WIDTH * r["count"] / top) if r["count"] else 0
        label = escape(_short(str(r["label"])))
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT * 0.7:.0f}" text-anchor="end" font-size="13">{label}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w}" height="{BAR_HEIGHT}" fill="#1f5fa8"></rect>'
            f'<text x="{LABEL_WIDTH + w + 6}" y="{y + BAR_HEIGHT * 0.7:.0f}" font-size="13">{_number(r["count"])}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


PALETTE = ["#1b5e20", "#0d47a1", "#b71c1c", "#e65100", "#4a148c", "#006064", "#827717", "#3e2723"]


def group_bars(groups: list[tuple[str, Decimal]], rows: list[tuple[str, dict[str, Decimal]]]) -> str:
    """One block per criteria group (label, max), one bar per participant: its points as a share of the group's max.
    ``rows`` is [(participant name, {group code: points})]. The numbers are also in the page's table."""
    if not groups or not rows:
        return ""
    bar_w, gap, left, top, height = 14, 18, 40, 20, 180
    block = len(rows) * bar_w + gap
    width = left + len(groups) * block + 10
    legend_h = 18 * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" viewBox="0 0 {width} '
        f'{top + height + 40 + legend_h}" width="100%" aria-labelledby="chart-title">',
        '<title id="chart-title">Điểm theo nhóm tiêu chí (tỷ lệ trên điểm tối đa của nhóm)</title>',
    ]
    for pct in (0, 50, 100):
        y = top + height - height * pct / 100
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{pct}%</text>')
    for gi, (code, maximum) in enumerate(groups):
        x0 = left + gi * block + gap / 2
        for ri, (name, by_group) in enumerate(rows):
            value = by_group.get(code, Decimal(0))
            share = float(value / maximum) if maximum else 0.0
            h = max(0.0, min(1.0, share)) * height
            x = x0 + ri * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{top + height - h:.1f}" width="{bar_w - 2}" height="{h:.1f}" '
                f'fill="{PALETTE[ri % len(PALETTE)]}"><title>{escape(name)} — nhóm {escape(code)}: '
                f"{value}/{maximum}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + len(rows) * bar_w / 2:.1f}" y="{top + height + 14}" font-size="11" '
            f'text-anchor="middle">{escape(code)}</text>'
        )
    for ri, (name, _) in enumerate(rows):
        y = top + height + 34 + ri * 18
        parts.append(
            f'<rect x="{left}" y="{y - 10}" width="10" height="10" fill="{PALETTE[ri % len(PALETTE)]}"/>'
        )
        parts.append(f'<text x="{left + 16}" y="{y}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
