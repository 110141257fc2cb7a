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
# A commune under a district of the same province, and the district itself: read by the province's overseer and
# the district's; judges (at the district or the province) judge contests there but read no portal records.
BELOW_DISTRICT = {"overseer", "district_overseer", "superuser"}

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
    ("portal.view_unit", "village_d"): BELOW_DISTRICT,
    ("portal.change_village", "village_d"): {"superuser"},
    ("portal.view_deadline", "deadline_d"): BELOW_DISTRICT,
    ("portal.view_deadline", "deadline_district"): BELOW_DISTRICT,
    ("portal.resolve_deadline", "deadline_d"): {"superuser"},
    ("portal.resolve_deadline", "deadline_district"): {"superuser"},
    ("portal.waive_deadline", "deadline_district"): {"superuser"},
    ("portal.view_audit", "village_d"): BELOW_DISTRICT,
    ("portal.view_audit", "deadline_d"): BELOW_DISTRICT,
    ("portal.view_audit", "deadline_district"): BELOW_DISTRICT,
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

EVERY_DEADLINE = {
    "deadline_a",
    "deadline_b",
    "deadline_commune",
    "deadline_x",
    "deadline_d",
    "deadline_district",
}
VISIBLE_DEADLINES = {
    "staff": {"deadline_a", "deadline_b", "deadline_commune"},
    "leader": {"deadline_a", "deadline_b", "deadline_commune"},
    "village_head": {"deadline_a"},
    "mttq": {"deadline_a", "deadline_b", "deadline_commune"},
    "union": {"deadline_a", "deadline_b", "deadline_commune"},
    "radio": {"deadline_a", "deadline_b", "deadline_commune"},
    "overseer": EVERY_DEADLINE,
    "other_staff": {"deadline_x"},
    "anonymous": set(),
    "superuser": EVERY_DEADLINE,
    "district_overseer": {"deadline_d", "deadline_district"},
    "district_judge": set(),
    "province_judge": set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_deadline_list_returns_exactly_the_visible_rows(role, users, world):
    names = {getattr(world, n).pk: n for n in VISIBLE_DEADLINES["superuser"]}
    user = users[role]
    listed = {names[d.pk] for d in deadline_list(user=user)}
    assert listed == VISIBLE_DEADLINES[role]
    assert listed == {names[d.pk] for d in Deadline.objects.all() if user.has_perm("portal.view_deadline", d)}


@pytest.mark.parametrize("role", ROLES)
def test_audit_list_returns_exactly_the_visible_rows(
    role, users, world, commune, other_commune, district_commune
):
    # Opening the deadlines wrote "deadline.open" events: three in this commune, one in the other, one in the
    # commune under the district (the district's own deadline has no commune: the superuser reads it).
    user = users[role]
    listed = list(audit_list(user=user))
    communes = (commune, other_commune, district_commune)
    by_commune = {c: sum(1 for e in listed if e.commune_id == c.pk) for c in communes}
    expected_here = 3 if role in HERE else 0
    expected_there = 1 if role in THERE else 0
    expected_below = 1 if role in BELOW_DISTRICT else 0
    assert by_commune == {
        commune: expected_here,
        other_commune: expected_there,
        district_commune: expected_below,
    }
    assert len(listed) == expected_here + expected_there + expected_below + (role == "superuser")
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


# --- Upper-level judges: a judge wherever a contest below them runs ------------------------------------------------

JUDGED = {
    # (judge, where the contest runs) -> is a judge there
    ("district_judge", "commune_d"): True,
    ("district_judge", "district"): True,
    ("district_judge", "commune"): False,  # directly under the province, not under this district
    ("province_judge", "commune_d"): True,
    ("province_judge", "district"): True,
    ("province_judge", "commune"): True,
    ("province_judge", "elsewhere"): False,  # another province
    ("commune_judge", "commune"): True,
    ("commune_judge", "commune_d"): False,
    ("commune_judge", "district"): False,
    ("district_overseer", "commune_d"): False,  # overseers read; they do not judge
}


@pytest.mark.parametrize(("who", "where"), list(JUDGED), ids=[f"{w}-{p}" for w, p in JUDGED])
def test_judges_judge_contests_anywhere_below_them(who, where, users, commune, district, district_commune):
    from types import SimpleNamespace

    from portal.models import Role
    from portal.rules import is_commune_judge
    from tests.factories import CommuneFactory, make_user

    users = {**users, "commune_judge": make_user(Role.JUDGE, commune)}
    # A contest is any object that says where it runs: a commune's (commune_id) or a district's (unit_id).
    contests = {
        "commune": SimpleNamespace(commune_id=commune.pk),
        "commune_d": SimpleNamespace(commune_id=district_commune.pk),
        "district": SimpleNamespace(commune_id=None, unit_id=district.pk),
        "elsewhere": SimpleNamespace(commune_id=CommuneFactory().pk),
    }
    assert is_commune_judge.test(users[who], contests[where]) is JUDGED[(who, where)]


def test_commune_level_members_cost_no_query_for_the_tree(staff, village_head, django_assert_num_queries):
    from portal.access import access_for

    for user in (staff, village_head):
        access_for(user)  # loads the memberships
        with django_assert_num_queries(0):
            access_for(user).commune_ids("staff", "village_head")
            access_for(user).readable_unit_ids()


def test_upper_level_scope_is_one_query_per_request(users, world, django_assert_num_queries):
    from portal.access import access_for

    overseer = users["overseer"]
    access_for(overseer)
    with django_assert_num_queries(1):
        for d in (world.deadline_a, world.deadline_d, world.deadline_district, world.deadline_x):
            assert overseer.has_perm("portal.view_deadline", d)
