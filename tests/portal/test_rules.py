"""The portal's permission matrix: role × object × action, and the selectors that must agree with it."""

import pytest

from portal.models import AuditEvent, Deadline
from portal.selectors import audit_list, deadline_list
from tests.portal.conftest import ROLES

pytestmark = pytest.mark.django_db

# Who reads a commune's internal records: its office (staff, leaders), MTTQ, the union, the radio operator, the
# upper level that oversees it, and superusers.
HERE = {"staff", "leader", "mttq", "union", "radio", "overseer", "superuser"}
THERE = {"other_staff", "overseer", "superuser"}  # the other commune sits under the same province

EXPECTED = {
    # Villages are public facts (households, population); every member of the commune may read them.
    ("portal.view_unit", "village_a"): HERE | {"village_head"},
    ("portal.view_unit", "village_b"): HERE | {"village_head"},
    ("portal.view_unit", "village_x"): THERE,
    ("portal.change_village", "village_a"): {"staff", "leader", "village_head", "superuser"},
    ("portal.change_village", "village_b"): {"staff", "leader", "superuser"},
    ("portal.change_village", "village_x"): {"other_staff", "superuser"},
    ("portal.view_deadline", "deadline_a"): HERE | {"village_head"},
    ("portal.view_deadline", "deadline_b"): HERE,
    ("portal.view_deadline", "deadline_commune"): HERE,
    ("portal.view_deadline", "deadline_x"): THERE,
    ("portal.resolve_deadline", "deadline_a"): {"staff", "leader", "village_head", "superuser"},
    ("portal.resolve_deadline", "deadline_b"): {"staff", "leader", "superuser"},
    ("portal.resolve_deadline", "deadline_commune"): {"staff", "leader", "superuser"},
    ("portal.resolve_deadline", "deadline_x"): {"other_staff", "superuser"},
    ("portal.waive_deadline", "deadline_a"): {"leader", "superuser"},
    ("portal.waive_deadline", "deadline_b"): {"leader", "superuser"},
    ("portal.waive_deadline", "deadline_commune"): {"leader", "superuser"},
    ("portal.waive_deadline", "deadline_x"): {"superuser"},
    ("portal.view_audit", "village_a"): HERE,
    ("portal.view_audit", "village_b"): HERE,
    ("portal.view_audit", "village_x"): THERE,
    ("portal.view_audit", "deadline_a"): HERE,
    ("portal.view_audit", "deadline_b"): HERE,
    ("portal.view_audit", "deadline_commune"): HERE,
    ("portal.view_audit", "deadline_x"): THERE,
}
CASES = [(perm, obj, role, role in allowed) for (perm, obj), allowed in EXPECTED.items() for role in ROLES]


@pytest.mark.parametrize(
    ("perm", "obj", "role", "allowed"), CASES, ids=[f"{p}-{o}-{r}" for p, o, r, _ in CASES]
)
def test_permission_matrix(perm, obj, role, allowed, users, world):
    assert users[role].has_perm(perm, getattr(world, obj)) is allowed


def test_every_role_is_in_the_matrix():
    assert {r for _, _, r, _ in CASES} == set(ROLES)
    assert len(CASES) == len(EXPECTED) * len(ROLES)


# --- Selectors: exactly the visible rows, and the same answer as the rule ---------------------------------------

VISIBLE_DEADLINES = {
    "staff": {"deadline_a", "deadline_b", "deadline_commune"},
    "leader": {"deadline_a", "deadline_b", "deadline_commune"},
    "village_head": {"deadline_a"},
    "mttq": {"deadline_a", "deadline_b", "deadline_commune"},
    "union": {"deadline_a", "deadline_b", "deadline_commune"},
    "radio": {"deadline_a", "deadline_b", "deadline_commune"},
    "overseer": {"deadline_a", "deadline_b", "deadline_commune", "deadline_x"},
    "other_staff": {"deadline_x"},
    "anonymous": set(),
    "superuser": {"deadline_a", "deadline_b", "deadline_commune", "deadline_x"},
}


@pytest.mark.parametrize("role", ROLES)
def test_deadline_list_returns_exactly_the_visible_rows(role, users, world):
    names = {getattr(world, n).pk: n for n in VISIBLE_DEADLINES["superuser"]}
    user = users[role]
    listed = {names[d.pk] for d in deadline_list(user=user)}
    assert listed == VISIBLE_DEADLINES[role]
    assert listed == {names[d.pk] for d in Deadline.objects.all() if user.has_perm("portal.view_deadline", d)}


@pytest.mark.parametrize("role", ROLES)
def test_audit_list_returns_exactly_the_visible_rows(role, users, world, commune, other_commune):
    # Opening the four deadlines wrote four "deadline.open" events: three in this commune, one in the other.
    user = users[role]
    listed = list(audit_list(user=user))
    by_commune = {c: sum(1 for e in listed if e.commune_id == c.pk) for c in (commune, other_commune)}
    expected_here = 3 if role in HERE else 0
    expected_there = 1 if role in THERE else 0
    assert by_commune == {commune: expected_here, other_commune: expected_there}
    assert len(listed) == expected_here + expected_there
    assert {e.pk for e in listed} == {
        e.pk for e in AuditEvent.objects.all() if user.has_perm("portal.view_audit", e)
    }


def test_a_village_head_of_two_villages_sees_both(world, village_head):
    from portal.models import Membership, Role

    Membership.objects.create(user=village_head, unit=world.village_b, role=Role.VILLAGE_HEAD)
    village_head._portal_access = None  # memberships are cached per request on the user object
    assert {d.pk for d in deadline_list(user=village_head)} == {world.deadline_a.pk, world.deadline_b.pk}
    assert village_head.has_perm("portal.resolve_deadline", world.deadline_b)


def test_an_inactive_membership_grants_nothing(world, staff):
    staff.memberships.update(active=False)
    staff._portal_access = None
    assert not staff.has_perm("portal.view_deadline", world.deadline_commune)
    assert list(deadline_list(user=staff)) == []


def test_overseers_see_communes_below_them_through_a_district(db):
    """Before 01/7/2025 communes sat under a district; an overseer at the province or the district reads them."""
    from portal.models import AdministrativeUnit, Role
    from tests.factories import CommuneFactory, ProvinceFactory, make_user
    from tests.portal.factories import open_deadline

    province = ProvinceFactory()
    district = ProvinceFactory(
        level=AdministrativeUnit.Level.DISTRICT, kind=AdministrativeUnit.Kind.DISTRICT, parent=province
    )
    old_commune = CommuneFactory(parent=district)
    elsewhere = CommuneFactory()  # another province
    d_old = open_deadline(commune=old_commune)
    d_elsewhere = open_deadline(commune=elsewhere)
    for unit in (province, district):
        overseer = make_user(Role.OVERSEER, unit)
        assert overseer.has_perm("portal.view_deadline", d_old)
        assert not overseer.has_perm("portal.view_deadline", d_elsewhere)
        assert not overseer.has_perm("portal.resolve_deadline", d_old)
        assert [d.pk for d in deadline_list(user=overseer)] == [d_old.pk]
