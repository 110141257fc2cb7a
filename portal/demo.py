"""Demo data for the portal core: a province, two communes with villages, organizations and one user per role.

Modelled on the facts of real commune plans (a commune of a former district of Bắc Giang, now Bắc Ninh province
after the 2025 reform); names of people are invented. Idempotent: running it twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from portal.models import AdministrativeUnit, Membership, Organization, Role

DEMO_PASSWORD = "Demo@2026"  # printed by seed_demo and the start script; demo data only

Level, Kind = AdministrativeUnit.Level, AdministrativeUnit.Kind

VILLAGES = [
    # (code, name, households, population)
    ("T01", "Đồng Tâm", 212, 815),
    ("T02", "Trung Đồng", 187, 702),
    ("T03", "Tân Sơn", 164, 611),
    ("T04", "Cầu Đen", 143, 540),
    ("T05", "Quang Trung", 201, 776),
    ("T06", "Non Giăng", 129, 498),
]

ORGANIZATIONS = [
    (Organization.Kind.PEOPLES_COMMITTEE, "Ủy ban nhân dân xã Tân Trung", "UBND"),
    (Organization.Kind.PEOPLES_COUNCIL, "Hội đồng nhân dân xã Tân Trung", "HĐND"),
    (Organization.Kind.PARTY_COMMITTEE, "Đảng ủy xã Tân Trung", "ĐU"),
    (Organization.Kind.FATHERLAND_FRONT, "Ủy ban Mặt trận Tổ quốc Việt Nam xã Tân Trung", "MTTQ"),
    (Organization.Kind.TRADE_UNION, "Công đoàn cơ sở xã Tân Trung", "CĐ"),
    (Organization.Kind.WOMENS_UNION, "Hội Liên hiệp Phụ nữ xã Tân Trung", "HPN"),
    (Organization.Kind.FARMERS_UNION, "Hội Nông dân xã Tân Trung", "HND"),
    (Organization.Kind.VETERANS, "Hội Cựu chiến binh xã Tân Trung", "CCB"),
    (Organization.Kind.YOUTH_UNION, "Đoàn Thanh niên xã Tân Trung", "ĐTN"),
    (Organization.Kind.ELDERLY, "Hội Người cao tuổi xã Tân Trung", "NCT"),
    (Organization.Kind.RADIO, "Đài truyền thanh xã Tân Trung", "ĐTT"),
    (Organization.Kind.POLICE, "Công an xã Tân Trung", "CA"),
    (Organization.Kind.OFFICE, "Văn phòng HĐND và UBND xã", "VP"),
    (Organization.Kind.OFFICE, "Phòng Văn hóa - Xã hội", "VHXH"),
]

# username, full name, role, unit key ("commune", "province", or a village code), organization short name, position
USERS = [
    ("canbo", "Nguyễn Thị Lan", Role.STAFF, "commune", "VP", "Công chức Văn phòng - Thống kê"),
    ("chutich", "Trần Văn Hùng", Role.LEADER, "commune", "UBND", "Chủ tịch UBND xã"),
    ("phochutich", "Lê Minh Tuấn", Role.LEADER, "commune", "UBND", "Phó Chủ tịch UBND xã"),
    ("truongthon", "Hoàng Văn Bình", Role.VILLAGE_HEAD, "T01", None, "Trưởng thôn Đồng Tâm"),
    ("truongthon2", "Phạm Thị Hoa", Role.VILLAGE_HEAD, "T02", None, "Trưởng thôn Trung Đồng"),
    ("mttq", "Vũ Thị Mai", Role.MTTQ, "commune", "MTTQ", "Chủ tịch Ủy ban MTTQ xã"),
    ("congdoan", "Đỗ Văn Nam", Role.UNION, "commune", "CĐ", "Chủ tịch Công đoàn cơ sở"),
    ("truyenthanh", "Bùi Văn Long", Role.RADIO, "commune", "ĐTT", "Phụ trách Đài truyền thanh xã"),
    ("giamkhao", "Ngô Thị Thu", Role.JUDGE, "province", None, "Thành viên Ban Giám khảo"),
    ("captren", "Đặng Quốc Khánh", Role.OVERSEER, "province", None, "Chuyên viên Sở Nội vụ"),
    # Another commune's staff: sees nothing of Tân Trung's drafts.
    ("canbo_xakhac", "Lý Thị Hạnh", Role.STAFF, "other", None, "Công chức Văn phòng xã Phúc Sơn"),
]


@dataclass
class DemoCore:
    province: AdministrativeUnit
    commune: AdministrativeUnit
    other_commune: AdministrativeUnit
    villages: list[AdministrativeUnit]
    orgs: dict[str, Organization]
    users: dict[str, object] = field(default_factory=dict)


def _unit(code, **defaults) -> AdministrativeUnit:
    unit = AdministrativeUnit.objects.filter(code=code).first()
    if unit is None:
        unit = AdministrativeUnit(code=code, **defaults)
        unit.full_clean()
        unit.save()
    return unit


@transaction.atomic
def seed_core() -> DemoCore:
    province = _unit("24", level=Level.PROVINCE, kind=Kind.PROVINCE, name="Bắc Ninh")
    commune = _unit(
        "07450",
        level=Level.COMMUNE,
        kind=Kind.COMMUNE,
        name="Tân Trung",
        parent=province,
        households=sum(v[2] for v in VILLAGES),
        population=sum(v[3] for v in VILLAGES),
    )
    other = _unit(
        "07451",
        level=Level.COMMUNE,
        kind=Kind.COMMUNE,
        name="Phúc Sơn",
        parent=province,
        households=980,
        population=3900,
    )
    villages = [
        _unit(
            f"07450-{code}",
            level=Level.VILLAGE,
            kind=Kind.VILLAGE,
            name=name,
            parent=commune,
            households=hh,
            population=pop,
        )
        for code, name, hh, pop in VILLAGES
    ]
    _unit(
        "07451-T01",
        level=Level.VILLAGE,
        kind=Kind.VILLAGE,
        name="Phúc Lâm",
        parent=other,
        households=240,
        population=930,
    )
    orgs = {}
    for kind, name, short in ORGANIZATIONS:
        orgs[short], _ = Organization.objects.get_or_create(
            unit=commune, name=name, defaults={"kind": kind, "short_name": short}
        )
    Organization.objects.get_or_create(
        unit=other,
        name="Ủy ban nhân dân xã Phúc Sơn",
        defaults={"kind": Organization.Kind.PEOPLES_COMMITTEE, "short_name": "UBND"},
    )
    core = DemoCore(province=province, commune=commune, other_commune=other, villages=villages, orgs=orgs)
    units = {"commune": commune, "province": province, "other": other}
    units.update({code: v for (code, *_), v in zip(VILLAGES, villages, strict=True)})
    User = get_user_model()
    for username, full_name, role, unit_key, org, position in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=full_name, email=f"{username}@demo.invalid")
            user.set_password(DEMO_PASSWORD)
            user.save()
        membership = Membership.objects.filter(user=user, unit=units[unit_key], role=role).first()
        if membership is None:
            membership = Membership(
                user=user,
                unit=units[unit_key],
                role=role,
                organization=orgs.get(org) if org else None,
                position=position,
            )
            membership.full_clean()
            membership.save()
        core.users[username] = user
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser(
            "admin", "admin@demo.invalid", DEMO_PASSWORD, first_name="Quản trị"
        )
    core.users["admin"] = admin
    return core
