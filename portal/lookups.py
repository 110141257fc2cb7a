"""One home for the questions every app asks about units and the people in them.

Feature apps (consultations, dialogues, campaigns, publicity…) call these instead of writing their own queries, so
"who is staff here", "which villages" and "who signs" have one answer everywhere.

Members of a unit with a role (any level)::

    lookups.memberships(unit, Role.STAFF, Role.LEADER)        # QuerySet[Membership], active, user selected
    lookups.member_users(unit, Role.LEADER)                   # list of users (distinct, in membership order)
    lookups.member_user_ids(unit, Role.STAFF)                 # values("user_id") subquery for querysets/forms
    lookups.users_with_role(unit, Role.STAFF, Role.LEADER)    # User QuerySet ordered by name (form choices)
    lookups.memberships(commune, Role.JUDGE, above=True)      # also district / province judges over the commune
    lookups.village_heads(village)                            # active heads of one village (unit or id)

``unit`` is an :class:`~portal.models.AdministrativeUnit`, or a commune's id (no query to load it). For a commune, members are those whose
role acts in the commune (held at the commune or at one of its villages, e.g. ``Role.VILLAGE_HEAD``); for a
village, those held at the village; for a district or province, those held at that very unit. ``above=True`` adds
the memberships held at the unit's ancestors (a district- or province-level judge or overseer).

Villages::

    lookups.villages(commune)                         # active villages, ordered by name (forms, postings, plans)
    lookups.villages(commune, include_inactive=True)  # also dissolved/merged ones (matching old data by name)

A village that is not active is neither offered in a public form nor given a posting: both use ``villages()``.

Organizations and signers::

    lookups.organization(commune, Organization.Kind.MTTQ)   # first organization of that kind, or None
    lookups.peoples_committee(commune)                        # the commune's UBND (ValidationError if missing)
    lookups.party_committee(commune)                          # the commune's Đảng ủy (ValidationError if missing)
    lookups.issuer(commune, party=False)                      # UBND or Đảng ủy, as a document's issuer
    lookups.signer(commune)                                   # Signer(user, name, position, deputy) or None
    lookups.signer(commune, prefer=host)                      # the host signs when he is one of the leaders

Recipients of a document (Nơi nhận), one line per organization, each named once::

    lookups.recipients(commune, [Kind.PARTY_COMMITTEE, Kind.PEOPLES_COUNCIL], extra=organizers)
    # ["Thường trực Đảng ủy xã Tân Trung", "Thường trực Hội đồng nhân dân xã Tân Trung", …]
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from portal.models import AdministrativeUnit, Membership, Organization, Role

Level = AdministrativeUnit.Level


def _unit(unit) -> AdministrativeUnit:
    if isinstance(unit, AdministrativeUnit):
        return unit
    return AdministrativeUnit.objects.select_related("parent").get(pk=unit)


def _unit_filter(unit) -> Q:
    if not isinstance(unit, AdministrativeUnit):  # a commune's id
        return Q(commune_id=unit)
    if unit.level == Level.COMMUNE:
        return Q(commune_id=unit.pk)
    return Q(unit_id=unit.pk)


def memberships(unit, *roles: str, above: bool = False) -> QuerySet[Membership]:
    """Active memberships with one of ``roles`` (all roles when none given) acting in ``unit``, oldest first."""
    where = _unit_filter(unit)
    if above:
        where |= Q(unit_id__in=[a.pk for a in _unit(unit).ancestors()])
    qs = Membership.objects.filter(where, active=True)
    if roles:
        qs = qs.filter(role__in=roles)
    return qs.select_related("user", "unit").order_by("id")


def member_users(unit, *roles: str, above: bool = False) -> list:
    """The users of :func:`memberships`, each once, in membership order."""
    seen, users = set(), []
    for m in memberships(unit, *roles, above=above):
        if m.user_id not in seen:
            seen.add(m.user_id)
            users.append(m.user)
    return users


def member_user_ids(unit, *roles: str, above: bool = False) -> QuerySet:
    """``values("user_id")`` of :func:`memberships`, for use as a subquery (``pk__in=``)."""
    return memberships(unit, *roles, above=above).values("user_id")


def users_with_role(unit, *roles: str, above: bool = False) -> QuerySet:
    """Users holding one of ``roles`` in ``unit``, ordered by first name (a form's choices)."""
    return (
        get_user_model()
        .objects.filter(pk__in=member_user_ids(unit, *roles, above=above))
        .order_by("first_name", "username")
    )


def users_in_communes(communes, *roles: str) -> QuerySet:
    """Users holding one of ``roles`` in any of ``communes`` (a queryset of communes or their ids), each once."""
    ids = Membership.objects.filter(commune_id__in=communes, role__in=roles, active=True).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("first_name", "username")


def village_heads(village) -> list:
    """The active heads of a village (an AdministrativeUnit or its id)."""
    village_id = village.pk if isinstance(village, AdministrativeUnit) else village
    return [
        m.user
        for m in Membership.objects.filter(unit_id=village_id, role=Role.VILLAGE_HEAD, active=True)
        .select_related("user")
        .order_by("id")
    ]


def villages(commune, *, include_inactive: bool = False) -> QuerySet[AdministrativeUnit]:
    """The villages / residential groups of a commune, ordered by name; only active ones unless asked."""
    commune_id = commune.pk if isinstance(commune, AdministrativeUnit) else commune
    qs = AdministrativeUnit.objects.filter(parent_id=commune_id, level=Level.VILLAGE)
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs.order_by("name")


def communes_below(unit) -> QuerySet[AdministrativeUnit]:
    """The communes at or below ``unit`` (itself for a commune, its commune for a village)."""
    unit = _unit(unit)
    qs = AdministrativeUnit.objects.filter(level=Level.COMMUNE)
    if unit.level == Level.COMMUNE:
        return qs.filter(pk=unit.pk)
    if unit.level == Level.VILLAGE:
        return qs.filter(pk=unit.commune_id)
    return qs.filter(Q(parent_id=unit.pk) | Q(parent__parent_id=unit.pk))


def organization(commune, kind: str) -> Organization | None:
    """The (first declared) organization of ``kind`` in a commune, or None."""
    commune_id = commune.pk if isinstance(commune, AdministrativeUnit) else commune
    return Organization.objects.filter(unit_id=commune_id, kind=kind).order_by("pk").first()


def peoples_committee(commune) -> Organization:
    org = organization(commune, Organization.Kind.PEOPLES_COMMITTEE)
    if org is None:
        raise ValidationError("Xã chưa khai báo Ủy ban nhân dân (cơ quan ban hành văn bản).")
    return org


def party_committee(commune) -> Organization:
    org = organization(commune, Organization.Kind.PARTY_COMMITTEE)
    if org is None:
        raise ValidationError("Xã chưa khai báo Đảng ủy (cơ quan ban hành văn bản).")
    return org


def issuer(commune, *, party: bool = False) -> Organization:
    """The organ that issues a commune's document: the Đảng ủy for Party documents, else the UBND."""
    return party_committee(commune) if party else peoples_committee(commune)


# A document goes to the standing committee (Thường trực) of these organs, not to the whole body.
_STANDING = {Organization.Kind.PARTY_COMMITTEE, Organization.Kind.PEOPLES_COUNCIL}


def recipients(commune, kinds, *, extra=()) -> list[str]:
    """The "Nơi nhận" lines for the commune's organizations of ``kinds`` then ``extra`` organizations, each once.

    Names come from the declared organizations (one source: "Hội đồng nhân dân xã Tân Trung"), so a coordinating
    organization that is also a statutory recipient is not listed twice under two spellings. A kind the commune has not
    declared is named by its label ("Ủy ban Mặt trận Tổ quốc Việt Nam xã").
    """
    commune_id = commune.pk if isinstance(commune, AdministrativeUnit) else commune
    declared: dict[str, Organization] = {}
    for org in Organization.objects.filter(unit_id=commune_id, kind__in=list(kinds)).order_by("pk"):
        declared.setdefault(org.kind, org)
    seen: set[int] = set()
    lines: list[str] = []

    def add(org: Organization) -> None:
        if org.pk in seen:
            return
        seen.add(org.pk)
        lines.append(f"Thường trực {org.name}" if org.kind in _STANDING else org.name)

    for kind in kinds:
        if kind in declared:
            add(declared[kind])
        else:
            label = Organization.Kind(kind).label
            lines.append(f"Thường trực {label} xã" if kind in _STANDING else f"{label} xã")
    for org in extra:
        add(org)
    return lines


@dataclass(frozen=True)
class Signer:
    user: object
    name: str
    position: str
    deputy: bool  # a vice chairman signs "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"

    def as_spec(self) -> dict:
        """The ``signer`` part of a document spec (portal/documents/FORMAT.md)."""
        return {"name": self.name, "deputy": self.deputy}


def _is_deputy(position: str) -> bool:
    return "phó" in (position or "").lower()


def signer(commune, *, prefer=None) -> Signer | None:
    """Who signs for the commune's UBND: ``prefer`` (a user, e.g. the dialogue's host) when he is one of its
    leaders, else the chairman, else the first vice chairman (signing on his behalf)."""
    leaders = list(memberships(commune, Role.LEADER).filter(unit__level=Level.COMMUNE))
    chair = next((m for m in leaders if prefer is not None and m.user_id == prefer.pk), None)
    chair = chair or next((m for m in leaders if not _is_deputy(m.position)), leaders[0] if leaders else None)
    if chair is None:
        return None
    return Signer(
        user=chair.user,
        name=chair.user.get_full_name() or chair.user.username,
        position=chair.position,
        deputy=_is_deputy(chair.position),
    )
