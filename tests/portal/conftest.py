import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory, VillageFactory
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
]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Every test here creates ~10 users; the production hasher would take minutes over the matrix."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri", is_superuser=True, is_staff=True)


@pytest.fixture
def users(staff, leader, village_head, mttq, union_rep, radio, overseer, other_staff, superuser):
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
    }


@pytest.fixture
def world(commune, village, other_village, other_commune, staff):
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
    )
