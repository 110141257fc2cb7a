"""Cached parts of the public consultation page for anonymous visitors.

The page keys carry the consultation's ``public_version``, which every write that changes the page increments in
its own transaction (``services._base.public_changed``); old entries are never read again and expire after ``TTL``.
A new comment before results changes only the counts: the cached HTML has a slot for each (``fill_counts``), filled
on every response from the maintained tally, so the page is not rendered again (``services._base.counts_changed``).

An anonymous request does not read the row either: the row's state ``(public_version, status, opens_on,
closes_on)`` is itself cached under a per-consultation key for ``settings.PORTAL_PUBLIC_STATE_TTL`` seconds and
deleted on commit of every write that bumps the version. So, with a shared cache (Redis, ``REDIS_URL``) every
process sees a change at once; with the per-process LocMemCache the writing process sees it at once and the others
within the TTL (a reader that loaded the state just before the commit may also store it back for at most one TTL).
Whether comments are accepted is computed from the state at request time, so the form disappears exactly when the
window closes, and ``services.comment_submit`` re-checks the window on the fresh row whatever the cache says.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

TTL = 300  # seconds; only bounds memory, invalidation is by key


def public_parts(consultation, build):
    """``build()``'s result for this consultation's current public version, status and language."""
    key = (
        f"consultations:public:{consultation.pk}:{consultation.public_version}:{consultation.status}:"
        f"{get_language()}"
    )
    parts = cache.get(key)
    if parts is None:
        parts = build()
        cache.set(key, parts, TTL)
    return parts


def public_names(consultation, build):
    """``build()``'s names of articles and villages (selectors.public_names) for this public version."""
    key = f"consultations:names:{consultation.pk}:{consultation.public_version}"
    names = cache.get(key)
    if names is None:
        names = build()
        cache.set(key, names, TTL)
    return names


def state_key(pk: int) -> str:
    return f"consultations:state:{pk}"


def public_state(pk: int, load) -> tuple:
    """The cached ``(public_version, status, opens_on, closes_on)`` of consultation ``pk``, else ``load()``'s."""
    state = cache.get(state_key(pk))
    return _loaded_state(pk, load) if state is None else state


def _loaded_state(pk: int, load) -> tuple:
    state = load()  # raises Http404 for what the public may not read: that is not cached
    ttl = getattr(settings, "PORTAL_PUBLIC_STATE_TTL", 2)
    if ttl > 0:
        cache.set(state_key(pk), state, ttl)
    return state


# Signed-in readers (the staff comment list, the MTTQ review, the public page) read the same row too: the consultation
# with its commune, cached the same way (``settings.PORTAL_PUBLIC_STATE_TTL`` seconds, dropped at once and again on
# commit of every write to the row: ``Consultation.save`` through the receivers in apps.py, the version bumps in
# services/_base.py). Who may read it is checked on every request by the caller (selectors.consultation_get_cached).


def row_key(pk: int) -> str:
    return f"consultations:row:{pk}"


def consultation_row(pk: int, load, also: tuple[str, ...] = ()) -> tuple:
    """``(row, found)``: the consultation ``pk`` with its commune (``load()``'s, None if there is none), from the cache
    when fresh, and the values of the cache keys ``also`` read in the same round trip (those found)."""
    key = row_key(pk)
    found = cache.get_many([key, *also])
    row = found.pop(key, None)
    if row is None:
        row = load()
        ttl = getattr(settings, "PORTAL_PUBLIC_STATE_TTL", 2)
        if row is not None and ttl > 0:
            cache.set(key, row, ttl)
    return row, found


def refresh(row, *, tally: bool = False) -> None:
    """Put consultation ``row`` (with its commune, as ``consultation_row`` loads it) back in the cache, dropping its
    tally too (stored as None: a miss), in one round trip (services._base.counts_changed_window)."""
    ttl = getattr(settings, "PORTAL_PUBLIC_STATE_TTL", 2)
    if ttl <= 0:
        forget(row.pk, tally=tally)
        return
    entries = {row_key(row.pk): row}
    if tally:
        entries[tally_key(row.pk)] = None
    cache.set_many(entries, ttl)


def forget(pk: int, *, state: bool = False, tally: bool = False, row: bool = True) -> None:
    """Drop what is cached of consultation ``pk`` (one cache round trip)."""
    keys = [k for k, on in ((state_key(pk), state), (tally_key(pk), tally), (row_key(pk), row)) if on]
    cache.delete_many(keys)


# The counts on the page (comments received, answered, per article) change with every comment; the rest of the
# page does not while the window is open. So the cached HTML carries a slot for each count, filled on every response
# from the maintained tally: a new comment changes the tally (dropped from the cache on commit, re-read in one small
# query) and leaves the rendered page as it was (services._base.counts_changed).
COUNT_SLOT = re.compile(r"<!--n:(total|answered|a\d{1,12})-->")


def tally_key(pk: int) -> str:
    return f"consultations:tally:{pk}"


