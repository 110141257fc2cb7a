"""Server-side SVG bar charts: figures are drawn on the server (no JavaScript) and always come with a table."""

from __future__ import annotations

import itertools

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 210
BAR_WIDTH = 300


def bar_chart(rows: list[dict], *, title: str, unit: str = "") -> SafeString:
    """Horizontal bars of ``rows`` ({"label", "count"}); labelled for screen readers by ``title``."""
    if not rows:
        return mark_safe("")  # noqa: S308 - empty string
    top = max(r["count"] for r in rows) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 60
    uid = f"chart-{next(_ids)}"
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{uid}" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}">{escape(title)}</title>',
    ]
    for i, r in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        w = round(BAR_WIDTH * r["count"] / top) if r["count"] else 0
        label = escape(str(r["label"])[:40])
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT * 0.7:.0f}" text-anchor="end" font-size="13">{label}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w}" height="{BAR_HEIGHT}" fill="#1f5fa8"></rect>'
            f'<text x="{LABEL_WIDTH + w + 6}" y="{y + BAR_HEIGHT * 0.7:.0f}" font-size="13">{r["count"]}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above
