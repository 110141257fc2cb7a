"""Shared permission predicates (django-rules) and the portal's own permissions.

Each feature app combines these predicates in its own ``rules.py``; objects expose ``commune_id`` and, where they
belong to one village, ``village_id``. Templates ask ``{% has_perm %}``; views call ``user.has_perm``.
"""

import rules

from portal.access import access_for, village_id_of
from portal.models import Role


def _in_commune(*roles):
    """A role that reaches the object's unit: held there or at a unit above it (see portal/access.py)."""

    def check(user, obj=None) -> bool:
        if obj is None:
            return access_for(user).has_role(*roles)
        return access_for(user).covers(obj, *roles)

    return check


is_commune_staff = rules.predicate(_in_commune(Role.STAFF, Role.LEADER), name="is_commune_staff")
is_commune_leader = rules.predicate(_in_commune(Role.LEADER), name="is_commune_leader")
is_commune_mttq = rules.predicate(_in_commune(Role.MTTQ), name="is_commune_mttq")
is_commune_union = rules.predicate(_in_commune(Role.UNION), name="is_commune_union")
is_commune_radio = rules.predicate(_in_commune(Role.RADIO), name="is_commune_radio")
is_commune_judge = rules.predicate(_in_commune(Role.JUDGE), name="is_commune_judge")
is_commune_member = rules.predicate(
    _in_commune(Role.STAFF, Role.LEADER, Role.MTTQ, Role.UNION, Role.RADIO, Role.VILLAGE_HEAD),
    name="is_commune_member",
)


@rules.predicate
def is_village_head_of(user, obj=None) -> bool:
    if obj is None:
        return access_for(user).has_role(Role.VILLAGE_HEAD)
    village_id = village_id_of(obj)
    return village_id is not None and village_id in access_for(user).headed_village_ids


@rules.predicate
def is_overseer_of(user, obj=None) -> bool:
    if obj is None:
        return access_for(user).has_role(Role.OVERSEER)
    return access_for(user).covers(obj, Role.OVERSEER)


is_superuser = rules.is_superuser
# The same readers as ``Access.readable_commune_ids`` (COMMUNE_READER_ROLES), which the selectors filter with:
# "may I see it?" and "which rows do I see?" must give one answer.
commune_reader = (
    is_commune_staff | is_commune_mttq | is_commune_union | is_commune_radio | is_overseer_of | is_superuser
)

# Units (villages carry households and population).
rules.add_perm("portal.view_unit", commune_reader | is_village_head_of | is_commune_member)
rules.add_perm("portal.change_village", is_commune_staff | is_village_head_of | is_superuser)

# Deadlines.
rules.add_perm("portal.view_deadline", commune_reader | is_village_head_of)
rules.add_perm("portal.resolve_deadline", is_commune_staff | is_village_head_of | is_superuser)
rules.add_perm("portal.waive_deadline", is_commune_leader | is_superuser)

# Audit trail: the commune's readers (office, MTTQ for supervision, union, radio) and the upper level read it;
# nobody writes it by hand.
rules.add_perm("portal.view_audit", commune_reader)
