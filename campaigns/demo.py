"""Demo contest (idempotent by title): a district's "Dân vận khéo" contest with three communes, judging in progress.

Modelled on the facts of a 2024 Party plan (a district contest on "building a friendly commune government", 95
criteria points + 5 bonus, star levels, awards to collectives and individuals); names of people are invented and the
dates follow today so the workflow is live. Both criteria sets are the province's model sets; the contest uses the
95 + 5 set copied into the district. Judges: ``giamkhao`` on all three communes; ``giamkhao2`` holds a role in Tân
Trung and is therefore excluded from it automatically (conflict of interest).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from campaigns import services
from campaigns.models import Contest, CriteriaSet, Participant
from campaigns.selectors import set_tree
from portal.demo import DEMO_PASSWORD
from portal.models import AdministrativeUnit, Membership, Organization, Role

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TITLE = 'Cuộc thi "Dân vận khéo" huyện Yên Thế năm {year}'
THEME = "Nâng cao hiệu quả hoạt động mô hình chính quyền thân thiện cấp xã"
# Demo data added by this module (the portal's seed test counts them).
EXTRA_UNITS = 2  # the district and a third commune
EXTRA_USERS = 1  # giamkhao2
EXTRA_MEMBERSHIPS = 2  # giamkhao2: judge at the district, and a role in Tân Trung (the conflict)


def _unit(code, **fields) -> AdministrativeUnit:
    unit = AdministrativeUnit.objects.filter(code=code).first()
    if unit is None:
        unit = AdministrativeUnit(code=code, **fields)
        unit.full_clean()
        unit.save()
    return unit


def _set(code: str, fixture: str, owner) -> CriteriaSet:
    existing = CriteriaSet.objects.filter(owner_unit=owner, code=code).order_by("version").first()
    if existing is not None:
        return existing
    return services.criteria_set_import(
        name=fixture, content=(FIXTURES / fixture).read_bytes(), owner_unit=owner, by=None
    )


def _second_judge(district, commune):
    User = get_user_model()
    user = User.objects.filter(username="giamkhao2").first()
    if user is None:
        user = User(username="giamkhao2", first_name="Phan Văn Đức", email="giamkhao2@demo.invalid")
        user.set_password(DEMO_PASSWORD)
        user.save()
    for unit, position in (
        (district, "Thành viên Ban Giám khảo"),
        (commune, "Nguyên công chức xã, thành viên tổ tư vấn"),
    ):
        if not Membership.objects.filter(user=user, unit=unit, role=Role.JUDGE).exists():
            m = Membership(user=user, unit=unit, role=Role.JUDGE, position=position)
            m.full_clean()
            m.save()
    return user


def _at(day: dt.date) -> dt.datetime:
    """09:00 on ``day`` (when something happened), but never later than now (seeded at 00:30, nothing happened at
    09:00 yet)."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0))), timezone.now())


