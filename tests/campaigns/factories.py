"""A district contest world for the campaigns tests, made through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from campaigns import services
from campaigns.models import Contest, Participant
from portal.models import AdministrativeUnit, Organization, Role
from tests.factories import CommuneFactory, OrganizationFactory, ProvinceFactory, make_user

FIXTURES = Path(__file__).resolve().parents[2] / "campaigns" / "fixtures"
NOW = timezone.make_aware(dt.datetime(2024, 6, 3, 9, 0))  # noqa: DTZ001 - made aware right here


@dataclass
class World:
    province: AdministrativeUnit
    district: AdministrativeUnit
    communes: list[AdministrativeUnit]
    organizer: object
    contest: Contest
    participants: list[Participant]
    judges: list = field(default_factory=list)
    staff: list = field(default_factory=list)


def import_fixture(name: str, owner_unit, by=None):
    return services.criteria_set_import(
        name=name, content=(FIXTURES / name).read_bytes(), owner_unit=owner_unit, by=by, now=NOW
    )


def make_world(n_communes: int = 3, *, fixture: str = "dvk_95_5.yaml", judges: int = 2) -> World:
    province = ProvinceFactory(name="Bắc Giang")
    district = CommuneFactory(level="district", kind="huyen", parent=province, name="Yên Thế")
    org = OrganizationFactory(
        unit=district, kind=Organization.Kind.PARTY_COMMITTEE, name="Huyện ủy Yên Thế", short_name="HU"
    )
    organizer = make_user(Role.OVERSEER, district, first_name="Trưởng Ban Tổ chức")
    cset = import_fixture(fixture, district, by=organizer)
    contest = services.contest_create(
        organizer_unit=district,
        organizer_name="Ban Thường vụ Huyện ủy Yên Thế",
        organizer_org=org,
        title='Cuộc thi "Dân vận khéo" huyện Yên Thế năm 2024',
        theme="Nâng cao hiệu quả hoạt động mô hình chính quyền thân thiện cấp xã",
        year=2024,
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2024, 10, 30),
        criteria_set=cset,
        self_assessment_due=dt.date(2024, 8, 30),
        judging_due=dt.date(2024, 9, 30),
        by=organizer,
        now=NOW,
    )
    communes, participants, staff = [], [], []
    for i in range(n_communes):
        commune = CommuneFactory(parent=district, name=f"Xã {i + 1}")
        communes.append(commune)
        participants.append(
            services.participant_register(
                contest=contest, kind="commune", unit=commune, name=f"Xã {i + 1}", by=organizer, now=NOW
            )
        )
    staff.extend(make_user(Role.STAFF, commune, username=f"canbo{commune.pk}") for commune in communes[:1])
    world = World(province, district, communes, organizer, contest, participants, staff=staff)
    world.judges.extend(
        make_user(Role.JUDGE, district, username=f"gk{j}_{district.pk}") for j in range(judges)
    )
    return world


def fill_self(participant: Participant, by, *, points_of=lambda c: c.max_points) -> None:
    from campaigns.selectors import set_tree

    for c in set_tree(participant.contest.criteria_set).leaves():
        value = points_of(c)
        if c.scoring == "count":
            services.self_score_save(participant=participant, criterion=c, count=int(value), by=by, now=NOW)
        else:
            services.self_score_save(participant=participant, criterion=c, points=value, by=by, now=NOW)
