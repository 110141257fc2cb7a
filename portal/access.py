"""Who may act where: a user's memberships, computed once per request and cached on the user object.

Both questions go through here: "may I?" (predicates in ``portal/rules.py`` and each app's ``rules.py``) and
"which rows may I see?" (selectors filter with :meth:`Access.commune_ids` / :attr:`Access.headed_village_ids`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q

from portal.models import AdministrativeUnit, Membership, Role

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

    def commune_ids(self, *roles: str) -> set[int]:
        return {m.commune_id for m in self.memberships if m.role in roles and m.commune_id is not None}

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
        units = {m.unit_id for m in self.memberships if m.role == Role.OVERSEER}
        if not units:
            return set()
        return set(
            AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE)
            .filter(Q(parent_id__in=units) | Q(parent__parent_id__in=units))
            .values_list("pk", flat=True)
        )

    def readable_commune_ids(self) -> set[int]:
        """Communes whose internal records (deadlines, audit, drafts) the user may read."""
        return self.commune_ids(*COMMUNE_READER_ROLES) | self.overseen_commune_ids

    @property
    def primary(self) -> Membership | None:
        return self.memberships[0] if self.memberships else None

    @property
    def home_commune(self) -> AdministrativeUnit | None:
        for m in self.memberships:
            if m.commune_id:
                return m.unit if m.unit.level == AdministrativeUnit.Level.COMMUNE else m.unit.parent
        return None


def access_for(user) -> Access:
    if user is None or not getattr(user, "is_authenticated", False):
        return Access(user=user)
    cached = getattr(user, "_portal_access", None)
    if cached is None:
        memberships = list(
            Membership.objects.filter(user=user, active=True)
            .select_related("unit", "unit__parent", "organization")
            .order_by("id")
        )
        cached = Access(user=user, memberships=memberships)
        user._portal_access = cached
    return cached


def commune_id_of(obj) -> int | None:
    if isinstance(obj, AdministrativeUnit):
        return obj.commune_id
    return getattr(obj, "commune_id", None)


def village_id_of(obj) -> int | None:
    if isinstance(obj, AdministrativeUnit):
        return obj.pk if obj.level == AdministrativeUnit.Level.VILLAGE else None
    return getattr(obj, "village_id", None)
