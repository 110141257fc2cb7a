from django import template

from campaigns.scoring import fmt

register = template.Library()


@register.filter
def pts(value):
    """Points in the Vietnamese way: "12,5", "20", "—" for none."""
    return fmt(value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
