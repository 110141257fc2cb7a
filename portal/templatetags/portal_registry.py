"""Template access to portal/registry.py: ``{% load portal_registry %}`` then ``{{ event.action|audit_label }}``."""

from django import template

from portal.registry import audit_label as _audit_label

register = template.Library()


@register.filter
def audit_label(verb: str) -> str:
    return _audit_label(str(verb or ""))
