"""Cached parts of the public consultation page for anonymous visitors.

The key carries the consultation's ``public_version``, which every write that changes the page increments in its
own transaction (``services._base.public_changed``). A request reads the consultation row anyway, so it always asks
for the parts of the committed version: no process ever serves parts older than the row it read, whatever the
cache backend (even a per-process LocMemCache). Old entries are never read again and expire after ``TTL``.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import get_language

TTL = 300  # seconds; only bounds memory, invalidation is by key


def public_parts(consultation, build):
    """``build()``'s result for this consultation's current public version, status and language."""
    key = (f"consultations:public:{consultation.pk}:{consultation.public_version}:{consultation.status}:"
           f"{get_language()}")
    parts = cache.get(key)
    if parts is None:
        parts = build()
        cache.set(key, parts, TTL)
    return parts
