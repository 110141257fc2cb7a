"""portal/lookups.py: one answer for members of a unit, villages, organizations and the signer."""

import pytest
from django.core.exceptions import ValidationError

from portal import lookups
from portal.models import AdministrativeUnit, Membership, Organization, Role
from tests.factories import CommuneFactory, OrganizationFactory, VillageFactory, make_user

Level, Kind = AdministrativeUnit.Level, AdministrativeUnit.Kind


@pytest.fixture
def district(commune):
    province = commune.parent
    return AdministrativeUnit.objects.create(
        level=Level.DISTRICT, kind=Kind.DISTRICT, name="Huyện Thử", code="D0001", parent=province
    )


def test_members_of_a_commune_include_its_village_heads_and_only_active_ones(
    commune, staff, leader, village_head, other_staff
):
    assert lookups.member_users(commune, Role.STAFF) == [staff]
    assert lookups.member_users(commune.pk, Role.STAFF, Role.LEADER) == [staff, leader]
    assert lookups.member_users(commune, Role.VILLAGE_HEAD) == [village_head]
    Membership.objects.filter(user=leader).update(active=False)
    assert list(lookups.users_with_role(commune, Role.STAFF, Role.LEADER)) == [staff]


def test_members_of_a_village_and_of_an_upper_unit(commune, village, other_village, village_head, overseer):
    other_head = make_user(Role.VILLAGE_HEAD, other_village)
    assert lookups.member_users(village, Role.VILLAGE_HEAD) == [village_head]
    assert lookups.village_heads(other_village.pk) == [other_head]
    assert lookups.member_users(commune.parent, Role.OVERSEER) == [overseer]
    # Upper-level members do not act "in" the commune unless asked for with above=True.
    assert lookups.member_users(commune, Role.OVERSEER) == []
    assert lookups.member_users(commune, Role.OVERSEER, above=True) == [overseer]


def test_judges_above_a_commune_through_a_district(commune, district):
    commune.parent = district
    commune.save()
    district_judge = make_user(Role.JUDGE, district)
    province_judge = make_user(Role.JUDGE, district.parent)
    commune_judge = make_user(Role.JUDGE, commune)
    judges = lookups.member_users(commune, Role.JUDGE, above=True)
    assert set(judges) == {district_judge, province_judge, commune_judge}
    assert lookups.member_users(commune, Role.JUDGE) == [commune_judge]


def test_villages_are_the_active_ones_unless_asked(commune, village, other_village):
    merged = VillageFactory(parent=commune, name="An Lạc", active=False)
    VillageFactory(parent=CommuneFactory(), name="Xa lạ")
    assert list(lookups.villages(commune)) == [other_village, village]  # by name (code point order)
    assert list(lookups.villages(commune.pk, include_inactive=True)) == [merged, other_village, village]


def test_communes_below_a_province_reach_through_a_district(commune, other_commune, district, village):
    below = CommuneFactory(parent=district, name="Xã dưới huyện")
    assert set(lookups.communes_below(commune.parent)) == {commune, other_commune, below}
    assert list(lookups.communes_below(district)) == [below]
    assert list(lookups.communes_below(village)) == [commune]


def test_organizations_issuer_and_signer(commune):
    with pytest.raises(ValidationError, match="Ủy ban nhân dân"):
        lookups.peoples_committee(commune)
    ubnd = OrganizationFactory(unit=commune, name="UBND xã Tân Trung")
    party = OrganizationFactory(unit=commune, kind=Organization.Kind.PARTY_COMMITTEE, name="Đảng ủy xã")
    assert lookups.issuer(commune) == ubnd
    assert lookups.issuer(commune, party=True) == party
    assert lookups.organization(commune.pk, Organization.Kind.FATHERLAND_FRONT) is None

    assert lookups.signer(commune) is None
    deputy = make_user(Role.LEADER, commune, first_name="Phó")
    Membership.objects.filter(user=deputy).update(position="Phó Chủ tịch UBND xã")
    signer = lookups.signer(commune)
    assert signer.user == deputy and signer.deputy is True
    chair = make_user(Role.LEADER, commune)
    Membership.objects.filter(user=chair).update(position="Chủ tịch UBND xã")
    signer = lookups.signer(commune)
    assert signer.user == chair and signer.as_spec()["deputy"] is False