@transaction.atomic
def seed(core) -> Contest | None:
    today = timezone.localdate()
    title = TITLE.format(year=today.year)
    if Contest.objects.filter(title=title).exists():
        return None
    province, commune, other = core.province, core.commune, core.other_commune
    district = _unit("213", level="district", kind="huyen", name="Yên Thế", parent=province)
    third = _unit(
        "07452",
        level="commune",
        kind="xa",
        name="Tam Tiến",
        parent=district,
        households=1450,
        population=5600,
    )
    party, _ = Organization.objects.get_or_create(
        unit=district,
        name="Huyện ủy Yên Thế",
        defaults={"kind": Organization.Kind.PARTY_COMMITTEE, "short_name": "HU"},
    )
    model_95 = _set("dvk-95-5", "dvk_95_5.yaml", province)
    _set("ctt-5-nhom", "ctt_100_nam_nhom.yaml", province)
    cset = CriteriaSet.objects.filter(
        owner_unit=district, code=model_95.code
    ).first() or services.criteria_set_copy(source=model_95, owner_unit=district, by=None)
    organizer, judge = core.users["captren"], core.users["giamkhao"]
    judge2 = _second_judge(district, commune)
    start = today - dt.timedelta(days=150)
    contest = services.contest_create(
        organizer_unit=district,
        organizer_name="Ban Thường vụ Huyện ủy Yên Thế",
        organizer_org=party,
        title=title,
        theme=THEME,
        year=today.year,
        starts_on=start,
        ends_on=today + dt.timedelta(days=30),
        criteria_set=cset,
        registration_due=start + dt.timedelta(days=30),
        self_assessment_due=today + dt.timedelta(days=7),
        judging_due=today + dt.timedelta(days=25),
        results_due=today + dt.timedelta(days=45),
        by=None,
        now=_at(start),
    )
    contest.doc_parent_organ, contest.doc_organ, contest.doc_place = (
        "ĐẢNG BỘ TỈNH BẮC NINH",
        "HUYỆN ỦY YÊN THẾ",
        "Yên Thế",
    )
    contest.sig_organ, contest.sig_position, contest.sig_signer = (
        "BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn Thái",
    )
    contest.save(
        update_fields=[
            "doc_parent_organ",
            "doc_organ",
            "doc_place",
            "sig_organ",
            "sig_position",
            "sig_signer",
        ]
    )
    services.member_add(
        contest=contest, user=organizer, role="organizer", by=None, position="Trưởng Ban Tổ chức"
    )
    participants = [
        services.participant_register(
            contest=contest,
            kind="commune",
            unit=u,
            name=f"Xã {u.name}",
            by=None,
            now=_at(start + dt.timedelta(days=5)),
        )
        for u in (commune, other, third)
    ]
    for p in participants:
        for j in (judge, judge2):
            services.judge_assign(participant=p, judge=j, by=None, now=_at(start + dt.timedelta(days=6)))
    # Registration closed on its date: the contest is being judged (the registration deadline met).
    services.contest_close_registration(contest=contest, by=None, now=_at(start + dt.timedelta(days=30)))
    tree = set_tree(cset)
    when = _at(today - dt.timedelta(days=3))
    tan_trung, phuc_son, tam_tien = participants
    staff = core.users["canbo"]
    # Tân Trung: self-assessed with live evidence from its own consultations and a file, submitted; giamkhao has
    # scored part of the sheet (not submitted); giamkhao2 is excluded (conflict of interest).
    _self(tan_trung, tree, staff, when, lambda c: c.max_points - (Decimal(2) if c.code == "5" else 0))
    for c in tree.leaves():
        if c.metric:
            services.evidence_add_metric(participant=tan_trung, criterion=c, by=staff, now=when)
    services.evidence_add_link(
        participant=tan_trung,
        criterion=next(c for c in tree.leaves() if c.code == "3"),
        link="https://tantrung.example.invalid/van-hoa-cong-so",
        title="Ảnh Bộ phận Một cửa, bảng quy tắc ứng xử",
        by=staff,
        now=when,
    )
    services.self_assessment_submit(participant=tan_trung, by=staff, now=when)
    a = tan_trung.assignments.get(judge=judge)
    for c in tree.leaves()[:3]:
        services.judge_score_save(
            assignment=a,
            criterion=c,
            by=judge,
            now=when,
            comment="Đối chiếu hồ sơ trên Cổng",
            **_kw(c, c.max_points - (c.max_points / 5)),
        )
    # Phúc Sơn: both judges submitted, and they disagree on one criterion (the spread flag shows).
    _self(phuc_son, tree, core.users["canbo_xakhac"], when, lambda c: c.max_points - 1)
    services.self_assessment_submit(participant=phuc_son, by=None, now=when)
    for j, low in ((judge, 0), (judge2, 6)):
        a = phuc_son.assignments.get(judge=j)
        for c in tree.leaves():
            points = c.max_points - 1 - (low if c.code == "5" else 0)
            services.judge_score_save(
                assignment=a,
                criterion=c,
                by=j,
                now=when,
                comment="Kiểm tra thực tế tại xã",
                **_kw(c, points),
            )
        services.judge_submit(assignment=a, by=j, now=when)
    # Tam Tiến: still self-assessing.
    _self(tam_tien, tree, None, when, lambda c: c.max_points / 2, only=3)
    services.initiative_register(
        participant=tan_trung,
        name="Tổ Dân vận cộng đồng thôn Đồng Tâm đồng hành với người dân làm thủ tục trực tuyến",
        field="politics",
        lead="Tổ Dân vận cộng đồng thôn Đồng Tâm, Đoàn Thanh niên xã",
        change="Người cao tuổi được hướng dẫn nộp hồ sơ trực tuyến tại nhà văn hóa thôn mỗi sáng thứ Bảy.",
        results="126 hồ sơ trực tuyến được hướng dẫn trong 3 tháng.",
        people_reached=126,
        started_on=start + dt.timedelta(days=20),
        by=None,
        now=when,
    )
    return contest


def _kw(c, value) -> dict:
    """A valid input for the criterion's scoring kind close to ``value``."""
    value = max(Decimal(value), Decimal(0))
    if c.scoring == "count":
        return {"count": 2}
    if c.scoring == "yes_no":
        return {"points": c.max_points if value >= c.max_points / 2 else Decimal(0)}
    if c.scoring == "fixed":
        return {"points": max((Decimal(v) for v in c.levels if Decimal(v) <= value), default=Decimal(0))}
    step = c.step or Decimal("0.5")
    return {"points": (value // step) * step}


def _self(participant: Participant, tree, by, when, points_of, *, only: int | None = None) -> None:
    for c in tree.leaves()[:only]:
        kw = _kw(c, points_of(c))
        services.self_score_save(participant=participant, criterion=c, by=by, now=when, **kw)
