from django import template

from campaigns.scoring import fmt

register = template.Library()


@register.filter
def pts(value):
    """Points in the Vietnamese way: "12,5", "20", "—" for none (also for a missing score: a template resolves
    ``line.self_score.points`` of a criterion not yet scored to "")."""
    return fmt(None if value == "" else value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
