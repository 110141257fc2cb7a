"""Rendered fragments shared by everyone who sees the same thing: render once per version, serve from the cache.

A staff list page costs its render (a filter form with every village, article and organization as options, twenty
rows, the pager), not its SQL: rendered once, the same HTML serves every person allowed to read it until what it
shows changes. The key names what the HTML depends on, and nothing else:

- a *version* that the services increment in the same transaction as every write that changes what the fragment
  shows (``Consultation.staff_version``, say): a write makes the old entry unreachable at once, in every process
  that shares the cache (Redis in production; the database cache on the embedded default);
- the normalized query string (``query_key``): only the parameters the page knows, each once, bounded in length;
  anything else is rendered live and not cached, so nobody can fill the cache with junk keys;
- whatever else changes the HTML (the template, the language).

What differs per person (the menu, the CSRF token, the buttons a role may press) stays outside the fragment and is
rendered on every request. ``TTL`` only bounds how long a fragment may show a name edited elsewhere (a village, a
person) and how long unused entries take memory; invalidation is by key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TTL = 300  # seconds
QUERY_MAX = 400  # characters of normalized query string a cached fragment may be keyed by
VALUE_MAX = 200


def fragment_key(name: str, *parts) -> str:
    """A bounded cache key for fragment ``name`` and what it depends on (hashed: the parts may hold any text)."""
    digest = hashlib.sha256(repr((get_language(), *parts)).encode()).hexdigest()[:32]
    return f"portal:fragment:{name}:{digest}"


def fragment(name: str, parts: Iterable, build: Callable[[], str], *, ttl: int = TTL) -> SafeString:
    """``build()``'s HTML for ``name`` at ``parts``: from the cache when another request rendered it already."""
    key = fragment_key(name, *parts)
    html = cache.get(key)
    if html is None:
        html = str(build())
        cache.set(key, html, ttl)
    return mark_safe(html)  # noqa: S308 - the HTML a template rendered (autoescaped), stored as it was


def many(specs: list[tuple[str, Iterable | None, Callable[[], str]]], *, ttl: int = TTL) -> list[SafeString]:
    """:func:`fragment` for several fragments of one page in one cache round trip (and one more to store what was
    missing). Each spec is ``(name, parts, build)``; ``parts`` None: rendered live, not cached."""
    keys = [None if parts is None else fragment_key(name, *parts) for name, parts, _ in specs]
    wanted = [k for k in keys if k is not None]
    got = cache.get_many(wanted) if wanted else {}
    out, missing = [], {}
    for key, (_, _, build) in zip(keys, specs, strict=True):
        html = got.get(key) if key is not None else None
        if html is None:
            html = str(build())
            if key is not None:
                missing[key] = html
        out.append(mark_safe(html))  # noqa: S308 - the HTML a template rendered (autoescaped), stored as it was
    if missing:
        cache.set_many(missing, ttl)
    return out


# Slots: one entry per fragment *whatever its version*, holding ``(parts, html)``. A page that must first read a row to
# learn the version (the consultation's ``public_version``) can then fetch the row and the slot in the same round trip
# and use the HTML only when the parts it names are the current ones; a stale slot is a miss, rendered and replaced.
# (Two readers of different versions take turns replacing it: each is served the HTML of its own version.)


def slot_key(name: str, *stable_parts) -> str:
    """The key of ``name``'s slot for what does not change with a version (the page, the language)."""
    return fragment_key(f"{name}:slot", *stable_parts)


def from_slot(entry, parts: Iterable, build: Callable[[], str], key: str, *, ttl: int = TTL) -> SafeString:
    """The HTML in slot ``entry`` (as read at ``key``) if it was rendered for ``parts``, else ``build()``'s, stored
    in the slot."""
    (html,) = from_slots([(key, parts, build)], {key: entry}, ttl=ttl)
    return html


def from_slots(
    specs: list[tuple[str | None, Iterable, Callable[[], str]]], got: dict, *, ttl: int = TTL
) -> list[SafeString]:
    """:func:`from_slot` for several slots of one page, read already (``got``: key → entry, as ``get_many`` returns
    it, e.g. with the row that names their version) and stored in one round trip if any was rendered. Each spec is
    ``(key, parts, build)``; ``key`` None: rendered live, not cached."""
    out, missing = [], {}
    for key, parts, build in specs:
        parts = tuple(parts)
        entry = got.get(key) if key is not None else None
        if entry is not None and entry[0] == parts:
            html = entry[1]
        else:
            html = str(build())
            if key is not None:
                missing[key] = (parts, html)
        out.append(mark_safe(html))  # noqa: S308 - the HTML a template rendered (autoescaped), stored as it was
    if len(missing) == 1:  # one SET (Redis's set_many is a pipeline of SET and EXPIRE per key)
        cache.set(*missing.popitem(), ttl)
    elif missing:
        cache.set_many(missing, ttl)
    return out


def query_key(params, known: Iterable[str]) -> str | None:
    """``params`` (a QueryDict) as a canonical string when the page may be cached for it, else None.

    Empty values are dropped (``?q=&village=3`` is ``village=3``); an unknown parameter, a repeated one or an
    over-long value makes the request uncacheable (rendered live, as before).
    """
    known = set(known)
    items = []
    for name in params:
        values = params.getlist(name)
        if name not in known or len(values) > 1 or len(values[0]) > VALUE_MAX:
            return None
        if values[0] != "":
            items.append((name, values[0]))
    key = "&".join(f"{k}={v}" for k, v in sorted(items))
    return key if len(key) <= QUERY_MAX else None