def public_tally(pk: int, cached: dict | None = None) -> dict[str, int]:
    """The consultation's maintained counts, cached for ``settings.PORTAL_PUBLIC_STATE_TTL`` seconds at most and
    dropped on commit of every write that changes them (``cached``: read from the cache already)."""
    from consultations.services.tally import tally_of

    key = tally_key(pk)
    tally = cache.get(key) if cached is None else cached
    if tally is None:
        tally = tally_of(pk)
        ttl = getattr(settings, "PORTAL_PUBLIC_STATE_TTL", 2)
        if ttl > 0:
            cache.set(key, tally, ttl)
    return tally


def fill_counts(html: str, tally: dict[str, int]) -> str:
    """Put the current counts into the slots the template left (``<!--n:total-->``, ``<!--n:a12-->``…), read from
    the tally by the same selectors the rest of the portal uses."""
    from consultations.selectors import article_count, comment_counts

    counts = comment_counts(None, tally=tally)

    def count(match: re.Match) -> str:
        name = match.group(1)
        if name == "total":
            return str(counts["total"])
        if name == "answered":
            return f", {counts['answered']} ý kiến đã được trả lời" if counts["answered"] else ""
        return str(article_count(tally, name[1:]))

    return COUNT_SLOT.sub(count, html)


# Per-visitor values are punched into the cached HTML of the public page: the CSRF token (Django's own, so the
# cookie is set as usual) and the comment form's one-time token (a fresh one per response, so double submits of one
# form still collapse into one comment while two visitors never share a token).
CSRF_SLOT = "csrf-slot-5c1f0a9e7d3b"
FORM_TOKEN_SLOT = "form-token-slot-8e2d4b6a1c9f"  # noqa: S105 - a placeholder, not a secret
COMMENTS_SLOT = "<!--comments-slot-3b9e1f-->"  # where the page of answered comments goes (views/public.py)
CACHEABLE_PARAMS = {"page", "dieu", "sau", "truoc"}


def cacheable_query(request) -> str | None:
    """The normalized query string if the page may be served from the cache (only ?page, ?dieu, ?sau, ?truoc = N)."""
    params = request.GET
    if set(params) - CACHEABLE_PARAMS or any(
        len(params.getlist(k)) > 1 or not params[k].isdigit() or len(params[k]) > 9 for k in params
    ):
        return None  # odd query strings are rendered, not cached (nobody fills the cache with junk keys)
    return "&".join(f"{k}={params[k]}" for k in sorted(params))


def without_anchor(query: str) -> str:
    """``query`` (``cacheable_query``'s) without ``sau`` / ``truoc``: the page every page of comments shares."""
    return "&".join(p for p in query.split("&") if p and p.split("=", 1)[0] not in ("sau", "truoc"))


def page_key(pk: int, state: tuple, query: str, *, now=None) -> str:
    """``state`` is (public_version, status, opens_on, closes_on) as read from the consultation's row."""
    from consultations.models import Consultation

    version, status, opens_on, closes_on = state
    accepting = Consultation.accepts_at(status, opens_on, closes_on, now or timezone.now())
    return f"consultations:html:{pk}:{version}:{status}:{int(accepting)}:{get_language()}:{query}"


# An anonymous visitor's page is read in one cache round trip with the state and the tally: it is kept under one
# slot per (consultation, language, query without anchors) whatever the version, and the entry names the page it
# holds (``page_key``: version, status, window open?); a slot holding another page is a miss, rendered and replaced.
# ``?sau=`` / ``?truoc=`` change nothing before results, and after them only the page of comments put into the slot
# per request (views/public.py).


def page_slot(pk: int, query: str) -> str:
    return f"consultations:page:{pk}:{get_language()}:{without_anchor(query)}"


def anonymous_page(pk: int, query: str, load_state) -> tuple[tuple, str, str | None, dict | None]:
    """One cache round trip: the row's state (else ``load_state()``'s, stored), the key of the page that state
    names, that page's HTML if the slot holds it (visitor's tokens not yet filled in), and the tally if cached."""
    skey, tkey, slot = state_key(pk), tally_key(pk), page_slot(pk, query)
    got = cache.get_many([skey, tkey, slot])
    state = got.get(skey)
    if state is None:
        state = _loaded_state(pk, load_state)
    key = page_key(pk, state, without_anchor(query))
    entry = got.get(slot)
    html = entry[1] if entry is not None and entry[0] == key else None
    return state, key, html, got.get(tkey)


def cached_page_key(pk: int, query: str) -> str | None:
    """The key of the page the slot for ``query`` holds (tests: which page served the visitor)."""
    entry = cache.get(page_slot(pk, query))
    return None if entry is None else entry[0]


def page_store(pk: int, query: str, key: str, html: str) -> None:
    cache.set(page_slot(pk, query), (key, html), TTL)


def fill(request, html: str) -> str:
    return html.replace(CSRF_SLOT, get_token(request)).replace(FORM_TOKEN_SLOT, uuid.uuid4().hex)
