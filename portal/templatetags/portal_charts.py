"""``{% load portal_charts %}`` then ``{{ rows|bar_chart:"Ý kiến theo thôn" }}``: portal/charts.py in templates."""

from django import template

from portal import charts

register = template.Library()


@register.filter
def bar_chart(rows, title: str = ""):
    return charts.bar_chart(list(rows or []), title=title)


@register.filter
def participation_rows(by_village):
    """Participation per village against households: comments per 100 households (villages with a count of
    households; the table beside gives every village)."""
    return [
        {"label": r["village"], "count": r["per_100_households"]}
        for r in by_village
        if r.get("per_100_households") is not None
    ]


@register.filter
def village_counts(by_village):
    """Comments per village, as chart rows."""
    return [{"label": r["village"], "count": r["count"]} for r in by_village]
