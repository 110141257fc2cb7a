"""Generations: cached role-home panels that are never stale after a write, whatever process serves the next page.

A role home (``/bang-dieu-khien/``, ``/thon-cua-toi/``, the MTTQ and overseer homes) costs its Python, not its SQL:
twenty small queries compiled, a few dozen rows instantiated, five panels rendered. ``portal.registry.panels_for``
therefore serves the panels that declared what they read (``register_panel(reads=...)``) from one cache entry per
(home, person, day), rendered once, and this module says when that entry is outdated.

**Scopes and generations.** Every row a panel reads belongs to *scopes*: each administrative unit it points to
(``unit_scope``: its commune, village, upper unit) and each person it points to (``person_scope``: an assignee, a
recipient, a judge). Each scope has a *generation* in the cache: a random token, replaced by :func:`bump`. A person's
cached home is keyed by the tokens of every scope the person's panels can read from (:func:`person_scopes`: the
person, and every unit any of their roles reaches, ``Access.unit_ids`` plus the units and communes of their
memberships) and by today's date (the "overdue" and "this week" groups move at midnight). Replacing one token makes
every entry keyed by it unreachable, in every process that shares the cache (Redis in production, the database cache
on the embedded default); an unused entry expires after ``TTL``.

**When a generation moves.** :func:`bump` replaces the tokens when the writer's transaction commits
(``transaction.on_commit``; at once outside a transaction), before the writer's response leaves: the person who
acted sees the change on their next page, wherever it is served. A reader that rendered before the commit stored
what it read under the old token, unreachable once the token is replaced; one that rendered the new rows under the
old token stored fresh HTML under a dead key. Until the commit, the writer's own connection renders the homes of
the scopes it wrote live (:func:`written`): a read later in the same transaction (a test, whose transaction never
commits) is never served what the cache held before the write, and no cache write (a row lock, with the database
cache) happens inside the writer's transaction.

- Generic: ``post_save`` / ``post_delete`` of every model a registered panel reads (:func:`watch`, called by
  ``register_panel(reads=...)``) bump the scopes of the row (:func:`scopes_of`: its foreign keys to units and
  people, or the ``scopes`` function the panel gave for a model without them, e.g. a survey → its dialogue's
  commune). ``QuerySet.delete()`` sends ``post_delete`` for every row, so deletions are covered.
- Explicit: a write that bypasses the signals (``QuerySet.update()``, ``bulk_create``, raw SQL) on a model a panel
  reads must call :func:`bump` itself (or :func:`bump_for` with the row). Today: the comment tally
  (``consultations.services.tally``), marking notifications read (``portal.notifications``), a petition's due date
  and its deadline's assignee (``dialogues.services``), a document's ``updated_at`` (``portal.documents.services``).
  Data migrations (historical models send no signals to these receivers) and raw bulk loads are not covered: they
  show within ``TTL``, or at once after :func:`bump_all`.

The overseer home's table of communes (open and missed deadlines per commune) is cached the same way, through
:func:`person_cached`, and so is the staff petition list (``dialogues.views.petitions``).

**One round trip.** :func:`cached` keeps each value in a *slot* (one entry per name, parts and scopes, holding the
tokens it was built at) and reads the scopes' tokens and the slot with one ``get_many``: the value is served only
when the tokens it holds are the current ones; otherwise it is built and the slot replaced.

**What a cached home may not depend on**: the request beyond the person (no query string), the time of day, a row
outside the person's scopes (a superuser's unrestricted home is never cached), a row no watched model holds. A
panel that cannot promise this does not declare ``reads`` and is rendered live on every request, as before.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

TTL = 120  # seconds a cached home lives at most: the safety net for a write path nobody bumps
GENERATION_TTL = 7 * 24 * 3600  # a lost token only costs a render: a new random one never matches an old key
PREFIX = "portal:gen:"
ALL = "all"  # in every person's scopes: bump_all() outdates every cached home


def unit_scope(unit_id) -> str:
    return f"u{unit_id}"


def person_scope(user_id) -> str:
    return f"p{user_id}"


# ------------------------------------------------------------------------------------------------- the writers


def _replace(scopes: frozenset[str]) -> None:
    cache.set_many({PREFIX + s: uuid.uuid4().hex for s in scopes}, GENERATION_TTL)
    _dirty().difference_update(scopes)


def _dirty() -> set[str]:
    """Scopes this connection wrote in its open transaction (bumped in the cache only when it commits)."""
    connection = transaction.get_connection()
    outer = connection.atomic_blocks[0] if connection.atomic_blocks else None
    state = getattr(connection, "_portal_dirty_scopes", None)
    # another transaction (or none): what an earlier one wrote is committed or gone
    if state is None or state[0] is not outer:
        state = connection._portal_dirty_scopes = (outer, set())
    return state[1]


def bump(scopes: Iterable[str | None]) -> None:
    """Outdate every cached home that reads from one of ``scopes`` when the transaction commits (at once outside a
    transaction). Until then the writer's own connection renders those homes live (:func:`written`), so a read
    later in the same transaction sees the write without a cache round trip (or a row lock on a database cache)
    inside it."""
    scopes = frozenset(s for s in scopes if s)
    if not scopes:
        return
    if transaction.get_connection().in_atomic_block:
        _dirty().update(scopes)
    # at once outside a transaction; robust: the write is committed, a cache outage is logged, not the writer's error
    # (the homes then show the change within TTL)
    transaction.on_commit(lambda: _replace(scopes), robust=True)


def written(scopes: Iterable[str]) -> bool:
    """Did this connection write to one of ``scopes`` in its transaction, not yet committed (render live)?"""
    dirty = _dirty()
    return bool(dirty) and not dirty.isdisjoint(scopes)


def bump_all() -> None:
    """Outdate every cached home (after a raw bulk load or a data migration)."""
    bump([ALL])


_SCOPERS: dict[type, Callable] = {}
_FIELDS: dict[type, list[tuple[str, Callable]]] = {}


def _scope_fields(model) -> list[tuple[str, Callable]]:
    """``(attname, scope maker)`` of the model's foreign keys to units and people (computed once per model)."""
    fields = _FIELDS.get(model)
    if fields is None:
        from portal.models import AdministrativeUnit

        user_label = settings.AUTH_USER_MODEL.lower()
        fields = []
        for f in model._meta.concrete_fields:
            target = getattr(f, "related_model", None)
            if target is None or not f.many_to_one and not f.one_to_one:
                continue
            if issubclass(target, AdministrativeUnit):
                fields.append((f.attname, unit_scope))
            elif target._meta.label_lower == user_label:
                fields.append((f.attname, person_scope))
        _FIELDS[model] = fields
    return fields


