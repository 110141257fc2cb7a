import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import CommuneFactory, UserFactory, VillageFactory, make_user
from tests.portal.factories import open_deadline

ROLES = [
    "staff",
    "leader",
    "village_head",
    "mttq",
    "union",
    "radio",
    "overseer",
    "other_staff",
    "anonymous",
    "superuser",
    # Upper levels: an overseer at a district (communes under it, not the province's other communes), and judges
    # held at the district and at the province (a contest below them is theirs; portal records are not).
    "district_overseer",
    "district_judge",
    "province_judge",
]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Every test here creates ~10 users; the production hasher would take minutes over the matrix."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri", is_superuser=True, is_staff=True)


@pytest.fixture
def district(commune):
    """A district of the commune's province (before 01/7/2025), with one commune of its own."""
    from portal.models import AdministrativeUnit

    return AdministrativeUnit.objects.create(
        level=AdministrativeUnit.Level.DISTRICT,
        kind=AdministrativeUnit.Kind.DISTRICT,
        name="Huyện Thử",
        code="D00001",
        parent=commune.parent,
    )


@pytest.fixture
def district_commune(district):
    return CommuneFactory(parent=district, name="Xã Dưới Huyện")


@pytest.fixture
def users(staff, leader, village_head, mttq, union_rep, radio, overseer, other_staff, superuser, district):
    from portal.models import Role

    return {
        "staff": staff,
        "leader": leader,
        "village_head": village_head,
        "mttq": mttq,
        "union": union_rep,
        "radio": radio,
        "overseer": overseer,
        "other_staff": other_staff,
        "anonymous": AnonymousUser(),
        "superuser": superuser,
        "district_overseer": make_user(Role.OVERSEER, district, username="caphuyen"),
        "district_judge": make_user(Role.JUDGE, district, username="giamkhao_huyen"),
        "province_judge": make_user(Role.JUDGE, district.parent, username="giamkhao_tinh"),
    }


@pytest.fixture
def world(commune, village, other_village, other_commune, staff, district, district_commune):
    """Village A (headed by ``village_head``), village B of the same commune, and one deadline of each scope."""
    trigger = dt.date(2026, 3, 2)
    other_commune_village = VillageFactory(parent=other_commune, name="Phúc Lâm")
    return SimpleNamespace(
        village_a=village,
        village_b=other_village,
        village_x=other_commune_village,
        deadline_a=open_deadline(commune=commune, village=village, trigger=trigger, by=staff),
        deadline_b=open_deadline(commune=commune, village=other_village, trigger=trigger, by=staff),
        deadline_commune=open_deadline(commune=commune, trigger=trigger, by=staff),
        deadline_x=open_deadline(commune=other_commune, village=other_commune_village, trigger=trigger),
        village_d=(village_d := VillageFactory(parent=district_commune, name="Thôn Dưới Huyện")),
        deadline_d=open_deadline(commune=district_commune, village=village_d, trigger=trigger),
        deadline_district=open_deadline(unit=district, trigger=trigger),
    )
