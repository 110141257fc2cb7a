"""Cached parts of the public consultation page for anonymous visitors, invalidated on every write.

Each consultation has a generation token in the cache; services replace it after their transaction commits
(``services._base.public_changed``), so stale entries are never read again and simply expire.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.utils.translation import get_language

TTL = 300  # seconds; writes invalidate at once, the TTL only bounds memory


def _gen_key(pk: int) -> str:
    return f"consultations:gen:{pk}"


def generation(pk: int) -> str:
    gen = cache.get(_gen_key(pk))
    if gen is None:
        cache.add(_gen_key(pk), uuid.uuid4().hex, None)
        gen = cache.get(_gen_key(pk)) or ""
    return gen


def bump(pk: int) -> None:
    cache.set(_gen_key(pk), uuid.uuid4().hex, None)


def public_parts(pk: int, build, *, extra: str = ""):
    """``build()``'s result for this consultation's current generation (and language)."""
    key = f"consultations:public:{pk}:{generation(pk)}:{get_language()}:{extra}"
    parts = cache.get(key)
    if parts is None:
        parts = build()
        cache.set(key, parts, TTL)
    return parts
