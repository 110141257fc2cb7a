"""Who may act where: a user's memberships, computed once per request and cached on the user object.

Both questions go through here: "may I?" (predicates in ``portal/rules.py`` and each app's ``rules.py``) and
"which rows may I see?" (selectors filter with :meth:`Access.commune_ids`, :meth:`Access.unit_ids` and
:attr:`Access.headed_village_ids`).

Scope over the whole unit tree: a role held at a province or a district reaches every district and commune below
it, through a district or not (an overseer reads them; a judge judges a contest run anywhere below). A role held at
a commune reaches that commune; at a village, that village's commune (the village itself: ``headed_village_ids``)::

    access = access_for(user)
    access.commune_ids(Role.JUDGE)          # communes where the user is a judge, at the commune or above it
    access.unit_ids(Role.OVERSEER)          # + the province / district units themselves and the districts below
    access.covers(obj, Role.STAFF)          # does a role reach the object's unit (scope_unit_id(obj))?
    access.readable_commune_ids()           # communes whose internal records the user may read
    access.readable_unit_ids()              # the same, plus upper units (a district contest's deadlines)
    scope_unit_id(obj)                      # the unit an object belongs to: its commune, else its own unit

An object says where it belongs with ``commune_id`` (commune-level records) or, above communes, ``unit_id``; it may
define ``scope_unit_id`` to say it explicitly.

Services take ``by``: a user acting, or ``None`` for the system itself (a scheduled task, a management command,
a data migration, the demo seed). ``require_perm(by, perm, obj)`` lets the system through and checks a person's
permission; audit rows of the system have no actor. Views always pass ``request.user``, never ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from portal.models import AdministrativeUnit, Membership, Role

Level = AdministrativeUnit.Level
UPPER_LEVELS = frozenset({Level.PROVINCE, Level.DISTRICT})

COMMUNE_OFFICE_ROLES = frozenset({Role.STAFF, Role.LEADER})
COMMUNE_READER_ROLES = frozenset({Role.STAFF, Role.LEADER, Role.MTTQ, Role.UNION, Role.RADIO})


@dataclass
class Access:
    user: object
    memberships: list[Membership] = field(default_factory=list)

    @property
    def is_superuser(self) -> bool:
        return bool(getattr(self.user, "is_superuser", False))

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    def roles_in(self, commune_id: int | None) -> set[str]:
        return {m.role for m in self.memberships if commune_id is not None and m.commune_id == commune_id}

    def has_role(self, *roles: str) -> bool:
        return any(m.role in roles for m in self.memberships)

    @cached_property
    def _below(self) -> dict[int, tuple[frozenset[int], frozenset[int]]]:
        """For each upper-level unit the user holds a role at: (districts below, communes below). One query, and
        none at all for someone who holds roles only at communes and villages."""
        upper = {m.unit_id for m in self.memberships if m.unit.level in UPPER_LEVELS}
        if not upper:
            return {}
        districts: dict[int, set[int]] = {u: set() for u in upper}
        communes: dict[int, set[int]] = {u: set() for u in upper}
        rows = AdministrativeUnit.objects.filter(level__in=[Level.DISTRICT, Level.COMMUNE]).filter(
            Q(parent_id__in=upper) | Q(parent__parent_id__in=upper)
        )
        for pk, level, parent_id, grandparent_id in rows.values_list(
            "pk", "level", "parent_id", "parent__parent_id"
        ):
            for top in (parent_id, grandparent_id):
                if top in upper:
                    (communes if level == Level.COMMUNE else districts)[top].add(pk)
        return {u: (frozenset(districts[u]), frozenset(communes[u])) for u in upper}

    def commune_ids(self, *roles: str) -> set[int]:
        """Communes where the user holds one of ``roles``: at the commune, one of its villages, or a unit above."""
        ids: set[int] = set()
        for m in self.memberships:
            if m.role not in roles:
                continue
            if m.commune_id is not None:
                ids.add(m.commune_id)
            elif m.unit_id in self._below:
                ids |= self._below[m.unit_id][1]
        return ids

    def unit_ids(self, *roles: str) -> set[int]:
        """:meth:`commune_ids` plus the upper units themselves and the districts below them (not villages)."""
        ids = self.commune_ids(*roles)
        for m in self.memberships:
            if m.role in roles and m.unit_id in self._below:
                ids.add(m.unit_id)
                ids |= self._below[m.unit_id][0]
        return ids

    def covers(self, obj, *roles: str) -> bool:
        """Does one of ``roles`` reach the unit ``obj`` belongs to (see :func:`scope_unit_id`)?"""
        unit_id = scope_unit_id(obj)
        return unit_id is not None and unit_id in self.unit_ids(*roles)

    @cached_property
    def role_set(self) -> frozenset[str]:
        """Every role the user holds anywhere (for menus; permissions use the scoped checks)."""
        return frozenset(str(m.role) for m in self.memberships)

    @cached_property
    def headed_village_ids(self) -> set[int]:
        return {m.unit_id for m in self.memberships if m.role == Role.VILLAGE_HEAD}

    @cached_property
    def overseen_commune_ids(self) -> set[int]:
        """Communes below a unit where the user is an upper-level overseer (through a district or not)."""
        return self.commune_ids(Role.OVERSEER)

    def readable_commune_ids(self) -> set[int]:
        """Communes whose internal records (deadlines, audit, drafts) the user may read."""
        return self.commune_ids(*COMMUNE_READER_ROLES, Role.OVERSEER)

    def readable_unit_ids(self) -> set[int]:
        """Units whose internal records the user may read: :meth:`readable_commune_ids` plus the upper units an
        overseer reads (a district-level contest's deadlines)."""
        return self.unit_ids(*COMMUNE_READER_ROLES, Role.OVERSEER)

    @property
    def primary(self) -> Membership | None:
        return self.memberships[0] if self.memberships else None

    @property
    def home_commune(self) -> AdministrativeUnit | None:
        for m in self.memberships:
            if m.commune_id:
                return m.unit if m.unit.level == AdministrativeUnit.Level.COMMUNE else m.unit.parent
        return None


def load_memberships(user) -> list[Membership]:
    """The user's active memberships with what ``Access`` reads of them (one query)."""
    return list(
        Membership.objects.filter(user=user, active=True)
        .select_related("unit", "unit__parent", "organization")
        .order_by("id")
    )


def access_for(user) -> Access:
    """The user's ``Access``: cached on the user object (a request's user comes with it from ``portal.principal``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Access(user=user)
    cached = getattr(user, "_portal_access", None)
    if cached is None:
        cached = Access(user=user, memberships=load_memberships(user))
        user._portal_access = cached
    return cached


def require_perm(by, perm: str, obj=None, message: str = "Bạn không có quyền thực hiện việc này.") -> None:
    """The services' permission check: ``by=None`` is the system (let through); a person needs ``perm``."""
    if by is None:
        return
    if not by.has_perm(perm, obj):
        raise PermissionDenied(message)


def scope_unit_id(obj) -> int | None:
    """The unit an object belongs to for permissions: a unit's commune (itself above communes), an object's
    ``scope_unit_id`` if it defines one, else its ``commune_id``, else its ``unit_id``."""
    if isinstance(obj, AdministrativeUnit):
        return obj.commune_id or obj.pk
    explicit = getattr(obj, "scope_unit_id", None)
    if explicit is not None:
        return explicit
    commune_id = getattr(obj, "commune_id", None)
    if commune_id is not None:
        return commune_id
    return getattr(obj, "unit_id", None)


def commune_id_of(obj) -> int | None:
    if isinstance(obj, AdministrativeUnit):
        return obj.commune_id
    return getattr(obj, "commune_id", None)


def village_id_of(obj) -> int | None:
    if isinstance(obj, AdministrativeUnit):
        return obj.pk if obj.level == AdministrativeUnit.Level.VILLAGE else None
    return getattr(obj, "village_id", None)
