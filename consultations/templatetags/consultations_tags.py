from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from consultations.rules import rule_inputs
from portal import principal

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""


@register.simple_tag(takes_context=True)
def consultation_nav(context, consultation):
    """The consultation's sub-navigation (``includes/nav.html``: only the pages this person may open), rendered once
    per process for the person's current roles and the consultation's audience, status and commune: its five
    permission checks and ten links are not computed again on every page (``principal.memoized``)."""
    user = context["user"]
    parts = ("consultations:nav", *rule_inputs(consultation))
    html = principal.memoized(
        user,
        parts,
        lambda: render_to_string(
            "consultations/includes/nav.html", {"user": user, "consultation": consultation}
        ),
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine (autoescaped)
