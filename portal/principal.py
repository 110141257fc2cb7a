"""The signed-in person as every page needs them, read from the shared cache in one round trip.

Every logged-in page starts with the same three ORM queries — the user row, their active memberships (with the
unit, its parent and the organization), their unread notifications — and the same menu (each entry's role and
permission checks, a ``reverse()`` each). Built per request, that shell cost about eight hello-world requests
before the page itself did anything (issue 13). Here it is built once and kept in the cache (Redis in production,
the database cache on the embedded default), under one key per person:

- ``portal:principal:<schema>:<user id>`` holds the user, their memberships and their menus (what
  ``registry.menu_for`` computes before the per-request parts: the current entry and the badge);
- ``portal:unread:<user id>`` holds their unread-notification count;
- ``portal:principal:gen`` is a token that every entry records: changing it makes every entry stale at once.

``load(user_id)`` reads all three with one ``get_many`` (``PortalBackend.get_user`` calls it for Django's
``AuthenticationMiddleware``, so ``auth.get_user`` still verifies the session's hash, and still refuses an inactive
user).

The password hash never enters the cache: the entry holds the user with ``password`` deferred (a read of
``user.password``, e.g. by the password change form, fetches it from the database; a ``save()`` of that instance
writes only the loaded fields) and, instead, the session hashes Django derives from it (``get_session_auth_hash``
and those of ``SECRET_KEY_FALLBACKS``), which the loaded user answers with. A digest of the secret keys is part of
the entry's key, so a rotated key never verifies a session with hashes derived from the old one.

Invalidation contract (each writer drops the entry immediately and again when its transaction commits, so a request
that read the old rows while the write was in flight cannot keep them in the cache):

- a ``User`` saved or deleted drops that person's entry (a password change, a deactivation, ``is_staff``, a sign-in
  that stamps ``last_login``), through the ``post_save``/``post_delete`` receivers below;
- a ``Membership`` saved or deleted drops its user's entry (receivers below);
- an ``AdministrativeUnit`` or ``Organization`` saved or deleted changes the generation token: every entry is
  rebuilt (a renamed or moved unit is rare and reaches everyone);
- a user's groups or Django permissions changed drop their entry (a group's permissions changed: every entry), as
  a menu entry's permission may be granted that way (``m2m_changed`` receivers below);
- ``portal.notifications`` drops the unread counts of the recipients it writes to or marks read.

``QuerySet.update()`` and ``bulk_create`` send no signals: code that writes these models that way must call
``forget()`` / ``bump()`` itself (no application code does; tests/portal/test_principal.py checks the contract).
``TTL`` only bounds what a write that bypassed all of this could leave behind.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable
from functools import cache as memoize
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

from portal.memo import ProcessMemo

TTL = 300  # seconds
UNREAD_TTL = 300
GEN_KEY = "portal:principal:gen"
T = TypeVar("T")


@memoize
def _schema() -> str:
    """A short hash of the cached models' fields: a deploy that changes them never unpickles old entries."""
    from portal.models import AdministrativeUnit, Membership, Organization

    names = [
        f"{m._meta.label}.{f.attname}"
        for m in (get_user_model(), Membership, AdministrativeUnit, Organization)
        for f in m._meta.concrete_fields
    ]
    # the session hashes kept in an entry are derived from the secret keys: new keys, new entries
    names += [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return hashlib.sha256(repr(names).encode()).hexdigest()[:10]


def principal_key(user_id) -> str:
    return f"portal:principal:{_schema()}:{user_id}"


def unread_key(user_id) -> str:
    return f"portal:unread:{user_id}"


def load(user_id):
    """The user ``user_id`` with their memberships (``access_for``), menus and unread count attached; None if no
    such user. One cache round trip when the entry is there."""
    from portal.access import Access, load_memberships
    from portal.registry import MENU_GROUPS_SIGNED_IN, menu_raw

    key, ukey = principal_key(user_id), unread_key(user_id)
    got = cache.get_many([key, GEN_KEY, ukey])
    gen = got.get(GEN_KEY)
    entry = got.get(key)
    if entry is not None and len(entry) == 5 and entry[0] == gen:
        _, user, memberships, menus, stamp = entry
    else:
        user = get_user_model()._default_manager.filter(pk=user_id).first()
        if user is None:
            return None
        memberships = load_memberships(user)
        stored = _without_password(user)  # as read: nothing a permission check caches on ``user`` below
        access = Access(user=user, memberships=memberships)
        user._portal_access = access
        menus = {group: menu_raw(user, access, group) for group in MENU_GROUPS_SIGNED_IN}
        stamp = uuid.uuid4().hex  # new with every rebuild: names this very state of the person (``memoized``)
        cache.set(key, (gen, stored, memberships, menus, stamp), TTL)
    if not hasattr(user, "_portal_access"):
        user._portal_access = Access(user=user, memberships=memberships)
    if "password" not in user.__dict__:  # from the cache: the session is checked against the kept hashes
        user.get_session_auth_hash = functools.partial(_session_hash, user)
        user.get_session_auth_fallback_hash = functools.partial(_session_fallback_hashes, user)
    user._portal_menus = menus
    user._portal_stamp = stamp
    if ukey in got:
        user._portal_unread = got[ukey]
    return user


MEMO_MAX = 4096  # entries a process keeps (small strings: a sub-navigation)
_memo: ProcessMemo = ProcessMemo(MEMO_MAX)


def _session_hash(user) -> str:
    """The session hash of a user from the cache: the kept one, unless the password was read or set since (a
    password change: then derived from the new one, as Django does, so the session it updates stays valid)."""
    if "password" in user.__dict__:
        return type(user).get_session_auth_hash(user)
    return user._portal_session_hashes[0]


def _session_fallback_hashes(user):
    if "password" in user.__dict__:
        return type(user).get_session_auth_fallback_hash(user)
    return iter(user._portal_session_hashes[1])


def _without_password(user):
    """A copy of ``user`` to cache: ``password`` deferred, the session hashes derived from it kept instead."""
    stored = copy.copy(user)  # its own __dict__ and _state (Model.__getstate__)
    stored._portal_session_hashes = (
        user.get_session_auth_hash(),
        tuple(user.get_session_auth_fallback_hash()),
    )
    del stored.__dict__["password"]
    return stored


def memoized(user, parts: tuple, build: Callable[[], T]) -> T:
    """``build()``'s result for this person as their cached entry stands, and ``parts``: computed once per process.

    The entry's stamp is new every time the entry is rebuilt, and it is rebuilt after every change this module
    listens to (a role, a membership, a unit, a Django permission, the account). So what depends only on the
    person's roles and permissions and on ``parts`` may be kept this way: a consultation's sub-navigation, whose
    links follow the rules the views check on the consultation's audience, status and commune (all in ``parts``),
    or the answers of such rules themselves (the MTTQ review's buttons).
    A person not loaded through ``load`` (no stamp) gets ``build()`` every time."""
    stamp = getattr(user, "_portal_stamp", None)
    if stamp is None:
        return build()
    return _memo.get((stamp, *parts), build)


def unread_count(user) -> int:
    """The person's unread notifications: attached by ``load``, else counted (one query) and cached."""
    n = getattr(user, "_portal_unread", None)
    if n is None:
        n = user.notifications.filter(read_at__isnull=True).count()
        cache.set(unread_key(user.pk), n, UNREAD_TTL)
        user._portal_unread = n
    return n


def _now_and_on_commit(fn) -> None:
    fn()
    transaction.on_commit(fn)


def forget(user_ids: Iterable[int]) -> None:
    """Drop these people's cached principal (user, memberships, menus)."""
    keys = [principal_key(pk) for pk in set(user_ids) if pk is not None]
    if keys:
        _now_and_on_commit(lambda: cache.delete_many(keys))


def forget_unread(user_ids: Iterable[int]) -> None:
    """Drop these people's cached unread counts (a notification written or marked read)."""
    keys = [unread_key(pk) for pk in set(user_ids) if pk is not None]
    if keys:
        _now_and_on_commit(lambda: cache.delete_many(keys))


def bump() -> None:
    """Make every cached principal stale (a unit or an organization changed)."""
    _now_and_on_commit(lambda: cache.set(GEN_KEY, uuid.uuid4().hex, None))


# --- receivers (connected in PortalConfig.ready) ---------------------------------------------------------------------


def user_changed(sender, instance, **kwargs) -> None:
    forget([instance.pk])


def membership_changed(sender, instance, **kwargs) -> None:
    forget([instance.user_id])


def unit_changed(sender, instance, **kwargs) -> None:
    bump()


def permissions_changed(sender, instance, action, reverse, **kwargs) -> None:
    """A user's groups or Django permissions changed (the admin): the menus' permission checks may differ. From the
    group's or the permission's side (``reverse``), every cached person is rebuilt."""
    if action in ("post_add", "post_remove", "post_clear"):
        if reverse:
            bump()
        else:
            forget([instance.pk])


def group_permissions_changed(sender, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        bump()


def connect() -> None:
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from portal.models import AdministrativeUnit, Membership, Organization

    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(user_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid=f"principal_user_{name}")
        signal.connect(membership_changed, sender=Membership, dispatch_uid=f"principal_membership_{name}")
        signal.connect(unit_changed, sender=AdministrativeUnit, dispatch_uid=f"principal_unit_{name}")
        signal.connect(unit_changed, sender=Organization, dispatch_uid=f"principal_org_{name}")
    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through):
        m2m_changed.connect(
            permissions_changed, sender=through, dispatch_uid=f"principal_m2m_{through.__name__}"
        )
    m2m_changed.connect(
        group_permissions_changed, sender=Group.permissions.through, dispatch_uid="principal_group"
    )
