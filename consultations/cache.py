"""Cached parts of the public consultation page for anonymous visitors.

The key carries the consultation's ``public_version``, which every write that changes the page increments in its
own transaction (``services._base.public_changed``). A request reads the consultation row anyway, so it always asks
for the parts of the committed version: no process ever serves parts older than the row it read, whatever the
cache backend (even a per-process LocMemCache). Old entries are never read again and expire after ``TTL``.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils import timezone
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


# Per-visitor values are punched into the cached HTML of the public page: the CSRF token (Django's own, so the
# cookie is set as usual) and the comment form's one-time token (a fresh one per response, so double submits of one
# form still collapse into one comment while two visitors never share a token).
CSRF_SLOT = "csrf-slot-5c1f0a9e7d3b"
FORM_TOKEN_SLOT = "form-token-slot-8e2d4b6a1c9f"  # noqa: S105 - a placeholder, not a secret
CACHEABLE_PARAMS = {"page", "dieu"}


def cacheable_query(request) -> str | None:
    """The normalized query string if the page may be served from the cache (only ?page=N and ?dieu=N)."""
    params = request.GET
    if set(params) - CACHEABLE_PARAMS or any(len(params.getlist(k)) > 1 or not params[k].isdigit()
                                             or len(params[k]) > 9 for k in params):
        return None  # odd query strings are rendered, not cached (nobody fills the cache with junk keys)
    return "&".join(f"{k}={params[k]}" for k in sorted(params))


def page_key(pk: int, state: tuple, query: str) -> str:
    """``state`` is (public_version, status, opens_on, closes_on) as read from the consultation's row."""
    from consultations.models import Consultation

    version, status, opens_on, closes_on = state
    accepting = Consultation(status=status, opens_on=opens_on, closes_on=closes_on).accepts_comments_at(
        timezone.now())
    return f"consultations:html:{pk}:{version}:{status}:{int(accepting)}:{get_language()}:{query}"


def page_get(request, key: str) -> str | None:
    html = cache.get(key)
    return None if html is None else fill(request, html)


def page_set(request, key: str, html: str) -> str:
    cache.set(key, html, TTL)
    return fill(request, html)


def fill(request, html: str) -> str:
    return html.replace(CSRF_SLOT, get_token(request)).replace(FORM_TOKEN_SLOT, uuid.uuid4().hex)