def scopes_of(obj) -> set[str]:
    """The scopes a row belongs to: the units and people its foreign keys name (a unit: itself too)."""
    from portal.models import AdministrativeUnit

    scoper = _SCOPERS.get(type(obj))
    if scoper is not None:
        return {s for s in scoper(obj) if s}
    scopes = {make(value) for attname, make in _scope_fields(type(obj)) if (value := getattr(obj, attname))}
    if isinstance(obj, AdministrativeUnit) and obj.pk:
        scopes.add(unit_scope(obj.pk))
    return scopes


def bump_for(*objs) -> None:
    """:func:`bump` the scopes of rows written without signals (``QuerySet.update()`` on them)."""
    scopes: set[str] = set()
    for obj in objs:
        scopes |= scopes_of(obj)
    bump(scopes)


def _on_write(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: fixtures are not a writer of live data (see bump_all)
        return
    bump(scopes_of(instance))


def watch(model, scopes: Callable | None = None) -> None:
    """Bump the scopes of every row of ``model`` saved or deleted; ``scopes(row) -> [scope]`` replaces the
    generic :func:`scopes_of` for a model whose own foreign keys do not say where it belongs."""
    if scopes is not None:
        _SCOPERS.setdefault(model, scopes)
    uid = f"portal.generations:{model._meta.label_lower}"
    post_save.connect(_on_write, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_on_write, sender=model, dispatch_uid=uid, weak=False)


# ------------------------------------------------------------------------------------------------- the readers


def person_scopes(access) -> list[str] | None:
    """Every scope a person's home panels read from, or None when it cannot be enumerated (a superuser)."""
    from portal.models import Role

    if access.is_superuser or not access.is_authenticated:
        return None
    units = set(access.unit_ids(*Role.values))
    for m in access.memberships:
        units.add(m.unit_id)
        if m.commune_id:
            units.add(m.commune_id)
    return [ALL, person_scope(access.user.pk), *(unit_scope(u) for u in sorted(units))]


def person_cached(name: str, access, parts: tuple, build: Callable[[], Any]) -> Any:
    """``build()`` for this person, from the cache while no row of their scopes changed today (the same contract as
    the home panels: ``build`` may read only watched models, within the person's scopes). Built live and not stored
    for a superuser, or while this connection has an uncommitted write to one of the scopes."""
    from django.utils import timezone

    scopes = person_scopes(access)
    if scopes is None or written(scopes):
        return build()
    return cached(name, (access.user.pk, timezone.localdate(), parts), scopes, build)


def cached(name: str, parts: tuple, scopes: list[str], build: Callable[[], Any], *, ttl: int = TTL) -> Any:
    """``build()``'s value for ``name`` at ``parts``, from the cache while no scope in ``scopes`` moved: the scopes'
    tokens and the value come in ONE cache round trip. The value is kept in one slot per ``(name, parts, scopes)``
    with the tokens it was built at (portal/fragments.py, "slots"), and served only while they are the current ones.
    The caller checks :func:`written` first (render live inside a writer's transaction)."""
    from portal.fragments import slot_key

    keys = [PREFIX + s for s in scopes]
    slot = slot_key(name, *parts, tuple(scopes))
    found = cache.get_many([*keys, slot])
    entry = found.pop(slot, None)
    current = _tokens(keys, found)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = build()
    cache.set(slot, (current, value), ttl)
    return value


def _tokens(keys: list[str], found: dict) -> tuple[str, ...]:
    """The tokens of ``keys`` as read (``found``), a new one for each missing (kept unless a writer's came first)."""
    missing = [k for k in keys if k not in found]
    if missing:
        fresh = {k: uuid.uuid4().hex for k in missing}
        for k, token in fresh.items():
            # add(): a writer's token set meanwhile wins, never overwritten with one a reader made up
            if not cache.add(k, token, GENERATION_TTL):
                token = cache.get(k)
                if token is None:  # expired between the two calls: nothing cached can match a new token
                    token = uuid.uuid4().hex
            found[k] = token
    return tuple(found[k] for k in keys)
